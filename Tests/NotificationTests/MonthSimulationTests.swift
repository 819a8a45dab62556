import Foundation
import Messages
import TestSupport
import Testing
@testable import Notification

/// November 2026 day by day for 70 communes, the service down on the 20th and 21st.
@Suite("A month simulated day by day")
struct MonthSimulationTests {
    /// When each commune's report arrives (09:00 that day); 68–70 never report.
    static func reportDay(_ commune: Int) -> Int? {
        switch commune {
        case 1...40: return 10
        case 41...60: return 22
        case 61...65: return 24
        case 66...67: return 26
        default: return nil
        }
    }

    @Test("exactly the notices written out by hand, each once, each delivered at 07:00 on its day")
    func november() async throws {
        let directory = testDirectory(communes: 70)
        let clock = TestClock(vn("2026-11-01 00:00"))
        let dir = temporaryDirectory("month")
        let maildir = dir + "/maildir"
        let engine = try deliveryEngine(dir, channel: MaildirChannel(directory: maildir, from: "pulse@btgdv.hatinh.gov.vn"), policy: DeliveryPolicy(quietHours: .default), clock: clock)
        var reported = everyoneReported("2026-10", communes: 70)
        for day in 1...35 {
            let date = day <= 30 ? "2026-11-\(String(format: "%02d", day))" : "2026-12-\(String(format: "%02d", day - 30))"
            for hour in ["01:00", "07:00", "09:00", "13:00", "19:00"] {
                clock.set(vn("\(date) \(hour)"))
                if hour == "09:00" {
                    for commune in 1...70 where Self.reportDay(commune) == day { reported.insert("\(18000 + commune)|2026-11") }
                    continue
                }
                // Stopped on the 20th and 21st: no rule runs, nothing is delivered.
                guard day != 20 && day != 21 else { continue }
                let planned = engine.rules.plan(at: clock.read(), directory: directory, reported: reported, surveys: [])
                try await engine.store.record(planned, templates: engine.templates, now: clock.read(), quietHours: engine.policy.quietHours)
                _ = try await engine.deliver(at: clock.read())
            }
        }

        // Written out by hand from the schedule above.
        func keys(_ rule: String, _ communes: ClosedRange<Int>, _ step: String, person: (Int) -> Int) -> [String] {
            communes.map { "\(rule)|\(18000 + $0)|2026-11|\(step)|\(person($0))" }
        }
        let expected: [(day: Int, keys: [String])] = [
            // The -5 reminder came due on the 20th, while the service was down: caught up on the
            // 22nd at 01:00, before 41–60 reported at 09:00; held for the quiet hours until 07:00.
            (22, keys("reminder", 41...70, "-5") { 100 + $0 }),
            (24, keys("reminder", 61...70, "-1") { 100 + $0 }),
            // The day after the deadline: each missing commune's official and the province's (person 1).
            (26, keys("escalation", 66...70, "+1") { 100 + $0 } + keys("escalation", 66...70, "+1") { _ in 1 }),
            // Three days after: the commission's two staff, listing 68, 69 and 70.
            (28, ["commission-escalation|2026-11|+3|2", "commission-escalation|2026-11|+3|3"]),
        ]
        let all = try await engine.store.notices(ListNoticesRequest(limit: 1000))
        #expect(all.count == expected.flatMap(\.keys).count, "\(all.count) notices")
        let recorded = try await engine.store.recordedKeys(expected.flatMap(\.keys))
        #expect(recorded == Set(expected.flatMap(\.keys)), "missing: \(Set(expected.flatMap(\.keys)).subtracting(recorded).sorted())")
        #expect(all.allSatisfy { $0.state == .sent }, "\(all.filter { $0.state != .sent }.map(\.subject))")
        for (day, keys) in expected {
            let seven = vn("2026-11-\(day) 07:00")
            let ofDay = all.filter { $0.sentAt == seven }
            #expect(ofDay.count == keys.count, "\(keys.count) notices sent at 07:00 on the \(day)th, not \(ofDay.count)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: maildir + "/new")
        #expect(files.count == all.count, "the Maildir holds each notice once")
        let commission = try #require(all.first { $0.rule == .commissionEscalation && $0.language == "vi" })
        #expect(commission.body.contains("Còn 3 đơn vị chưa gửi:"))
        #expect(commission.body.contains("– Xã Thạch 68 (18068), đồng chí Cán Bộ 68 phụ trách\n– Xã Thạch 69 (18069), đồng chí Cán Bộ 69 phụ trách\n– Xã Thạch 70 (18070)"))
        let english = try #require(all.first { $0.rule == .commissionEscalation && $0.language == "en" })
        #expect(english.subject == "November 2026: public-opinion reports still missing from 3 units")
    }
}
