import Foundation
import Localization
import Messages
import Wire

/// The demo's urging: reminders on the 20th, escalations on the 26th, the commission's list on
/// the 28th, each from notification restarted with its clock on that day.
enum DemoNotices {
    static func run(_ inv: Invocation, stack: DemoStack, period: Period) async throws {
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
                guard ContinuousClock.now < deadline else {
                    throw CLIError(tr("notification chưa ghi và gửi thông báo \(rule.word) trong 30 giây; xem \(stack.directory)/logs/notification.log", en: "notification did not record and deliver \(rule.word) notices within 30 s; see \(stack.directory)/logs/notification.log"))
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        func show(_ notices: [Notice], _ what: String) {
            let sent = notices.filter { $0.state == .sent }
            let failed = notices.filter { $0.state == .failed }
            print(what + ": " + tr("\(sent.count) đã gửi", en: "\(sent.count) delivered") + (failed.isEmpty ? "" : tr(", \(failed.count) trường hợp không gửi được (\(failed[0].lastError ?? ""))", en: ", \(failed.count) recorded as failed (\(failed[0].lastError ?? ""))")))
            if let example = sent.first {
                print(tr("  gửi ", en: "  to ") + "\(example.recipientName): “\(example.subject)”")
                for line in example.body.split(separator: "\n", omittingEmptySubsequences: false).prefix(5) { print("    \(line)") }
            }
        }
        try await stack.startNotification(clockStart: DemoCommand.clockStart(period))
        _ = try await inv.call(NotificationAPI.subscribe, Subscription(person: staff.id!, topics: []))
        print(tr("cán bộ Ban \(staff.fullName) đăng ký nhận cảnh báo tăng đột biến mọi chủ đề", en: "commission staff \(staff.fullName) subscribes to spike alerts on every topic (each notice is written in its reader's language, here Vietnamese)"))
        show(try await settled(.reminder), tr("\(period.text), đồng hồ lúc 20/\(period.text) 09:00 — nhắc hạn 5 ngày trước thời hạn", en: "\(period.text), clock at the 20th 09:00 — reminders 5 days before the deadline"))
        let alerts = try await settled(.spike)
        if let alert = alerts.first { print(tr("\(alerts.count) cảnh báo tăng đột biến gửi \(staff.fullName), ví dụ “\(alert.subject)”", en: "\(alerts.count) spike alerts to \(staff.fullName), e.g. “\(alert.subject)”")) }

        let day26 = DemoCommand.clockStart(period, day: 26, hour: 8)
        try await stack.startNotification(clockStart: day26)
        let day26Text = Day.typed(String(day26.prefix(10)))?.text ?? String(day26.prefix(10))
        show(try await settled(.escalation), tr("\nnotification khởi động lại với đồng hồ lúc \(day26Text) 08:00 — đôn đốc ngày sau thời hạn", en: "\nnotification restarted with its clock at \(day26Text) 08:00 — escalations the day after the deadline"))
        let day28 = DemoCommand.clockStart(period, day: 28, hour: 8)
        try await stack.startNotification(clockStart: day28)
        let day28Text = Day.typed(String(day28.prefix(10)))?.text ?? String(day28.prefix(10))
        let commissionNotices = try await settled(.commissionEscalation)
        if let notice = commissionNotices.first {
            print(tr("\nlúc \(day28Text) 08:00, gửi Ban (\(notice.recipientName)): “\(notice.subject)”", en: "\nat \(day28Text) 08:00, to the commission (\(notice.recipientName)): “\(notice.subject)”"))
            for line in notice.body.split(separator: "\n").filter({ $0.hasPrefix("–") }).prefix(3) { print("    \(line)") }
            print("    …")
        }
        let all = try await inv.call(NotificationAPI.listNotices, ListNoticesRequest(limit: 10_000)).notices
        let files = (try? FileManager.default.contentsOfDirectory(atPath: maildir).count) ?? 0
        print(tr("\n\(all.count) thông báo được ghi, mỗi thông báo một lần theo khóa của nó (khởi động lại, chạy lại không thêm); \(files) thư trong Maildir \(maildir)", en: "\n\(all.count) notices recorded, each once under its key (restarts and reruns add none); \(files) messages in the Maildir \(maildir)"))
    }
}
