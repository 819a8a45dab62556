import Base
import Foundation
import Intake
import Messages
import RPC
import Roster
import Store
import Wire

enum IntakeBench {
    static func run(reports: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-bench-intake-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let bench = try await BenchRoster.start(store: directory + "/roster.sqlite", socket: directory + "/roster.sock")
        let rosterServer = bench.server
        let submitters = bench.submitters.map { ($0.unit, $0.person) }

        let intakeStore = try IntakeStore(path: directory + "/intake.sqlite", roster: RosterLookup(client: RPCClient(path: directory + "/roster.sock")))
        let intakeServer = RPCServer(configuration: .init(path: directory + "/intake.sock", serviceName: IntakeService.name), router: IntakeService.router(intakeStore), logger: .silent())
        try intakeServer.start()

        let periods = (0..<17).map { Period(index: Period("2025-07")!.index + $0) }
        let topics = ["dat-dai", "gia-ca", "viec-lam", "y-te", "giao-duc", "moi-truong", "ha-tang"]
        let pairs = submitters
        let draft: @Sendable (Int, Int) -> ReportDraft = { n, caller in
            let (unit, person) = pairs[(n + caller * 13) % pairs.count]
            let items = (0..<5).map { i in
                OpinionItem(
                    topic: topics[(n + i) % topics.count], summary: "Nội dung dư luận số \(n)-\(i): người dân quan tâm giá cả, việc làm và bồi thường giải phóng mặt bằng; đề nghị chính quyền sớm có phương án giải quyết.",
                    prevalence: .some, trend: .rising, sentiment: -1, channels: [.inPerson, .meetings], proposal: "Đề nghị cấp trên quan tâm chỉ đạo.")
            }
            return ReportDraft(unit: unit, period: periods[n % periods.count], submitter: person, assessment: "Tình hình tư tưởng ổn định.", items: items, idempotencyKey: "bench-\(caller)-\(n)")
        }

        print("Durable, acknowledged monthly reports (5 items each) through intake's RPC; every report is")
        print("validated against roster (over its RPC, cached), scrubbed, and committed with synchronous=FULL")
        print("before the answer. 16 submitters are measured twice: each on its own connection, as separate client")
        print("processes would be, and all sharing one connection, as reports reach intake through the gateway.")
        print("\(reports) reports per case, in five interleaved rounds (1, 16, 16 shared; 16, 16 shared, 1; …) because this machine's")
        print("disk and CPUs drift between runs; for each case, the round with the median ratio to its 1-submitter run is shown.\n")
        struct Case {
            var rate: Double
            var row: [String]
        }
        var submitted = 0
        var serial = 0
        let only = ProcessInfo.processInfo.environment["PULSE_BENCH_ONLY"]  // "1", "16" or "16-shared", for profiling one case
        func measure(_ submittersCount: Int, sharing: Bool) async throws -> Case {
            let shared = sharing ? RPCClient(path: directory + "/intake.sock") : nil
            let clients = (0..<submittersCount).map { _ in shared ?? RPCClient(path: directory + "/intake.sock") }
            let perCaller = reports / submittersCount
            let sink = SampleSink()
            let statsBefore = intakeStore.groupCommitStatistics
            serial += 1
            let base = serial * 1_000_000
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (caller, client) in clients.enumerated() {
                    // Each submitter continues on its connection's thread, as a separate client process would.
                    group.addTask(executorPreference: client.executor) {
                        var samples: [UInt64] = []
                        for n in 0..<perCaller {
                            let s = ContinuousClock.now
                            let r = try await client.call(IntakeAPI.submitReport, draft(n + base, caller), deadline: .seconds(30))
                            samples.append((ContinuousClock.now - s).inNanoseconds)
                            precondition(!r.replayed)
                        }
                        sink.add(samples)
                    }
                }
                try await group.waitForAll()
            }
            let m = Measurement(name: "submit", latenciesNanos: sink.all, elapsed: ContinuousClock.now - start)
            submitted += m.count
            let stats = intakeStore.groupCommitStatistics
            let batches = stats.transactions - statsBefore.transactions
            let busyPerCommit = (stats.busy - statsBefore.busy).inSeconds / Double(max(1, batches)) * 1e6
            let label = submittersCount == 1 ? "1" : sharing ? "16, one shared connection" : "16, a connection each"
            return Case(rate: m.perSecond, row: [
                label, "\(m.count)", format(m.p50), format(m.p99), format(m.perSecond, decimals: 0),
                format(Double(stats.writes - statsBefore.writes) / Double(max(1, batches)), decimals: 1), format(busyPerCommit, decimals: 0),
            ])
        }
        struct Round {
            var index: Int
            var one, each, shared: Case?
            func ratio(_ sixteen: KeyPath<Round, Case?>) -> Double { (self[keyPath: sixteen]?.rate ?? 0) / max(one?.rate ?? 1, 1) }
        }
        var rounds: [Round] = []
        for index in 0..<(only == nil ? 5 : 1) {
            // The file grows with every case, and a bigger file is slower to write: each round
            // starts with another case, so that none always meets the file at its smallest.
            var round = Round(index: index)
            for turn in 0..<3 {
                switch (turn + index) % 3 {
                case 0: if only == nil || only == "1" { round.one = try await measure(1, sharing: false) }
                case 1: if only == nil || only == "16" { round.each = try await measure(16, sharing: false) }
                default: if only == nil || only == "16-shared" { round.shared = try await measure(16, sharing: true) }
                }
            }
            rounds.append(round)
        }
        let cases: [(name: String, sixteen: KeyPath<Round, Case?>, median: Round)] = [\Round.each, \Round.shared].map { sixteen in
            let name = sixteen == \Round.each ? "16 submitters, a connection each" : "16 submitters sharing one connection"
            return (name, sixteen, rounds.sorted { $0.ratio(sixteen) < $1.ratio(sixteen) }[rounds.count / 2])
        }
        // Each case's median round, with its own 1-submitter run where that is another round.
        var table: [[String]?] = []
        for (i, c) in cases.enumerated() {
            if i == 0 || c.median.index != cases[i - 1].median.index {
                table.append(c.median.one.map { i == 0 ? $0.row : ["1 (shared's round)"] + $0.row.dropFirst() })
            }
            table.append(c.median[keyPath: c.sixteen]?.row)
        }
        printTable(["submitters", "reports", "p50 µs", "p99 µs", "reports/s", "reports per commit", "µs per commit"], table.compactMap { $0 })

        // Every acknowledged report must be readable, from a fresh connection to the file.
        let check = try Database(path: directory + "/intake.sqlite", readOnly: true)
        let stored = try check.scalar("SELECT count(*) FROM reports", as: Int.self) ?? -1
        let items = try check.scalar("SELECT sum(item_count) FROM reports", as: Int.self) ?? -1
        print("\nacknowledged \(submitted), stored \(stored) reports with \(items) items: \(stored == submitted ? "ok" : "MISMATCH")")
        for c in cases {
            guard let sixteen = c.median[keyPath: c.sixteen]?.rate else { continue }
            let one = c.median.one?.rate ?? 0
            let all = rounds.map { format($0.ratio(c.sixteen), decimals: 2) + "×" }.sorted().joined(separator: ", ")
            print("\(c.name): \(format(sixteen, decimals: 0)) reports/s (target ≥ 5,000) \(sixteen >= 5000 ? "ok" : "MISSED"); \(format(sixteen / max(one, 1), decimals: 2))× one submitter (target ≥ 4×; rounds \(all)) \(sixteen >= 4 * one ? "ok" : "MISSED")")
        }
        await intakeServer.shutdown()
        await rosterServer.shutdown()
        if stored != submitted { exit(1) }
    }
}
