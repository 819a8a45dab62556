import Base
import Foundation
import RPC
import Wire

struct Blob: Codable, Sendable { var data: Data }

enum RPCBench {
    static let echo = MethodDescriptor<Blob, Blob>(service: "pulse.bench.v1.Bench", method: "Echo", access: .everyone)

    static func run(calls: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        var router = Router()
        router.register(echo) { request, _ in request }
        let server = RPCServer(
            configuration: .init(path: directory + "/rpc.sock", serviceName: "pulse.bench.v1.Bench"), router: router,
            logger: .silent())
        try server.start()
        let floor = try FloorServer(path: directory + "/floor.sock", buffered: false)
        let bufferedFloor = try FloorServer(path: directory + "/floor-buffered.sock", buffered: true)

        print("Unary echo over a Unix socket: Pulse RPC vs the floor (plain length-prefixed ping-pong, Glibc read/write, a thread per connection;")
        print("it reads each frame's length, then its body). The verdicts are against it; the buffered floor, one read per frame, is shown beside.")
        print("With 16 callers, Pulse is measured twice: each caller on its own connection, as the floor's are, and all sixteen sharing")
        print("one client's connection, as Pulse's services call each other (the gateway holds one client per service).")
        print("\(calls) calls per caller per case after a warm-up, in five interleaved rounds; the median round is shown. Latencies in µs.\n")
        var rows: [[String]] = []
        var verdicts: [String] = []
        let only = ProcessInfo.processInfo.environment["PULSE_BENCH_ONLY"]  // e.g. "64x1", for profiling one case
        // The floor itself moves 20–30% between runs on this machine, so each case is measured
        // in five interleaved rounds (floor, rpc, floor, rpc, …) and the median round reported.
        let rounds = 5
        let rpcPath = directory + "/rpc.sock"
        for size in [64, 1024] {
            for callers in [1, 16] where only == nil || only == "\(size)x\(callers)" {
                let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: $0) })
                let perRound = calls / rounds
                var trials: [(floor: Measurement, rpc: Measurement, pool: Measurement, buffered: Measurement, shared: Measurement?)] = []
                for _ in 0..<rounds {
                    let floorResult = try FloorServer.measure(path: floor.path, bodySize: size, callers: callers, calls: perRound)
                    let rpcResult = try await measureRPC(path: rpcPath, payload: payload, callers: callers, calls: perRound, connections: callers, preferConnectionThread: true)
                    let poolResult = try await measureRPC(path: rpcPath, payload: payload, callers: callers, calls: perRound, connections: callers, preferConnectionThread: false)
                    // How Pulse's services call each other: all callers share one client's connection.
                    let sharedResult = callers == 1 ? nil : try await measureRPC(path: rpcPath, payload: payload, callers: callers, calls: perRound, connections: 1, preferConnectionThread: true)
                    var bufferedResult = try FloorServer.measure(path: bufferedFloor.path, bodySize: size, callers: callers, calls: perRound)
                    bufferedResult.name = "floor, buffered reads"
                    trials.append((floorResult, rpcResult, poolResult, bufferedResult, sharedResult))
                }
                let key: (Measurement, Measurement) -> Double = callers == 1 ? { $1.p50 / $0.p50 } : { $1.perSecond / $0.perSecond }
                let label = "\(size) B"
                func row(_ m: Measurement) -> [String] {
                    [m.name, label, "\(callers)", format(m.p50), format(m.p99), format(m.perSecond, decimals: 0)]
                }
                func ratioRow(_ name: String, _ m: Measurement, against base: Measurement) -> [String] {
                    [name, label, "\(callers)", format(m.p50 / base.p50, decimals: 2) + "×", format(m.p99 / base.p99, decimals: 2) + "×",
                     format(m.perSecond / base.perSecond * 100, decimals: 0) + "%"]
                }
                func throughputVerdict(_ how: String, _ ratio: Double, rounds: [Double]) -> String {
                    "\(label), 16 callers\(how): \(format(ratio * 100, decimals: 0))% of the floor's calls/s (target ≥ 60%; rounds "
                        + rounds.map { format($0 * 100, decimals: 0) + "%" }.joined(separator: ", ") + ") " + (ratio >= 0.6 ? "ok" : "MISSED")
                }

                let median = trials.sorted { key($0.floor, $0.rpc) < key($1.floor, $1.rpc) }[rounds / 2]
                rows += [median.floor, median.buffered, median.rpc, median.pool].map(row)
                rows.append(ratioRow("ratio rpc/floor", median.rpc, against: median.floor))
                rows.append(ratioRow("ratio rpc/buffered floor", median.rpc, against: median.buffered))
                let all = trials.map { key($0.floor, $0.rpc) }.sorted()
                let ratio = key(median.floor, median.rpc)
                if callers == 1 {
                    verdicts.append("\(label), 1 caller: p50 \(format(ratio, decimals: 2))× the floor (target ≤ 2×; rounds \(all.map { format($0, decimals: 2) }.joined(separator: ", "))) \(ratio <= 2 ? "ok" : "MISSED")")
                    continue
                }
                verdicts.append(throughputVerdict(", a connection each", ratio, rounds: all))

                // The shared case gets its own median round.
                let shared = trials.map { (floor: $0.floor, shared: $0.shared!) }.sorted { key($0.floor, $0.shared) < key($1.floor, $1.shared) }
                let sharedMedian = shared[rounds / 2]
                rows.append(row(sharedMedian.shared))
                rows.append(ratioRow("ratio shared/floor", sharedMedian.shared, against: sharedMedian.floor))
                verdicts.append(throughputVerdict(" sharing one connection", key(sharedMedian.floor, sharedMedian.shared), rounds: shared.map { key($0.floor, $0.shared) }))
            }
        }
        printTable(["case", "body", "callers", "p50 µs", "p99 µs", "calls/s"], rows)
        print("")
        for v in verdicts { print(v) }
        await server.shutdown()
        floor.stop()
        bufferedFloor.stop()
    }

    /// `callers` concurrent callers over `connections` clients (each its own connection), taken in turn.
    static func measureRPC(
        path: String, payload: Data, callers: Int, calls: Int, connections: Int, preferConnectionThread: Bool
    ) async throws -> Measurement {
        let connected = (0..<connections).map { _ in RPCClient(path: path) }
        let clients = (0..<callers).map { connected[$0 % connections] }
        for client in connected {
            for _ in 0..<200 { _ = try await client.call(echo, Blob(data: payload)) }
        }
        let sink = SampleSink()
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients {
                group.addTask(executorPreference: preferConnectionThread ? client.executor : nil) {
                    var samples: [UInt64] = []
                    samples.reserveCapacity(calls)
                    let request = Blob(data: payload)
                    for _ in 0..<calls {
                        let t0 = ContinuousClock.now
                        let response = try await client.call(echo, request)
                        samples.append((ContinuousClock.now - t0).inNanoseconds)
                        precondition(response.data.count == payload.count)
                    }
                    sink.add(samples)
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let name = connections < callers ? "pulse rpc, one shared connection" : preferConnectionThread ? "pulse rpc" : "pulse rpc, pool callers"
        return Measurement(name: name, latenciesNanos: sink.all, elapsed: elapsed)
    }
}
