import Backup
import Base
import Foundation
import Intake
import Messages
import RPC
import Roster
import Store
import Synchronization
import Wire

enum BackupBench {
    /// `pulse backup` of an intake store of `megabytes` while 16 submitters write through
    /// intake's RPC: the backup's duration, and the submitters' reports/s during it against the
    /// seconds before it.
    static func run(megabytes: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-bench-backup-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let bench = try await BenchRoster.start(store: directory + "/data/roster.sqlite", socket: directory + "/roster.sock")
        let rosterServer = bench.server
        let submitters = bench.submitters.map { ($0.unit, $0.person) }

        // The store, filled to size with earlier months' reports before intake opens it.
        let intakePath = directory + "/data/intake.sqlite"
        let fillStart = ContinuousClock.now
        do {
            _ = try IntakeStore(path: intakePath, roster: RosterLookup(client: RPCClient(path: directory + "/roster.sock")))
            let db = try Database(path: intakePath)
            let items = try CBOREncoder().encode((0..<5).map { i in
                OpinionItem(topic: "dat-dai", summary: "Nội dung dư luận lưu trữ số \(i): người dân quan tâm giá cả, việc làm và bồi thường giải phóng mặt bằng; đề nghị chính quyền sớm có phương án giải quyết dứt điểm.", prevalence: .some, trend: .stable, sentiment: -1)
            })
            var id = 0
            while (fileSize(atPath: intakePath) ?? 0) + (fileSize(atPath: intakePath + "-wal") ?? 0) < megabytes << 20 {
                try db.transaction {
                    for _ in 0..<5_000 {
                        let (unit, person) = submitters[id % submitters.count]
                        let period = Period(index: Period("2000-01")!.index + id / submitters.count % 300)
                        let version = id / (submitters.count * 300) + 1
                        try db.run(
                            "INSERT INTO reports (unit, period, version, submitter, assessment, items, item_count, received_at, timeliness) VALUES (?,?,?,?,?,?,?,?,?)",
                            [unit, period.description, version, person, "Tình hình ổn định.", items, 5, 946_684_800.0 + Double(id), "onTime"])
                        id += 1
                    }
                }
            }
            _ = try db.query("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let filled = (ContinuousClock.now - fillStart).inSeconds
        let intakeStore = try IntakeStore(path: intakePath, roster: RosterLookup(client: RPCClient(path: directory + "/roster.sock")))
        let intakeServer = RPCServer(configuration: .init(path: directory + "/intake.sock", serviceName: IntakeService.name), router: IntakeService.router(intakeStore), logger: .silent())
        try intakeServer.start()

        let pairs = submitters
        final class Counters: Sendable {
            let acknowledged = Atomic<Int>(0)
            let stop = Atomic<Bool>(false)
        }
        let counters = Counters()
        let period = Period("2026-11")!
        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for caller in 0..<16 {
                    group.addTask {
                        let client = RPCClient(path: directory + "/intake.sock")
                        defer { client.close() }
                        var n = 0
                        while !counters.stop.load(ordering: .relaxed) {
                            let (unit, person) = pairs[(n * 16 + caller) % pairs.count]
                            let draft = ReportDraft(
                                unit: unit, period: period, submitter: person, assessment: "Tình hình ổn định.",
                                items: [OpinionItem(topic: "gia-ca", summary: "Giá cả tăng (\(caller)-\(n)).", prevalence: .some, trend: .rising, sentiment: -1)],
                                idempotencyKey: "backup-bench-\(caller)-\(n)")
                            _ = try await client.call(IntakeAPI.submitReport, draft, deadline: .seconds(60))
                            counters.acknowledged.add(1, ordering: .relaxed)
                            n += 1
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await Task.sleep(for: .seconds(1))  // warm up
        let beforeCount = counters.acknowledged.load(ordering: .relaxed)
        let beforeStart = ContinuousClock.now
        try await Task.sleep(for: .seconds(4))
        let before = Double(counters.acknowledged.load(ordering: .relaxed) - beforeCount) / (ContinuousClock.now - beforeStart).inSeconds

        let duringCount = counters.acknowledged.load(ordering: .relaxed)
        let backupStart = ContinuousClock.now
        let manifest = try await Task.detached { try StoreBackup.take(from: directory + "/data", to: directory + "/backup") }.value
        let took = (ContinuousClock.now - backupStart).inSeconds
        // The copy alone, for comparison: SQLite's backup API without the check and the hash.
        let copyStart = ContinuousClock.now
        try await Task.detached {
            let source = try Database(path: intakePath, readOnly: true)
            try source.backup(to: directory + "/copy-only.sqlite", pagesPerStep: 2048, pause: .milliseconds(20))
        }.value
        let copyTook = (ContinuousClock.now - copyStart).inSeconds
        let during = Double(counters.acknowledged.load(ordering: .relaxed) - duringCount) / took
        counters.stop.store(true, ordering: .relaxed)
        try await writers.value
        await intakeServer.shutdown()
        await rosterServer.shutdown()

        let size = manifest.files.first { $0.service == "report-intake" }?.size ?? 0
        print("pulse backup of an intake store of \(format(Double(size) / 1_048_576)) MB (filled in \(format(filled, decimals: 1)) s), while 16 submitters write through intake's RPC:")
        print("  backup: \(format(took, decimals: 2)) s for \(manifest.files.count) stores, each checked (integrity_check) and hashed (SHA-256); the copy alone: \(format(copyTook, decimals: 2)) s")
        print("  submitters: \(format(before, decimals: 0)) reports/s in the 4 s before, \(format(during, decimals: 0)) reports/s during the backup: \(format(during / before * 100, decimals: 0))% kept (target ≥ 70%) \(during / before >= 0.7 ? "ok" : "MISSED")")
    }
}
