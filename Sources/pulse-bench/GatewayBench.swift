import Audit
import Base
import Foundation
import Gateway
import Messages
import RPC
import Roster
import Store
import Wire

/// What the gateway costs a call, and what its audit log costs.
enum GatewayBench {
    static func run(calls: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-bench-gateway-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try RosterStore(path: directory + "/roster.sqlite")
        _ = try await store.importHaTinh()
        let roster = RPCServer(configuration: .init(path: directory + "/roster.sock", serviceName: RosterService.name), router: RosterService.router(store), logger: .silent())
        try roster.start()
        let gateway = try Gateway(backends: ["pulse.roster.": directory + "/roster.sock"], policy: .administrators([0, getuid()]), dataDirectory: directory)
        var configuration = RPCServer.Configuration(path: directory + "/gateway.sock", serviceName: GatewayAPI.service, identification: gateway.identification)
        // PULSE_BENCH_NO_AUDIT=1 leaves the audit log out, to see what the hop alone costs.
        if ProcessInfo.processInfo.environment["PULSE_BENCH_NO_AUDIT"] == nil { configuration.onCall = { gateway.record($0) } }
        let server = RPCServer(configuration: configuration, router: gateway.router(), logger: .silent())
        try server.start()
        let codes = try await RPCClient(path: directory + "/roster.sock").call(RosterAPI.listUnits, ListUnitsRequest(parent: "42")).units.map(\.code)

        print("GetUnit (a small read) straight to roster, and through the gateway, which identifies the caller, checks its")
        print("policy, forwards over its one connection to roster with the principal, and appends an audit entry for every call.")
        print("\(calls) calls per caller per round, three interleaved rounds, the median round shown. Latencies in µs.\n")
        var rows: [[String]] = []
        var verdicts: [String] = []
        for callers in [1, 16] {
            var rounds: [(direct: Measurement, gateway: Measurement)] = []
            for _ in 0..<3 {
                let direct = try await measure(directory + "/roster.sock", callers: callers, calls: calls, codes: codes)
                let through = try await measure(directory + "/gateway.sock", callers: callers, calls: calls, codes: codes)
                rounds.append((direct, through))
            }
            let median = rounds.sorted { $0.gateway.p50 / $0.direct.p50 < $1.gateway.p50 / $1.direct.p50 }[1]
            for (name, m) in [("direct", median.direct), ("through the gateway", median.gateway)] {
                rows.append([name, "\(callers)", format(m.p50), format(m.p99), format(m.perSecond, decimals: 0)])
            }
            if callers == 1 {
                let ratio = median.gateway.p50 / median.direct.p50
                verdicts.append("1 caller: p50 through the gateway \(format(ratio, decimals: 2))× direct (target ≤ 1.5×) \(ratio <= 1.5 ? "ok" : "MISSED")")
            } else {
                let share = median.gateway.perSecond / median.direct.perSecond
                verdicts.append("16 callers: \(format(share * 100, decimals: 0))% of direct calls/s through the gateway (target ≥ 50%) \(share >= 0.5 ? "ok" : "MISSED")")
            }
        }
        printTable(["path", "callers", "p50 µs", "p99 µs", "calls/s"], rows)
        print("")
        for v in verdicts { print(v) }
        await server.shutdown()
        await roster.shutdown()

        try await auditCosts(directory: directory)
    }

    /// GetUnit from `callers` clients of their own at once, `calls` each, after a warm-up.
    static func measure(_ path: String, callers: Int, calls: Int, codes: [String], warmUp: Int = 50) async throws -> Measurement {
        let clients = (0..<callers).map { _ in RPCClient(path: path) }
        for c in clients { for i in 0..<warmUp { _ = try await c.call(RosterAPI.getUnit, GetUnitRequest(code: codes[i % codes.count])) } }
        let sink = SampleSink()
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, c) in clients.enumerated() {
                group.addTask {
                    var samples: [UInt64] = []
                    samples.reserveCapacity(calls)
                    for i in 0..<calls {
                        let code = codes[(i * 7 + n) % codes.count]
                        let s = ContinuousClock.now
                        let unit = try await c.call(RosterAPI.getUnit, GetUnitRequest(code: code))
                        samples.append((ContinuousClock.now - s).inNanoseconds)
                        precondition(unit.code == code)
                    }
                    sink.add(samples)
                }
            }
            try await group.waitForAll()
        }
        return Measurement(name: path, latenciesNanos: sink.all, elapsed: ContinuousClock.now - start)
    }

    /// The audit log alone: an append as the gateway makes one (16 at once, grouped into shared
    /// commits), `verify` over a million entries, and one entry's inclusion proof.
    static func auditCosts(directory: String) async throws {
        var migrator = Migrator()
        migrator.register("1 audit", AuditLog.schema)
        let queue = try DatabaseQueue(path: directory + "/audit.sqlite", migrator: migrator)
        let appends = 20_000
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for i in 0..<appends / 16 {
                        let entry = AuditEntry(
                            seq: 0, at: 1_767_225_600_000 + Int64(i), uid: 1000 + UInt32(worker), gid: 100, pid: 4242, role: "analyst",
                            agency: nil, method: "pulse.roster.v1.Roster/GetUnit", status: 0, microseconds: 95)
                        _ = try await queue.writeGrouped { db in try AuditLog.append(entry, to: db) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let perAppend = (ContinuousClock.now - start).inSeconds / Double(appends) * 1e6
        print("\naudit append, 16 at once, each durable before it returns: \(format(perAppend, decimals: 1)) µs of wall time per entry")

        let million = 1_000_000
        let db = try Database(path: directory + "/million.sqlite")
        try db.execute(AuditLog.schema)
        try db.transaction {
            for seq in 1...million {
                let entry = AuditEntry(
                    seq: seq, at: 1_767_225_600_000 + Int64(seq), uid: 1000 + UInt32(seq % 50), gid: 100, pid: 4242, role: seq % 7 == 0 ? "partner" : "analyst",
                    agency: seq % 7 == 0 ? "police" : nil, method: "pulse.analytics.v1.Analytics/Trends", status: 0, microseconds: 180 + seq % 90)
                let bytes = try CBOREncoder().encode(entry)
                try db.run("INSERT INTO audit_log (seq, entry, leaf) VALUES (?, ?, ?)", [seq, bytes, MerkleTree.leafHash(bytes)])
            }
        }
        let n0 = ContinuousClock.now
        try AuditLog.completeNodesIfNeeded(in: db)
        print("building the stored subtrees of \(million) entries (once, for a log written before they were kept): \(format((ContinuousClock.now - n0).inSeconds, decimals: 2)) s")
        let log = AuditLog(db)
        let t0 = ContinuousClock.now
        let verified = try log.verify()
        let verifySeconds = (ContinuousClock.now - t0).inSeconds
        precondition(verified.sound && verified.size == million)
        print("verify over \(million) entries (every leaf and the root recomputed): \(format(verifySeconds, decimals: 2)) s (target < 10 s) \(verifySeconds < 10 ? "ok" : "MISSED")")
        var times: [Double] = []
        var generator = SystemRandomNumberGenerator()
        for i in 0..<101 {
            let seq = i == 0 ? million / 2 + 1 : Int.random(in: 1...million, using: &generator)
            let t1 = ContinuousClock.now
            let proof = try log.prove(seq)
            times.append((ContinuousClock.now - t1).inSeconds * 1000)
            precondition(proof.verifies)
        }
        let first = times.removeFirst()
        let median = times.sorted()[times.count / 2]
        print("inclusion proof of one entry among \(million), median of 100 random entries: \(format(median, decimals: 3)) ms (target < 1 ms) \(median < 1 ? "ok" : "MISSED"); the first, on a cold connection: \(format(first, decimals: 2)) ms")
    }
}
