import Base
import Foundation
import Mail
import Messages
import Notification
import RPC

enum NotifyBench {
    /// Notices delivered per second over one SMTP connection, through the outbox (each outcome
    /// recorded durably before the next message), against the SMTP client alone; and the rules
    /// evaluated for 10,000 units.
    static func run(notices: Int) async throws {
        let sink = try SMTPSink()
        sink.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-bench-notify-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = SMTPConfiguration(host: "127.0.0.1", port: sink.port, from: "pulse@btgdv.hatinh.gov.vn", tls: .off)
        let units = 10_000
        let roster = syntheticDirectory(units: units)
        let rules = NoticeRules(RuleConfiguration())

        // Baseline: the SMTP client alone, the same messages, one connection.
        let client = try SMTPClient(configuration)
        let sample = MailMessage(
            from: configuration.from, fromName: "Pulse", to: "canbo@xa.hatinh.gov.vn", toName: "Cán Bộ Một",
            subject: "Nhắc báo cáo dư luận xã hội tháng 11/2026: còn 5 ngày",
            body: "Kính gửi đồng chí Cán Bộ Một,\n\nXã Thạch Một (18001) chưa gửi báo cáo tình hình dư luận xã hội tháng 11/2026.\nHạn gửi: trước ngày 25/11/2026 (còn 5 ngày).",
            date: Date(), messageID: "bench@pulse")
        let clientStart = ContinuousClock.now
        for _ in 0..<notices { _ = try client.send(sample, to: "canbo@xa.hatinh.gov.vn") }
        let clientSeconds = (ContinuousClock.now - clientStart).inSeconds
        client.quit()

        // The outbox: plan reminders for `notices` units, record them, deliver them all.
        let store = try NotificationStore(directory: directory)
        let engine = NotificationEngine(
            store: store, templates: try NoticeTemplates(), rules: rules, channel: SMTPChannel(configuration: configuration),
            policy: DeliveryPolicy(quietHours: .none), roster: RPCClient(path: directory + "/none.sock"), intake: RPCClient(path: directory + "/none.sock"),
            analytics: nil, logger: .silent())
        let at = Day(year: 2026, month: 11, day: 20)!.startOfDay.addingTimeInterval(9 * 3600)
        let planned = Array(rules.plan(at: at, directory: roster, reported: previousMonth(units), surveys: []).prefix(notices))
        let recordStart = ContinuousClock.now
        try await store.record(planned, templates: engine.templates, now: at, quietHours: .none)
        let recordSeconds = (ContinuousClock.now - recordStart).inSeconds
        let before = sink.messages
        let deliverStart = ContinuousClock.now
        let sent = try await engine.deliver(at: at)
        let deliverSeconds = (ContinuousClock.now - deliverStart).inSeconds
        guard sent == planned.count, sink.messages - before == planned.count else {
            throw BenchError("delivered \(sent), the sink received \(sink.messages - before), of \(planned.count)")
        }
        let rate = Double(sent) / deliverSeconds
        print("SMTP to a local sink over one reused connection (\(sent) notices):")
        printTable(
            ["path", "notices/s", "µs each"],
            [
                ["SMTP client alone (baseline)", format(Double(notices) / clientSeconds, decimals: 0), format(clientSeconds / Double(notices) * 1e6)],
                ["outbox: due → SMTP → outcome recorded", format(rate, decimals: 0), format(deliverSeconds / Double(sent) * 1e6)],
            ])
        print("  target ≥ 500 notices/s: \(rate >= 500 ? "ok" : "MISSED"); recording the \(planned.count) planned notices took \(format(recordSeconds * 1000)) ms")

        // Every rule for 10,000 units at the moments each kind of step comes due.
        print("\nEvery rule evaluated for \(units) units (half reported; 200 of them with open surveys under quota):")
        var rows: [[String]] = []
        var worst = 0.0
        let surveys = [SurveyProgress(
            survey: Survey(id: 1, title: "Khảo sát", questions: [], targetUnits: (1...200).map { String(100_000 + $0) }, opens: Day("2026-11-01")!, closes: Day("2026-11-23")!, state: .open, quota: 5),
            responses: [:])]
        var reported = previousMonth(units)
        for i in stride(from: 1, through: units, by: 2) { reported.insert("\(100_000 + i)|2026-11") }
        for (label, when) in [("reminders (20th)", "2026-11-20"), ("surveys closing (20th)", "2026-11-20"), ("escalation (26th)", "2026-11-26"), ("commission (28th)", "2026-11-28")] {
            let instant = Day(when)!.startOfDay.addingTimeInterval(7 * 3600)
            var best = Double.infinity
            var count = 0
            for _ in 0..<5 {
                let start = ContinuousClock.now
                count = rules.plan(at: instant, directory: roster, reported: reported, surveys: label.hasPrefix("surveys") ? surveys : []).count
                best = min(best, (ContinuousClock.now - start).inSeconds)
            }
            worst = max(worst, best)
            rows.append([label, String(count), format(best * 1000)])
        }
        printTable(["when", "notices planned", "ms (best of 5)"], rows)
        print("  target < 1 s: \(worst < 1 ? "ok" : "MISSED")")
    }

    /// A province of `units` communes, each with an official who has an address.
    static func syntheticDirectory(units: Int) -> RosterDirectory {
        let start = Day(year: 2025, month: 7, day: 1)!
        var orgUnits = [OrgUnit(code: "42", kind: .province, nameVi: "Hà Tĩnh", validFrom: start)]
        var people: [Person] = []
        var assignments: [Assignment] = []
        for i in 1...units {
            let code = String(100_000 + i)
            orgUnits.append(OrgUnit(code: code, kind: .commune, nameVi: "Thạch \(i)", parent: "42", validFrom: start))
            people.append(Person(id: i, fullName: "Cán Bộ \(i)", unit: code, role: .official, email: "cb\(i)@xa.hatinh.gov.vn", joined: start))
            assignments.append(Assignment(unit: code, person: i, personName: "Cán Bộ \(i)", from: start, to: nil))
        }
        return RosterDirectory(units: orgUnits, assignments: assignments, people: people, topics: [], on: Day(year: 2026, month: 11, day: 1)!)
    }

    static func previousMonth(_ units: Int) -> Set<String> {
        Set((1...units).map { "\(100_000 + $0)|2026-10" })
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
