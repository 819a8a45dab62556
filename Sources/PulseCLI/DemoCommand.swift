import Arguments
import Daemon
import Foundation
import Messages
import Privacy
import RPC
import Spawn
import Text
import Synchronization
import Wire

/// `pulse demo`: the whole stack on a temporary directory, a month of the cycle, and a clean stop.
enum DemoCommand {
    static var command: Command {
        Command(
            "demo", "Start the five services on temporary sockets, load Hà Tĩnh's network, run a month's reports through them, show the results and stop.",
            options: [.flag("keep", help: "Leave the stack running afterwards (Ctrl-C stops it) so you can try every command.")]
        ) { inv in
            try await run(keep: inv.arguments.has("keep"))
        }
    }

    /// Fictional staff of the network (officials and collaborators), never members of the public.
    static let familyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Dương"]
    static let givenNames = ["Văn An", "Thị Bình", "Hữu Cường", "Thị Dung", "Minh Đức", "Thị Hà", "Quốc Hùng", "Thị Lan", "Đình Long", "Thị Mai", "Văn Nam", "Thị Oanh", "Xuân Phúc", "Thị Quyên", "Công Sơn", "Thị Thảo"]

    static func name(_ i: Int) -> String { "\(familyNames[i % familyNames.count]) \(givenNames[(i * 7) % givenNames.count])" }

    static func section(_ title: String) {
        print("\n━━ \(title) " + String(repeating: "━", count: max(0, 70 - title.count)))
    }

    static func run(keep: Bool) async throws {
        let stack = try DemoStack()
        let stopper = DemoSignals.install(stack)
        defer { stopper.cancel() }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.timeZone
        let today = Day.today
        let period = today.period
        let clockStart = String(format: "%04d-%02d-20T09:00:00+07:00", period.year, period.month)
        print("Pulse demo: starting roster, report-intake, analytics and gateway in \(stack.directory)")
        do {
            try await stack.start(clockStart: clockStart)
            for (name, process) in stack.processes { print("  \(Output.pad(name, 14)) pid \(process.pid)") }
            try await script(stack: stack, period: period)
        } catch {
            if stopper.interrupted {
                warn("\ninterrupted: stopping the services")
                stack.stop(removeDirectory: true)
                exit(130)
            }
            warn("demo failed: \(error)\n  daemon logs are in \(stack.directory)/logs")
            stack.stop(removeDirectory: false)
            throw error
        }
        if keep {
            section("The stack is running")
            print("In another terminal:\n")
            print("  export PULSE_SOCKET=\(stack.gatewaySocket)")
            print("  swift run pulse status            # or .build/debug/pulse status")
            print("  swift run pulse units search \"ky anh\"")
            print("  swift run pulse teams status --missing")
            print("  swift run pulse report show 18073 \(period)")
            let gateway = stack.processes.first { $0.name == "gateway" }?.process.pid ?? 0
            print("\nYou are an administrator (\(stack.policyFile)). To try the other roles, add accounts to that file,")
            print("for example {\"uid\": 1001, \"role\": \"analyst\"}, {\"uid\": 1002, \"role\": \"official\", \"person\": 1} or")
            print("{\"uid\": 1003, \"role\": \"partner\", \"agency\": \"police\", \"units\": [\"18073\"], \"person\": 2}, then `kill -HUP \(gateway)`.")
            print("Let that account reach the socket (`chmod o+x \(stack.directory)` and `chmod o+rw \(stack.gatewaySocket)`) and run")
            print("`sudo -u USER .build/debug/pulse --socket \(stack.gatewaySocket) whoami` (sudo drops PULSE_SOCKET).")
            print("\nLogs: \(stack.directory)/logs. Press Ctrl-C here to stop the stack.")
            await stopper.wait()
        }
        section("Stopping")
        let unclean = stack.stop(removeDirectory: true)
        guard unclean.isEmpty else {
            throw CLIError("not every service stopped cleanly: \(unclean.joined(separator: ", ")); logs are in \(stack.directory)/logs")
        }
        print("all five services stopped cleanly (SIGTERM, exit 0); removed \(stack.directory)")
    }

    static func script(stack: DemoStack, period: Period) async throws {
        let inv = Invocation(arguments: ParsedArguments(), output: Output(format: .table), socketPath: stack.gatewaySocket)
        let health = try await inv.call(GatewayAPI.status, Empty())
        print("  gateway sees: " + health.backends.filter { !$0.service.contains("notification") }.map { "\($0.service.split(separator: ".")[1]) \($0.status)" }.joined(separator: ", ") + " (notification starts in section 7)")

        section("1. The network: Hà Tĩnh after the 1 July 2025 merger")
        let imported = try await inv.call(RosterAPI.importUnits, ImportUnitsRequest(dataset: "ha-tinh"))
        print("imported \(imported.inserted) units (\(imported.unchanged) unchanged); importing again would change nothing")

        // An official for every reporting unit; most put in charge, teams of varying size.
        let reporting = try await inv.call(RosterAPI.listUnits, ListUnitsRequest(parent: "42", kinds: [.commune, .ward, .subordinateCommittee, .front])).units
        let merger = Day(year: 2025, month: 7, day: 1)!
        var officials: [String: Int] = [:]
        var rng = DemoData.Random(state: 387)
        var n = 0
        for (i, unit) in reporting.enumerated() {
            let official = try await inv.call(
                RosterAPI.addPerson,
                Person(fullName: name(n), unit: unit.code, role: .official, phone: String(format: "09%02d %03d %03d", 12 + i % 80, 100 + (i * 37) % 900, 200 + (i * 91) % 800), joined: merger))
            n += 1
            officials[unit.code] = official.id
            if rng.unit() < 0.85 {
                let from = Day(year: 2025, month: rng.unit() < 0.8 ? 7 : 11, day: 15)!
                _ = try await inv.call(RosterAPI.assignOfficial, AssignRequest(unit: unit.code, person: official.id!, from: from))
            }
            guard unit.kind == .commune || unit.kind == .ward else { continue }
            for _ in 0..<rng.int(2...6) {
                _ = try await inv.call(RosterAPI.addPerson, Person(fullName: name(n), unit: unit.code, role: .collaborator, joined: Day(year: 2025, month: 8, day: rng.int(1...28))!, allowance: 500_000))
                n += 1
            }
        }
        let summary = try await inv.call(RosterAPI.summary, AsOfRequest())
        RosterCommands.printSummary(summary)
        print("\nSearching \"ky anh\" (no diacritics) finds:")
        for u in try await inv.call(RosterAPI.searchUnits, SearchRequest(query: "ky anh")).units { print("  \(u.code)  \(u.fullName)") }
        let teams = try await inv.call(RosterAPI.teamStatus, TeamStatusRequest(missingOnly: true))
        print("\nCollaborator teams below the norm (first 6 of \(teams.rows.count)):")
        inv.output.table(["unit", "name", "active", "norm", "official in charge"], teams.rows.prefix(6).map { [$0.unit, $0.name, String($0.active), String($0.norm), $0.official ?? "— chưa phân công"] }, numeric: [2, 3])

        section("2. A year of records: \(Period(index: period.index - 12)) to \(period.previous)")
        let archive = DemoData.archive(
            units: reporting.map { ($0.code, $0.fullName, officials[$0.code]!) }, first: Period(index: period.index - 12), last: period.previous,
            surge: ["18775", "18781", "18823", "18832", "18754"], skipLastMonth: ["18652"])
        var stored = 0
        for start in stride(from: 0, to: archive.count, by: 400) {
            stored += try await inv.call(IntakeAPI.importArchive, ImportArchiveRequest(reports: Array(archive[start..<min(archive.count, start + 400)]))).stored
        }
        print("imported \(stored) monthly reports with \(archive.map(\.draft.items.count).reduce(0, +)) opinion items from the office's earlier records (seeded, reproducible)")

        section("3. Monthly reports for \(period) (demo clock: \(period)-20 09:00, before the deadline of the 25th)")
        let samples: [(String, String, String, Prevalence, Trend, Int)] = [
            ("18073", "dat-dai", "Người dân phường quan tâm tiến độ bồi thường, giải phóng mặt bằng dự án mở rộng đường; một số hộ chưa đồng thuận với giá đền bù.", .some, .rising, -1),
            ("18100", "gia-ca", "Giá thực phẩm và xăng dầu tăng khiến đời sống người lao động khó khăn hơn, tiểu thương lo ngại sức mua giảm.", .widespread, .rising, -1),
            ("18133", "cai-cach-hanh-chinh", "Sau sắp xếp đơn vị hành chính, người dân đánh giá cao việc giải quyết thủ tục tại trung tâm phục vụ hành chính công xã, nhanh và thuận tiện.", .some, .stable, 1),
            ("18229", "moi-truong", "Một số hộ phản ánh mùi hôi từ khu chăn nuôi tập trung; đã liên hệ cán bộ qua số 0912 345 678 và zalo.me/0912345678 nhưng chưa được xử lý.", .isolated, .rising, -2),
            ("18673", "y-te", "Người dân hài lòng với đợt khám sức khỏe miễn phí cho người cao tuổi do trạm y tế xã tổ chức.", .some, .stable, 2),
        ]
        for (unit, topic, summary, prevalence, trend, sentiment) in samples {
            let draft = ReportDraft(
                unit: unit, period: period, submitter: officials[unit]!, assessment: "Tình hình tư tưởng của cán bộ, đảng viên và nhân dân trên địa bàn ổn định.",
                items: [OpinionItem(topic: topic, summary: summary, prevalence: prevalence, trend: trend, sentiment: sentiment, channels: [.inPerson, .meetings], proposal: "Đề nghị các cơ quan chức năng quan tâm, giải quyết dứt điểm.")],
                idempotencyKey: "demo-\(unit)-\(period)-v1")
            let result = try await inv.call(IntakeAPI.submitReport, draft)
            let removed = result.scrubbed.isEmpty ? "" : "; removed " + result.scrubbed.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")
            print("  \(unit) \(Output.pad(topic, 20)) version \(result.report.version), \(ReportCommands.timeliness(result.report.timeliness))\(removed)")
        }
        // A retry of the same submission stores nothing new.
        let retry = try await inv.call(IntakeAPI.submitReport, ReportDraft(
            unit: "18073", period: period, submitter: officials["18073"]!, assessment: "Tình hình tư tưởng của cán bộ, đảng viên và nhân dân trên địa bàn ổn định.",
            items: [OpinionItem(topic: "dat-dai", summary: samples[0].2, prevalence: .some, trend: .rising, sentiment: -1, channels: [.inPerson, .meetings], proposal: "Đề nghị các cơ quan chức năng quan tâm, giải quyết dứt điểm.")],
            idempotencyKey: "demo-18073-\(period)-v1"))
        print("  18073 retried with the same key: \(retry.replayed ? "recognised, nothing new stored" : "stored again (unexpected)")")
        // A correction: a new version; timeliness stays the first version's.
        let corrected = try await inv.call(IntakeAPI.submitReport, ReportDraft(
            unit: "18100", period: period, submitter: officials["18100"]!, assessment: "Bổ sung: tình hình tư tưởng nhìn chung ổn định.",
            items: [
                OpinionItem(topic: "gia-ca", summary: samples[1].2, prevalence: .widespread, trend: .rising, sentiment: -1, channels: [.inPerson, .socialMedia]),
                OpinionItem(topic: "viec-lam", summary: "Lao động trẻ mong muốn có thêm lớp đào tạo nghề gắn với doanh nghiệp trên địa bàn.", prevalence: .some, trend: .stable, sentiment: 0, channels: [.meetings]),
            ],
            idempotencyKey: "demo-18100-\(period)-v2"))
        print("  18100 corrected: version \(corrected.report.version) with \(corrected.report.items) items, still \(ReportCommands.timeliness(corrected.report.timeliness))")
        // A late report: last month's, filed now.
        let late = try await inv.call(IntakeAPI.submitReport, ReportDraft(
            unit: "18652", period: period.previous, submitter: officials["18652"]!, assessment: "Báo cáo bổ sung tháng trước.",
            items: [OpinionItem(topic: "thien-tai", summary: "Người dân vùng ven biển lo lắng về mùa mưa bão, đề nghị gia cố đê kè.", prevalence: .widespread, trend: .rising, sentiment: -1, channels: [.inPerson])],
            idempotencyKey: "demo-18652-\(period.previous)"))
        print("  18652 filed \(period.previous)'s report only now: \(ReportCommands.timeliness(late.report.timeliness))")

        print("\nWhat intake stored for 18229 (identifiers replaced before storage):")
        let storedReport = try await inv.call(IntakeAPI.getReport, GetReportRequest(unit: "18229", period: period))
        print("  \(storedReport.items[0].summary)")
        print("\nVersions of 18100's reports:")
        let history = try await inv.call(IntakeAPI.reportHistory, ReportHistoryRequest(unit: "18100"))
        inv.output.table(["period", "version", "items", "received", "timeliness"], history.versions.prefix(4).map { [$0.period.description, String($0.version), String($0.items), Output.time($0.receivedAt), $0.timeliness.rawValue] }, numeric: [1, 2])
        print("… and \(max(0, history.versions.count - 4)) earlier versions")

        section("4. Who has reported for \(period) (analytics, from intake's change feed)")
        let expectedVersions = stored + 7
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let status = try await inv.call(AnalyticsAPI.ingestStatus, Empty())
            if status.reports >= expectedVersions && status.units > 0 { break }
            guard ContinuousClock.now < deadline else { throw CLIError("analytics did not catch up within 60 s (has \(status.reports) report versions, \(status.units) units)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let c = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: period))
        let reported = c.rows.filter { $0.state != .missing }
        inv.output.table(
            ["state", "unit", "name", "version", "items"],
            (reported + c.rows.filter { $0.state == .missing }.prefix(4)).map { [ReportCommands.stateNames[$0.state]!, $0.unit, $0.name, $0.version.map(String.init) ?? "", $0.items.map(String.init) ?? ""] }, numeric: [3, 4])
        print("… and \(c.expected - c.reported - min(4, c.expected - c.reported)) more units that have not reported")
        print("\(c.reported) of \(c.expected) units reported (\(Output.percent(c.reportingRate))), \(c.onTime) on time (\(Output.percent(c.timelinessRate)))")
        let lastMonth = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: period.previous, asOfDeadline: true))
        print("\(period.previous), as of its deadline: \(lastMonth.reported) of \(lastMonth.expected) reported (\(Output.percent(lastMonth.reportingRate))), \(lastMonth.onTime) on time (\(Output.percent(lastMonth.timelinessRate)))")

        section("5. What people talk about, and what is rising (province, last 12 months)")
        let trends = try await inv.call(AnalyticsAPI.trends, Scope(to: period.previous))
        inv.output.table(
            ["topic", "intensity by month", "items"],
            trends.series.sorted { $0.points.compactMap(\.items).reduce(0, +) > $1.points.compactMap(\.items).reduce(0, +) }.map {
                [$0.topic, AnalyticsCommands.sparkline($0.points.map(\.intensity)), String($0.points.compactMap(\.items).reduce(0, +))]
            }, numeric: [2])
        let rising = try await inv.call(AnalyticsAPI.rising, RisingRequest(period: period.previous, limit: 3))
        print("\nRising in \(period.previous): " + rising.topics.map { "\($0.topic) (\(String(format: "%.0f", $0.intensity)) vs \(String(format: "%.1f", $0.before)))" }.joined(separator: ", "))
        let spikes = try await inv.call(AnalyticsAPI.spikes, ListSpikesRequest(period: period.previous))
        print("Spikes in \(period.previous) (P(X ≥ items | Poisson(6-month mean)) < \(spikes.threshold)):")
        for s in spikes.spikes.sorted(by: { ($0.unit.count, $0.pValue) < ($1.unit.count, $1.pValue) }).prefix(7) {
            print("  \(s.topic) in \(s.unit): \(s.items) items against \(String(format: "%.1f", s.baseline)) a month (×\(String(format: "%.1f", s.strength)), p = \(String(format: "%.1e", s.pValue)))")
        }
        let phrases = try await inv.call(AnalyticsAPI.phrases, PhrasesRequest(topic: "dat-dai", period: period.previous, limit: 5))
        print("What is new in dat-dai texts: " + phrases.phrases.map { "“\($0.phrase)”" }.joined(separator: ", "))
        let hits = try await inv.call(AnalyticsAPI.search, SearchItemsRequest(query: "boi thuong", limit: 2))
        print("Searching \"boi thuong\" (no diacritics): \(hits.total) items, e.g. “\(hits.hits.first?.summary ?? "")”")

        section("6. Annual ranking \(period.year) (xếp loại)")
        let ranking = try await inv.call(AnalyticsAPI.ranking, RankingRequest(year: period.year))
        let shown = Array(ranking.rows.prefix(4)) + Array(ranking.rows.suffix(2))
        inv.output.table(
            ["#", "unit", "score", "grade", "reported", "on time", "official", "team"],
            shown.map { [String($0.rank), $0.name, String(format: "%.1f", $0.score * 100), $0.grade] + $0.components.prefix(4).map { String(format: "%.0f%%", $0.value * 100) } },
            numeric: [0, 2, 4, 5, 6, 7])
        var grades: [String: Int] = [:]
        for row in ranking.rows { grades[row.grade, default: 0] += 1 }
        print("\(ranking.rows.count) units: " + ["xuất sắc", "tốt", "khá", "yếu"].map { "\(grades[$0] ?? 0) \($0)" }.joined(separator: ", "))

        section("7. Urging the units (đôn đốc): reminders before the 25th, escalations after it (notification)")
        let commission = try await inv.call(RosterAPI.listUnits, ListUnitsRequest(kinds: [.commission])).units.first?.code ?? "42-BTGDV"
        let staff = try await inv.call(
            RosterAPI.addPerson, Person(fullName: "Nguyễn Thị Thu Hà", unit: commission, role: .staff, email: "thuha@btgdv.hatinh.gov.vn", joined: Day(year: 2025, month: 7, day: 1)!))
        let maildir = stack.directory + "/data/notification/maildir/new"
        /// This month's notices of `rule`, once notification has recorded some and sent all it can.
        func settled(_ rule: NoticeRule) async throws -> [Notice] {
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                let notices = try await inv.call(NotificationAPI.listNotices, ListNoticesRequest(limit: 10_000)).notices
                let ofRule = notices.filter { $0.rule == rule && ($0.period == period || rule == .spike) }
                if !ofRule.isEmpty && !notices.contains(where: { $0.state == .pending }) { return ofRule }
                guard ContinuousClock.now < deadline else { throw CLIError("notification did not record and deliver \(rule.rawValue) notices within 30 s; see \(stack.directory)/logs/notification.log") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        func show(_ notices: [Notice], _ what: String) {
            let sent = notices.filter { $0.state == .sent }
            let failed = notices.filter { $0.state == .failed }
            print("\(what): \(sent.count) delivered" + (failed.isEmpty ? "" : ", \(failed.count) recorded as failed (\(failed[0].lastError ?? ""))"))
            if let example = sent.first {
                print("  to \(example.recipientName): “\(example.subject)”")
                for line in example.body.split(separator: "\n", omittingEmptySubsequences: false).prefix(5) { print("    \(line)") }
            }
        }
        try await stack.startNotification(clockStart: String(format: "%04d-%02d-20T09:00:00+07:00", period.year, period.month))
        _ = try await inv.call(NotificationAPI.subscribe, Subscription(person: staff.id!, topics: []))
        print("commission staff \(staff.fullName) (person \(staff.id!)) subscribes to spike alerts on every topic")
        show(try await settled(.reminder), "\(period.description), clock at 20 09:00 — reminders 5 days before the deadline")
        let alerts = try await settled(.spike)
        if let alert = alerts.first { print("\(alerts.count) spike alerts to \(staff.fullName), e.g. “\(alert.subject)”") }

        let day26 = String(format: "%04d-%02d-%02dT08:00:00+07:00", period.year, period.month, min(26, Day.daysIn(period.year, period.month)))
        try await stack.startNotification(clockStart: day26)
        show(try await settled(.escalation), "\nnotification restarted with its clock at \(day26.prefix(10)) 08:00 — escalations the day after the deadline")
        let day28 = String(format: "%04d-%02d-%02dT08:00:00+07:00", period.year, period.month, min(28, Day.daysIn(period.year, period.month)))
        try await stack.startNotification(clockStart: day28)
        let commissionNotices = try await settled(.commissionEscalation)
        if let notice = commissionNotices.first {
            print("\nat \(day28.prefix(10)) 08:00, to the commission (\(notice.recipientName)): “\(notice.subject)”")
            for line in notice.body.split(separator: "\n").filter({ $0.hasPrefix("–") }).prefix(3) { print("    \(line)") }
            print("    …")
        }
        let all = try await inv.call(NotificationAPI.listNotices, ListNoticesRequest(limit: 10_000)).notices
        let files = (try? FileManager.default.contentsOfDirectory(atPath: maildir).count) ?? 0
        print("\n\(all.count) notices recorded, each once under its key (restarts and reruns add none); \(files) messages in the Maildir \(maildir)")

        section("8. What is stored holds no identifier of the public (pulse privacy scan)")
        let scan = try PrivacyScan(directory: stack.directory).run()
        print("  \(scan.findings.count) identifiers found in \(scan.files) files (\(String(format: "%.1f", Double(scan.bytes) / 1_048_576)) MiB: databases, free pages, logs); \(scan.exempt) are the network's own contacts, which Pulse keeps")
        for finding in scan.findings.prefix(10) { print("  \(finding.file) at \(finding.offset): \(finding.kind) \(finding.masked)") }
    }
}

/// Ctrl-C (or SIGTERM) during the demo stops the stack cleanly instead of leaving daemons behind.
final class DemoSignals: Sendable {
    private let signal: Task<Void, Never>
    private let flag = Atomic<Bool>(false)

    private init(signal: Task<Void, Never>) { self.signal = signal }

    static func install(_ stack: DemoStack) -> DemoSignals {
        let box = Mutex<DemoSignals?>(nil)
        let shutdown = ShutdownSignal.install()
        let signal = Task {
            _ = await withTaskCancellationHandler {
                await shutdown.wait()
            } onCancel: {
                shutdown.cancel()
            }
            box.withLock { $0?.flag.store(true, ordering: .sequentiallyConsistent) }
            // The demo then notices its calls fail, or returns from wait(), and cleans up.
            stack.terminateAll()
        }
        let signals = DemoSignals(signal: signal)
        box.withLock { $0 = signals }
        return signals
    }

    var interrupted: Bool { flag.load(ordering: .sequentiallyConsistent) }

    /// Returns when SIGINT or SIGTERM arrives.
    func wait() async { await signal.value }

    func cancel() { signal.cancel() }
}
