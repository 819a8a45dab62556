import Base
import Feeds
import Foundation
import Mail
import Messages
import RPC
import Wire
import TestSupport
import Testing
@testable import Notification

@Suite("Notification rules, outbox and templates")
struct NotificationTests {
    func report(_ unit: String, _ period: String, version: Int = 1) -> Report {
        Report(
            unit: unit, period: Period(period)!, version: version, submitter: 1, assessment: "",
            items: [OpinionItem(topic: "dat-dai", summary: "x", prevalence: .some, trend: .stable, sentiment: 0)],
            receivedAt: Date(), timeliness: .onTime, firstReceivedAt: Date())
    }

    @Test("reports received and survey responses commit with the feed's cursor, and survive a restart")
    func feedState() async throws {
        let dir = temporaryDirectory("notification")
        var store: NotificationStore? = try NotificationStore(directory: dir)
        let changes = [
            Change(cursor: 1, kind: .report, report: report("18001", "2026-11")),
            Change(cursor: 2, kind: .report, report: report("18001", "2026-11", version: 2)),
            Change(cursor: 3, kind: .surveyResponse, survey: 4, response: SurveyResponse(survey: 4, unit: "18002", day: Day("2026-11-10")!, answers: [])),
            Change(cursor: 4, kind: .surveyResponse, survey: 4, response: SurveyResponse(survey: 4, unit: "18002", day: Day("2026-11-11")!, answers: [])),
        ]
        try await store!.apply(changes, commit: FeedCommit(feed: FeedName.intakeChanges, cursor: 4, queue: store!.queue))
        store = nil
        let reopened = try NotificationStore(directory: dir)
        #expect(try await reopened.cursor() == 4)
        #expect(try await reopened.reported() == ["18001|2026-11"])
        #expect(try await reopened.surveyResponses() == [4: ["18002": 2]])
    }

    @Test("reminders: the nearest step only, none once reported or past the deadline; a unit without an official is recorded as failed")
    func reminders() async throws {
        let rules = NoticeRules(RuleConfiguration())
        let directory = testDirectory(communes: 3, english: [2], withoutOfficial: [3])
        let october = everyoneReported("2026-10", communes: 3)
        #expect(rules.plan(at: vn("2026-11-19 23:59"), directory: directory, reported: october, surveys: []).isEmpty, "nothing before the 20th")
        let on20 = rules.plan(at: vn("2026-11-20 00:00"), directory: directory, reported: october.union(["18001|2026-11"]), surveys: [])
        #expect(on20.map(\.key).sorted() == ["reminder|18002|2026-11|-5|102", "reminder|18003|2026-11|-5|none"])
        let on24 = rules.plan(at: vn("2026-11-24 10:00"), directory: directory, reported: october, surveys: [])
        #expect(Set(on24.map(\.step)) == ["-1"], "after a pause, only the nearest reminder")
        #expect(on24.first { $0.unit == "18002" }?.fields["days_left"] == "1")

        let dir = temporaryDirectory("notification-reminders")
        let store = try NotificationStore(directory: dir)
        let templates = try NoticeTemplates()
        #expect(try await store.record(on20, templates: templates, now: vn("2026-11-20 00:00"), quietHours: .default) == 2)
        let notices = try await store.notices(ListNoticesRequest())
        let english = try #require(notices.first { $0.unit == "18002" })
        #expect(english.language == "en" && english.subject == "Public-opinion report for November 2026: 5 days left")
        #expect(english.body.contains("due before 25 November 2026"))
        #expect(english.notBefore == vn("2026-11-20 07:00"), "recorded at midnight, held until the quiet hours end")
        let orphan = try #require(notices.first { $0.unit == "18003" })
        #expect(orphan.state == .failed && orphan.lastError?.contains("chưa có cán bộ phụ trách") == true, "recorded in Vietnamese, the service's own language")
        #expect(orphan.subject.contains("11/2026") && orphan.body.contains("Xã Thạch 3 (18003)"))
    }

    @Test("escalations: officials and the parent's official the day after, the commission later with the missing units by name; stops when the next month's reports are due")
    func escalations() {
        let rules = NoticeRules(RuleConfiguration())
        let directory = testDirectory(communes: 4)
        let reported = everyoneReported("2026-10", communes: 4).union(["18001|2026-11", "18002|2026-11"])
        #expect(rules.plan(at: vn("2026-11-25 12:00"), directory: directory, reported: reported, surveys: []).isEmpty, "the deadline day itself is quiet")
        let on26 = rules.plan(at: vn("2026-11-26 07:00"), directory: directory, reported: reported, surveys: [])
        #expect(on26.map(\.key).sorted() == [
            "escalation|18003|2026-11|+1|1", "escalation|18003|2026-11|+1|103",
            "escalation|18004|2026-11|+1|1", "escalation|18004|2026-11|+1|104",
        ])
        #expect(on26[0].fields["days_late"] == "1")
        let on28 = rules.plan(at: vn("2026-11-28 07:00"), directory: directory, reported: reported, surveys: []).filter { $0.rule == .commissionEscalation }
        #expect(on28.map(\.key).sorted() == ["commission-escalation|2026-11|+3|2", "commission-escalation|2026-11|+3|3"])
        let vietnamese = try! #require(on28.first { $0.language == "vi" })
        #expect(vietnamese.fields["missing_units"] == "– Xã Thạch 3 (18003), đồng chí Cán Bộ 3 phụ trách\n– Xã Thạch 4 (18004), đồng chí Cán Bộ 4 phụ trách")
        #expect(vietnamese.fields["missing_count"] == "2")
        #expect(rules.plan(at: vn("2026-12-25 07:00"), directory: directory, reported: reported.union(["18003|2026-12", "18004|2026-12", "18001|2026-12", "18002|2026-12"]), surveys: []).isEmpty)
    }

    @Test("spike alerts reach matching subscribers; a cell under the minimum reaches commission staff only")
    func spikes() {
        let rules = NoticeRules(RuleConfiguration(minimumCell: 3))
        let directory = testDirectory(communes: 3)
        let subscriptions = [
            Subscription(id: 1, person: 2, topics: []),  // commission staff, everything
            Subscription(id: 2, person: 101, topics: ["dat-dai"], unit: "18001"),  // commune 1's official, land in commune 1
            Subscription(id: 3, person: 102, topics: ["y-te"], minStrength: 5),
        ]
        func spike(_ unit: String, _ topic: String, items: Int, strength: Double) -> Spike {
            Spike(id: 1, topic: topic, unit: unit, period: Period("2026-11")!, items: items, baseline: Double(items) / strength, pValue: 1e-5, strength: strength, intensity: 1)
        }
        let big = rules.plan(spikes: [spike("18001", "dat-dai", items: 9, strength: 4.5)], subscriptions: subscriptions, directory: directory)
        #expect(big.map(\.key).sorted() == ["spike|18001|2026-11|dat-dai|101", "spike|18001|2026-11|dat-dai|2"])
        #expect(big[0].fields["topic"] == "Đất đai" && big[0].fields["strength"] == "4,5")
        let small = rules.plan(spikes: [spike("18001", "dat-dai", items: 2, strength: 4)], subscriptions: subscriptions, directory: directory)
        #expect(small.map(\.key) == ["spike|18001|2026-11|dat-dai|2"], "two items is a cell too small for anyone outside the commission")
        let weak = rules.plan(spikes: [spike("18002", "y-te", items: 8, strength: 3)], subscriptions: subscriptions, directory: directory)
        #expect(weak.map { $0.recipient?.person } == [2], "below person 102's minimum strength")
    }

    @Test("survey reminders three days before closing, to units under their quota")
    func surveyReminders() {
        let rules = NoticeRules(RuleConfiguration())
        let directory = testDirectory(communes: 3)
        let survey = Survey(id: 9, title: "Khảo sát về dịch vụ công", questions: [], targetUnits: ["42"], opens: Day("2026-11-01")!, closes: Day("2026-11-15")!, state: .open, quota: 10)
        let progress = SurveyProgress(survey: survey, responses: ["18001": 10, "18002": 4])
        let october = everyoneReported("2026-10", communes: 3)
        #expect(rules.plan(at: vn("2026-11-11 23:00"), directory: directory, reported: october, surveys: [progress]).isEmpty)
        let due = rules.plan(at: vn("2026-11-12 07:00"), directory: directory, reported: october, surveys: [progress])
        #expect(due.map(\.key).sorted() == ["survey-closing|9|18002|-3|102", "survey-closing|9|18003|-3|103"])
        #expect(due.first { $0.unit == "18002" }?.fields["responses"] == "4")
        #expect(rules.plan(at: vn("2026-11-16 07:00"), directory: directory, reported: october, surveys: [progress]).isEmpty, "closed")
    }

    @Test("quiet hours hold a notice until they end, across midnight")
    func quietHours() {
        let q = QuietHours.default
        #expect(q.release(vn("2026-11-20 20:59")) == vn("2026-11-20 20:59"))
        #expect(q.release(vn("2026-11-20 21:00")) == vn("2026-11-21 07:00"))
        #expect(q.release(vn("2026-11-21 02:00")) == vn("2026-11-21 07:00"))
        #expect(q.release(vn("2026-11-21 07:00")) == vn("2026-11-21 07:00"))
        #expect(QuietHours("12:00-13:30")!.release(vn("2026-11-21 12:10")) == vn("2026-11-21 13:30"))
        #expect(QuietHours("25:00-07:00") == nil && QuietHours("21:00") == nil && QuietHours("off") == QuietHours.none)
    }

    @Test("a template with an unknown field or no subject is refused at load, naming its file and line")
    func templates() throws {
        let dir = temporaryDirectory("templates")
        try "Subject: Nhắc {{period}}\n\nKính gửi {{recipient_name}},\nĐơn vị {{unit_nmae}} chưa gửi.\n".write(toFile: dir + "/reminder.vi.txt", atomically: true, encoding: .utf8)
        #expect(throws: TemplateError.self) { try NoticeTemplates(directory: dir) }
        do { _ = try NoticeTemplates(directory: dir) } catch {
            #expect("\(error)".contains("reminder.vi.txt:4: unknown field {{unit_nmae}}"), "\(error)")
            #expect("\(error)".contains("days_left"), "the allowed fields are listed: \(error)")
        }
        try "Kính gửi {{recipient_name}}\n".write(toFile: dir + "/reminder.vi.txt", atomically: true, encoding: .utf8)
        do { _ = try NoticeTemplates(directory: dir) } catch { #expect("\(error)".contains("reminder.vi.txt:1: the first line must be")) }
        try "Subject: {{unit_name}} – {{days_left}} ngày\n\nGửi {{recipient_name}}: {{unit_name}}.\n".write(toFile: dir + "/reminder.vi.txt", atomically: true, encoding: .utf8)
        let custom = try NoticeTemplates(directory: dir)
        let (subject, body) = custom.render(.reminder, language: "vi", fields: ["unit_name": "Xã A", "days_left": "3", "recipient_name": "B"])
        #expect(subject == "Xã A – 3 ngày" && body == "Gửi B: Xã A.")
        // The other rules come from the shipped defaults.
        #expect(custom.render(.escalation, language: "en", fields: ["unit_name": "X"]).subject == "Overdue public-opinion report for : X")
    }

    @Test("a reminder recorded before the quiet hours is withdrawn, not sent, if the unit reports meanwhile or the deadline passes")
    func withdrawnWhenNoLongerNeeded() async throws {
        let dir = temporaryDirectory("notification-withdraw")
        let clock = TestClock(vn("2026-11-24 22:00"))
        let engine = try deliveryEngine(dir, channel: MaildirChannel(directory: dir + "/maildir", from: "pulse@btgdv.hatinh.gov.vn"), policy: DeliveryPolicy(quietHours: .default), clock: clock)
        let directory = testDirectory(communes: 3)
        let planned = engine.rules.plan(at: clock.read(), directory: directory, reported: everyoneReported("2026-10", communes: 3), surveys: [])
        #expect(planned.count == 3)
        try await engine.store.record(planned, templates: engine.templates, now: clock.read(), quietHours: .default)
        // Held until 07:00 on the 25th: by then 18001 has reported and the deadline has passed.
        try await engine.store.apply([Change(cursor: 1, kind: .report, report: report("18001", "2026-11"))], commit: FeedCommit(feed: FeedName.intakeChanges, cursor: 1, queue: engine.store.queue))
        clock.set(vn("2026-11-25 07:00"))
        #expect(try await engine.deliver(at: clock.read()) == 0)
        let notices = try await engine.store.notices(ListNoticesRequest())
        #expect(notices.allSatisfy { $0.state == .withdrawn }, "\(notices.map(\.state))")
        #expect(notices.first { $0.unit == "18001" }?.lastError?.contains("has reported") == true)
        #expect(notices.first { $0.unit == "18002" }?.lastError?.contains("deadline") == true)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: dir + "/maildir/new")) ?? []).isEmpty)
    }

    @Test("a notice with nobody to receive it cannot be retried; the Maildir copy of one without an address has a valid To")
    func nobodyToReceive() async throws {
        let dir = temporaryDirectory("notification-nobody")
        let clock = TestClock(vn("2026-11-20 08:00"))
        let engine = try deliveryEngine(dir, channel: MaildirChannel(directory: dir + "/maildir", from: "pulse@btgdv.hatinh.gov.vn"), clock: clock)
        let planned = engine.rules.plan(at: clock.read(), directory: testDirectory(communes: 1, withoutOfficial: [1]), reported: everyoneReported("2026-10", communes: 1), surveys: [])
        try await engine.store.record(planned, templates: engine.templates, now: clock.read(), quietHours: .none)
        let orphan = try #require(try await engine.store.notices(ListNoticesRequest()).first)
        #expect(orphan.state == .failed)
        let refused = await rpcError { _ = try await engine.store.retry(orphan.id, at: clock.read(), quietHours: .none) }
        #expect(refused?.code == .failedPrecondition && refused?.message.contains("pulse assign") == true, "\(String(describing: refused))")
        let message = MailMessage(from: "pulse@btgdv.hatinh.gov.vn", to: "", toName: "Cán Bộ Một", subject: "Thử", body: "x", date: Date(), messageID: "m@pulse")
        #expect(message.rendered(eightBit: true).contains("To: =?UTF-8?B?Q8OhbiBC4buZIE3hu5l0?=:;\r\n"))
    }

    @Test("analysts read notices without addresses; administrators with them")
    func analystsSeeNoAddresses() {
        let notice = Notice(
            id: 1, rule: .reminder, unit: "18001", unitName: "Xã Thạch 1 (18001)", period: Period("2026-11"), step: "-5", person: 101, recipientName: "Cán Bộ 1",
            address: "cb1@xa.hatinh.gov.vn", language: "vi", subject: "s", body: "b", createdAt: Date(), notBefore: Date(), state: .pending)
        func context(_ role: Role) -> ServerContext {
            ServerContext(method: "m", peer: PeerCredentials(pid: 1, uid: 60001, gid: 60001), logger: .silent(), principal: Principal(uid: 60001, role: role))
        }
        #expect(NotificationService.redacted([notice], for: context(.analyst))[0].address == "•••")
        #expect(NotificationService.redacted([notice], for: context(.admin))[0].address == "cb1@xa.hatinh.gov.vn")
    }
}
