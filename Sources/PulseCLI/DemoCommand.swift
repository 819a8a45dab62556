import Arguments
import Daemon
import Foundation
import Localization
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
            "demo", tr("Khởi động năm dịch vụ trên socket tạm, nạp mạng lưới Hà Tĩnh, chạy một tháng báo cáo qua chúng, hiện kết quả rồi dừng.", en: "Start the five services on temporary sockets, load Hà Tĩnh's network, run a month's reports through them, show the results and stop."),
            options: [.flag("keep", help: tr("Để hệ thống chạy tiếp sau đó (Ctrl-C để dừng) để thử mọi lệnh.", en: "Leave the stack running afterwards (Ctrl-C stops it) so you can try every command."))]
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

    /// The demo's instant: the 20th of this month at 09:00, before the deadline of the 25th.
    static func clockStart(_ period: Period, day: Int = 20, hour: Int = 9) -> String {
        String(format: "%04d-%02d-%02dT%02d:00:00+07:00", period.year, period.month, min(day, Day.daysIn(period.year, period.month)), hour)
    }

    static func run(keep: Bool) async throws {
        let stack = try DemoStack()
        let stopper = DemoSignals.install(stack)
        defer { stopper.cancel() }
        let period = Day.today.period
        let start = clockStart(period)
        // One clock for the demo and every service it starts.
        _ = PulseClock.start(iso8601: start)
        print(tr("Pulse demo: khởi động roster, report-intake, analytics và gateway trong \(stack.directory)", en: "Pulse demo: starting roster, report-intake, analytics and gateway in \(stack.directory)"))
        print(tr("  đồng hồ của demo: 20/\(String(format: "%02d", period.month))/\(period.year) 09:00 cho mọi dịch vụ", en: "  the demo's clock: \(period)-20 09:00 for every service"))
        let watcher = stack.watch()
        defer { watcher.cancel() }
        do {
            try await stack.start(clockStart: start)
            for (name, process) in stack.processes { print("  \(Output.pad(name, 14)) pid \(process.pid)") }
            try await script(stack: stack, period: period)
        } catch {
            if stopper.interrupted {
                warn(tr("\nđã ngắt: dừng các dịch vụ; log giữ lại trong \(stack.directory)/logs", en: "\ninterrupted: stopping the services; logs kept in \(stack.directory)/logs"))
                stack.stop(removeDirectory: true, keepingLogs: true)
                exit(130)
            }
            for line in stack.deaths() { warn("⚠ " + line) }
            warn(tr("demo thất bại: \(error)\n  log của các dịch vụ trong \(stack.directory)/logs", en: "demo failed: \(error)\n  daemon logs are in \(stack.directory)/logs"))
            stack.stop(removeDirectory: false)
            throw error
        }
        if keep {
            section(tr("Hệ thống đang chạy", en: "The stack is running"))
            print(tr("Trong một cửa sổ dòng lệnh khác:\n", en: "In another terminal:\n"))
            print("  export PULSE_SOCKET=\(stack.gatewaySocket) PULSE_CLOCK_START=\(start)")
            print("  swift run pulse status            # " + tr("hoặc .build/debug/pulse status", en: "or .build/debug/pulse status"))
            print("  swift run pulse units search \"ky anh\"")
            print("  swift run pulse teams status --missing")
            print("  swift run pulse report show 18073 \(period.text)")
            print("  swift run pulse survey results 1")
            print("  swift run pulse report due --unit 18073")
            print(tr("  # ba cơ quan qua một gateway (phần 9):", en: "  # three agencies through one gateway (section 9):"))
            print("  swift run pulse --socket \(stack.socket("federation-gateway")) status")
            let gateway = stack.processes.first { $0.name == "gateway" }?.process.pid ?? 0
            print(tr("\nBạn là quản trị (\(stack.policyFile)). Để thử các vai trò khác, thêm tài khoản vào tệp đó,", en: "\nYou are an administrator (\(stack.policyFile)). To try the other roles, add accounts to that file,"))
            print(tr("ví dụ", en: "for example") + " {\"uid\": 1001, \"role\": \"analyst\"}, {\"uid\": 1002, \"role\": \"official\", \"person\": 1} " + tr("hoặc", en: "or"))
            print("{\"uid\": 1003, \"role\": \"partner\", \"agency\": \"police\", \"units\": [\"18073\"], \"person\": 2}, " + tr("rồi", en: "then") + " `kill -HUP \(gateway)`.")
            print(tr("Cho tài khoản đó tới được socket (`chmod o+x \(stack.directory)` và `chmod o+rw \(stack.gatewaySocket)`) rồi chạy", en: "Let that account reach the socket (`chmod o+x \(stack.directory)` and `chmod o+rw \(stack.gatewaySocket)`) and run"))
            print(tr("`sudo -u USER .build/debug/pulse --socket \(stack.gatewaySocket) whoami` (sudo bỏ PULSE_SOCKET).", en: "`sudo -u USER .build/debug/pulse --socket \(stack.gatewaySocket) whoami` (sudo drops PULSE_SOCKET)."))
            print(tr("\nLog: \(stack.directory)/logs (giữ lại sau khi dừng). Nhấn Ctrl-C ở đây để dừng hệ thống.", en: "\nLogs: \(stack.directory)/logs (kept after the stop). Press Ctrl-C here to stop the stack."))
            await stopper.wait()
        }
        section(tr("Dừng", en: "Stopping"))
        let count = stack.processes.count
        let unclean = stack.stop(removeDirectory: true, keepingLogs: keep)
        guard unclean.isEmpty else {
            throw CLIError(tr("có dịch vụ không dừng gọn: \(unclean.joined(separator: ", ")); log trong \(stack.directory)/logs", en: "not every service stopped cleanly: \(unclean.joined(separator: ", ")); logs are in \(stack.directory)/logs"))
        }
        if keep {
            print(tr("cả \(count) tiến trình dịch vụ đã dừng gọn (SIGTERM, mã 0); đã xóa dữ liệu, giữ log trong \(stack.directory)/logs", en: "all \(count) service processes stopped cleanly (SIGTERM, exit 0); removed the data, kept the logs in \(stack.directory)/logs"))
        } else {
            print(tr("cả \(count) tiến trình dịch vụ đã dừng gọn (SIGTERM, mã 0); đã xóa \(stack.directory)", en: "all \(count) service processes stopped cleanly (SIGTERM, exit 0); removed \(stack.directory)"))
        }
    }

    static func script(stack: DemoStack, period: Period) async throws {
        let inv = Invocation(arguments: ParsedArguments(), output: Output(format: .table), socketPath: stack.gatewaySocket)
        let health = try await inv.call(GatewayAPI.status, Empty())
        print(tr("  gateway thấy: ", en: "  gateway sees: ") + health.backends.filter { !$0.service.contains("notification") }.map { "\($0.service.split(separator: ".")[1]) \($0.status == "SERVING" ? tr("hoạt động", en: "serving") : $0.status)" }.joined(separator: ", ") + tr(" (notification khởi động ở phần 8)", en: " (notification starts in section 8)"))

        section(tr("1. Mạng lưới: Hà Tĩnh sau sắp xếp ngày 1/7/2025", en: "1. The network: Hà Tĩnh after the 1 July 2025 merger"))
        let imported = try await inv.call(RosterAPI.importUnits, ImportUnitsRequest(dataset: "ha-tinh"))
        print(tr("đã nhập \(imported.inserted) đơn vị (\(imported.unchanged) không đổi); nhập lại cũng không thay đổi gì", en: "imported \(imported.inserted) units (\(imported.unchanged) unchanged); importing again would change nothing"))

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
        print(tr("\nTìm \"ky anh\" (không dấu) được:", en: "\nSearching \"ky anh\" (no diacritics) finds:"))
        for u in try await inv.call(RosterAPI.searchUnits, SearchRequest(query: "ky anh", asOf: Day.today)).units { print("  \(u.code)  \(u.fullName)") }
        let teams = try await inv.call(RosterAPI.teamStatus, TeamStatusRequest(missingOnly: true))
        print(tr("\nĐội cộng tác viên dưới định mức (6 đầu tiên trong \(teams.rows.count)):", en: "\nCollaborator teams below the norm (first 6 of \(teams.rows.count)):"))
        inv.output.table(
            [tr("mã", en: "code"), tr("đơn vị", en: "unit"), tr("đang hoạt động", en: "active"), tr("định mức", en: "norm"), tr("cán bộ phụ trách", en: "official in charge")],
            teams.rows.prefix(6).map { [$0.unit, $0.name, String($0.active), String($0.norm), $0.official ?? tr("— chưa phân công", en: "— none named")] }, numeric: [2, 3])

        let first = Period(index: period.index - 12)
        section(tr("2. Một năm hồ sơ: \(first.text) đến \(period.previous.text)", en: "2. A year of records: \(first.text) to \(period.previous.text)"))
        let archive = DemoData.archive(
            units: reporting.map { ($0.code, $0.fullName, officials[$0.code]!) }, first: first, last: period.previous,
            surge: ["18775", "18781", "18823", "18832", "18754"], skipLastMonth: ["18652"])
        var stored = 0
        for start in stride(from: 0, to: archive.count, by: 400) {
            stored += try await inv.call(IntakeAPI.importArchive, ImportArchiveRequest(reports: Array(archive[start..<min(archive.count, start + 400)]))).stored
            // A year of data takes a few seconds: say how far it is.
            if (isatty(STDERR_FILENO) != 0) { FileHandle.standardError.write(Data(tr("\r  đang nhập \(Output.number(min(archive.count, start + 400))) / \(Output.number(archive.count)) báo cáo…", en: "\r  importing \(Output.number(min(archive.count, start + 400))) / \(Output.number(archive.count)) reports…").utf8)) }
        }
        if (isatty(STDERR_FILENO) != 0) { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let items = archive.map(\.draft.items.count).reduce(0, +)
        print(tr("đã nhập \(Output.number(stored)) báo cáo tháng với \(Output.number(items)) nội dung từ hồ sơ trước đây của Ban (dữ liệu mô phỏng, tạo lại được y hệt)", en: "imported \(Output.number(stored)) monthly reports with \(Output.number(items)) opinion items from the office's earlier records (seeded, reproducible)"))

        section(tr("3. Báo cáo tháng \(period.text) (đồng hồ demo: 20/\(period.text) 09:00, trước hạn ngày 25)", en: "3. Monthly reports for \(period.text) (demo clock: \(period)-20 09:00, before the deadline of the 25th)"))
        let labels = try await Names.topics(inv)
        let samples: [(String, String, String, Prevalence, Trend, Int)] = [
            ("18073", "dat-dai", "Người dân phường quan tâm tiến độ bồi thường, giải phóng mặt bằng dự án mở rộng đường; một số hộ chưa đồng thuận với giá đền bù.", .some, .rising, -1),
            ("18100", "gia-ca", "Giá thực phẩm và xăng dầu tăng khiến đời sống người lao động khó khăn hơn, tiểu thương lo ngại sức mua giảm.", .widespread, .rising, -1),
            ("18133", "cai-cach-hanh-chinh", "Sau sắp xếp đơn vị hành chính, người dân đánh giá cao việc giải quyết thủ tục tại trung tâm phục vụ hành chính công xã, nhanh và thuận tiện.", .some, .stable, 1),
            ("18229", "moi-truong", "Một số hộ phản ánh mùi hôi từ khu chăn nuôi tập trung; đã liên hệ cán bộ qua số 0912 345 678 và zalo.me/0912345678 nhưng chưa được xử lý.", .isolated, .rising, -2),
            ("18673", "y-te", "Người dân hài lòng với đợt khám sức khỏe miễn phí cho người cao tuổi do trạm y tế xã tổ chức.", .some, .stable, 2),
        ]
        let topicWidth = samples.map { Output.width(labels[$0.1] ?? $0.1) }.max() ?? 0
        for (unit, topic, summary, prevalence, trend, sentiment) in samples {
            let draft = ReportDraft(
                unit: unit, period: period, submitter: officials[unit]!, assessment: "Tình hình tư tưởng của cán bộ, đảng viên và nhân dân trên địa bàn ổn định.",
                items: [OpinionItem(topic: topic, summary: summary, prevalence: prevalence, trend: trend, sentiment: sentiment, channels: [.inPerson, .meetings], proposal: "Đề nghị các cơ quan chức năng quan tâm, giải quyết dứt điểm.")],
                idempotencyKey: "demo-\(unit)-\(period)-v1")
            let result = try await inv.call(IntakeAPI.submitReport, draft)
            let removed = result.scrubbed.isEmpty ? "" : tr("; đã bỏ ", en: "; removed ") + ReportCommands.scrubbed(result.scrubbed)
            print("  \(unit) \(Output.pad(labels[topic] ?? topic, topicWidth)) " + tr("phiên bản", en: "version") + " \(result.report.version), \(result.report.timeliness.word)\(removed)")
        }
        // A retry of the same submission stores nothing new.
        let retry = try await inv.call(IntakeAPI.submitReport, ReportDraft(
            unit: "18073", period: period, submitter: officials["18073"]!, assessment: "Tình hình tư tưởng của cán bộ, đảng viên và nhân dân trên địa bàn ổn định.",
            items: [OpinionItem(topic: "dat-dai", summary: samples[0].2, prevalence: .some, trend: .rising, sentiment: -1, channels: [.inPerson, .meetings], proposal: "Đề nghị các cơ quan chức năng quan tâm, giải quyết dứt điểm.")],
            idempotencyKey: "demo-18073-\(period)-v1"))
        print("  18073 " + (retry.replayed ? tr("gửi trùng (cùng khóa): đã nhận biết, không lưu thêm", en: "retried with the same key: recognised, nothing new stored") : tr("gửi lại: bị lưu lần nữa (không mong đợi)", en: "retried: stored again (unexpected)")))
        // A correction: a new version; timeliness stays the first version's.
        let corrected = try await inv.call(IntakeAPI.submitReport, ReportDraft(
            unit: "18100", period: period, submitter: officials["18100"]!, assessment: "Bổ sung: tình hình tư tưởng nhìn chung ổn định.",
            items: [
                OpinionItem(topic: "gia-ca", summary: samples[1].2, prevalence: .widespread, trend: .rising, sentiment: -1, channels: [.inPerson, .socialMedia]),
                OpinionItem(topic: "viec-lam", summary: "Lao động trẻ mong muốn có thêm lớp đào tạo nghề gắn với doanh nghiệp trên địa bàn.", prevalence: .some, trend: .stable, sentiment: 0, channels: [.meetings]),
            ],
            idempotencyKey: "demo-18100-\(period)-v2"))
        print(tr("  18100 sửa: phiên bản \(corrected.report.version) với \(corrected.report.items) nội dung, vẫn \(corrected.report.timeliness.word)", en: "  18100 corrected: version \(corrected.report.version) with \(corrected.report.items) items, still \(corrected.report.timeliness.word)"))
        // A late report: last month's, filed now.
        let late = try await inv.call(IntakeAPI.submitReport, ReportDraft(
            unit: "18652", period: period.previous, submitter: officials["18652"]!, assessment: "Báo cáo bổ sung tháng trước.",
            items: [OpinionItem(topic: "thien-tai", summary: "Người dân vùng ven biển lo lắng về mùa mưa bão, đề nghị gia cố đê kè.", prevalence: .widespread, trend: .rising, sentiment: -1, channels: [.inPerson])],
            idempotencyKey: "demo-18652-\(period.previous)"))
        print(tr("  18652 đến giờ mới gửi báo cáo tháng \(period.previous.text): \(late.report.timeliness.word)", en: "  18652 filed \(period.previous.text)'s report only now: \(late.report.timeliness.word)"))

        print(tr("\nNội dung đã lưu cho 18229 (thông tin định danh được thay trước khi lưu):", en: "\nWhat intake stored for 18229 (identifiers replaced before storage):"))
        let storedReport = try await inv.call(IntakeAPI.getReport, GetReportRequest(unit: "18229", period: period))
        print("  \(storedReport.items[0].summary)")
        print(tr("\nCác phiên bản báo cáo của 18100:", en: "\nVersions of 18100's reports:"))
        let history = try await inv.call(IntakeAPI.reportHistory, ReportHistoryRequest(unit: "18100"))
        inv.output.table(
            [tr("tháng", en: "month"), tr("phiên bản", en: "version"), tr("nội dung", en: "items"), tr("nhận lúc", en: "received"), tr("thời hạn", en: "timeliness")],
            history.versions.prefix(4).map { [$0.period.text, String($0.version), String($0.items), Output.time($0.receivedAt), $0.timeliness.word] }, numeric: [1, 2])
        print(tr("… và \(max(0, history.versions.count - 4)) phiên bản trước đó", en: "… and \(max(0, history.versions.count - 4)) earlier versions"))

        section(tr("4. Ai đã báo cáo tháng \(period.text) (dịch vụ phân tích, theo dòng thay đổi của dịch vụ tiếp nhận)", en: "4. Who has reported for \(period.text) (analytics, from intake's change feed)"))
        let expectedVersions = stored + 7
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let status = try await inv.call(AnalyticsAPI.ingestStatus, Empty())
            if status.reports >= expectedVersions && status.units > 0 { break }
            guard ContinuousClock.now < deadline else { throw CLIError(tr("analytics chưa theo kịp trong 60 giây (có \(status.reports) phiên bản báo cáo, \(status.units) đơn vị)", en: "analytics did not catch up within 60 s (has \(status.reports) report versions, \(status.units) units)")) }
            try await Task.sleep(for: .milliseconds(100))
        }
        let c = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: period))
        let reported = c.rows.filter { $0.state != .missing }
        inv.output.table(
            [tr("trạng thái", en: "state"), tr("mã", en: "code"), tr("đơn vị", en: "unit"), tr("phiên bản", en: "version"), tr("nội dung", en: "items")],
            (reported + c.rows.filter { $0.state == .missing }.prefix(4)).map { [$0.state.word, $0.unit, $0.name, $0.version.map(String.init) ?? "", $0.items.map(String.init) ?? ""] }, numeric: [3, 4])
        print(tr("… và \(c.expected - c.reported - min(4, c.expected - c.reported)) đơn vị nữa chưa báo cáo", en: "… and \(c.expected - c.reported - min(4, c.expected - c.reported)) more units that have not reported"))
        print(tr("\(c.reported) trên \(c.expected) đơn vị đã báo cáo (\(Output.percent(c.reportingRate))), \(c.onTime) đúng hạn (\(Output.percent(c.timelinessRate)))", en: "\(c.reported) of \(c.expected) units reported (\(Output.percent(c.reportingRate))), \(c.onTime) on time (\(Output.percent(c.timelinessRate)))"))
        let lastMonth = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: period.previous, asOfDeadline: true))
        print(tr("\(period.previous.text), tính tại thời hạn: \(lastMonth.reported) trên \(lastMonth.expected) đã báo cáo (\(Output.percent(lastMonth.reportingRate))), \(lastMonth.onTime) đúng hạn (\(Output.percent(lastMonth.timelinessRate)))", en: "\(period.previous.text), as of its deadline: \(lastMonth.reported) of \(lastMonth.expected) reported (\(Output.percent(lastMonth.reportingRate))), \(lastMonth.onTime) on time (\(Output.percent(lastMonth.timelinessRate)))"))

        section(tr("5. Người dân bàn về gì, điều gì đang tăng (toàn tỉnh, 12 tháng qua)", en: "5. What people talk about, and what is rising (province, last 12 months)"))
        let trends = try await inv.call(AnalyticsAPI.trends, Scope(to: period.previous))
        inv.output.table(
            [tr("chủ đề", en: "topic"), tr("cường độ theo tháng", en: "intensity by month"), tr("nội dung", en: "items")],
            trends.series.sorted { $0.points.compactMap(\.items).reduce(0, +) > $1.points.compactMap(\.items).reduce(0, +) }.map {
                [labels[$0.topic] ?? $0.topic, AnalyticsCommands.sparkline($0.points.map(\.intensity)), Output.number($0.points.compactMap(\.items).reduce(0, +))]
            }, numeric: [2])
        let rising = try await inv.call(AnalyticsAPI.rising, RisingRequest(period: period.previous, limit: 3))
        print(tr("\nĐang tăng trong \(period.previous.text): ", en: "\nRising in \(period.previous.text): ") + rising.topics.map { "\(labels[$0.topic] ?? $0.topic) (" + tr("cường độ \(Output.decimal($0.intensity, 0)), trung bình 3 tháng trước \(Output.decimal($0.before))", en: "\(Output.decimal($0.intensity, 0)) vs \(Output.decimal($0.before))") + ")" }.joined(separator: ", "))
        let spikes = try await inv.call(AnalyticsAPI.spikes, ListSpikesRequest(period: period.previous))
        let unitNames = try await Names.units(inv)
        print(tr("Tăng đột biến trong \(period.previous.text) (P(X ≥ số nội dung | Poisson(trung bình 6 tháng)) < \(spikes.threshold)):", en: "Spikes in \(period.previous.text) (P(X ≥ items | Poisson(6-month mean)) < \(spikes.threshold)):"))
        for s in spikes.spikes.sorted(by: { ($0.unit.count, $0.pValue) < ($1.unit.count, $1.pValue) }).prefix(7) {
            let place = unitNames[s.unit].map { "\($0) (\(s.unit))" } ?? s.unit
            print(tr("  \(labels[s.topic] ?? s.topic) tại \(place): \(s.items) nội dung so với \(Output.decimal(s.baseline)) mỗi tháng (×\(Output.decimal(s.strength)), p = \(LocalFormat.probability(s.pValue)))", en: "  \(labels[s.topic] ?? s.topic) in \(place): \(s.items) items against \(Output.decimal(s.baseline)) a month (×\(Output.decimal(s.strength)), p = \(LocalFormat.probability(s.pValue)))"))
        }
        let phrases = try await inv.call(AnalyticsAPI.phrases, PhrasesRequest(topic: "dat-dai", period: period.previous, limit: 5))
        print(tr("Điều mới trong văn bản về \(labels["dat-dai"] ?? "dat-dai"): ", en: "What is new in \(labels["dat-dai"] ?? "dat-dai") texts: ") + phrases.phrases.map { "“\($0.phrase)”" }.joined(separator: ", "))
        let hits = try await inv.call(AnalyticsAPI.search, SearchItemsRequest(query: "boi thuong", limit: 2))
        print(tr("Tìm \"boi thuong\" (không dấu): \(Output.number(hits.total)) nội dung, ví dụ “\(hits.hits.first?.summary ?? "")”", en: "Searching \"boi thuong\" (no diacritics): \(Output.number(hits.total)) items, e.g. “\(hits.hits.first?.summary ?? "")”"))

        section(tr("6. Khảo sát xã hội học: phiếu ẩn danh, ước lượng có sai số", en: "6. A sociological survey: anonymous responses, estimates with margins of error"))
        try await DemoSurvey.run(inv, period: period, reporting: reporting)

        section(tr("7. Xếp loại năm \(period.year)", en: "7. Annual ranking \(period.year) (xếp loại)"))
        let ranking = try await inv.call(AnalyticsAPI.ranking, RankingRequest(year: period.year))
        let shown = Array(ranking.rows.prefix(4)) + Array(ranking.rows.suffix(2))
        let componentNames = ranking.rows.first?.components.prefix(4).map { AnalyticsCommands.componentName($0.name) } ?? []
        var rankRows = shown.map { [String($0.rank), $0.name, Output.decimal($0.score * 100), AnalyticsCommands.grade($0.grade, inv.output)] + $0.components.prefix(4).map { Output.percent($0.value) } }
        // The rows between the best and the worst are left out: say so.
        if ranking.rows.count > shown.count { rankRows.insert(["…", tr("(\(ranking.rows.count - shown.count) đơn vị khác: `pulse ranking`)", en: "(\(ranking.rows.count - shown.count) more: `pulse ranking`)")] + Array(repeating: "", count: 2 + componentNames.count), at: 4) }
        inv.output.table(["#", tr("đơn vị", en: "unit"), tr("điểm", en: "score"), tr("xếp loại", en: "grade")] + componentNames, rankRows, numeric: [0, 2, 4, 5, 6, 7])
        var grades: [String: Int] = [:]
        for row in ranking.rows { grades[row.grade, default: 0] += 1 }
        print(tr("\(ranking.rows.count) đơn vị: ", en: "\(ranking.rows.count) units: ") + ["xuất sắc", "tốt", "khá", "yếu"].map { "\(grades[$0] ?? 0) \(AnalyticsCommands.grade($0, inv.output))" }.joined(separator: ", "))
        print(tr("(xếp loại tại thời điểm này của demo; `pulse ranking` sau đó tính lại với mọi số liệu đã có)", en: "(the ranking at this point of the demo; `pulse ranking` later ranks again with every figure there is by then)"))

        section(tr("8. Đôn đốc các đơn vị: nhắc trước ngày 25, đôn đốc sau hạn (notification)", en: "8. Urging the units (đôn đốc): reminders before the 25th, escalations after it (notification)"))
        try await DemoNotices.run(inv, stack: stack, period: period)

        section(tr("9. Ba cơ quan, một gateway: số liệu toàn tỉnh gộp từ từng cơ quan", en: "9. Three agencies, one gateway: province-wide figures merged from each"))
        try await DemoFederation.run(inv, stack: stack, period: period, clockStart: clockStart(period))

        section(tr("10. Bản tổng hợp tháng gửi Ban Thường vụ (pulse digest)", en: "10. The monthly digest for the standing committee (pulse digest)"))
        try await DemoFederation.digest(inv, period: period.previous)

        section(tr("11. Dữ liệu đã lưu không chứa thông tin định danh người dân (pulse privacy scan)", en: "11. What is stored holds no identifier of the public (pulse privacy scan)"))
        let scan = try PrivacyScan(directory: stack.directory).run()
        print(tr("  tìm thấy \(scan.findings.count) thông tin định danh trong \(scan.files) tệp (\(Output.decimal(Double(scan.bytes) / 1_048_576)) MiB: cơ sở dữ liệu, trang trống, log); \(Output.number(scan.exempt)) mục là thông tin liên lạc của cán bộ, cộng tác viên trong mạng lưới, được phép lưu",
                 en: "  \(scan.findings.count) identifiers found in \(scan.files) files (\(Output.decimal(Double(scan.bytes) / 1_048_576)) MiB: databases, free pages, logs); \(scan.exempt) are the network's own contacts, which Pulse keeps"))
        for finding in scan.findings.prefix(10) { print("  \(finding.file) @ \(finding.offset): \(finding.kind) \(finding.masked)") }
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
