import Base
import Foundation
import Messages
import RPC
import Store
import Synchronization
import TestSupport
import Testing
import Wire
@testable import Intake
@testable import Roster


/// A settable clock, for deadlines.
final class TestClock: Sendable {
    private let now = Mutex(Date())
    func set(_ text: String) { now.withLock { $0 = ISO8601DateFormatter().date(from: text)! } }
    func read() -> Date { now.withLock { $0 } }
}

/// A real roster server on a real socket, with Hà Tĩnh, two officials and a retired topic;
/// and an intake store on its own SQLite file that asks it over the RPC.
final class Fixture: Sendable {
    let directory: String
    let rosterServer: RPCServer
    let clock = TestClock()
    let officialA: Int
    let officialB: Int
    let intakePath: String

    init() async throws {
        directory = temporaryDirectory("intake")
        let roster = try RosterStore(path: directory + "/roster.sqlite")
        _ = try await roster.importHaTinh()
        officialA = try await roster.addPerson(Person(fullName: "Nguyễn Văn An", unit: "18073", role: .official, joined: Day("2025-07-01")!)).id!
        officialB = try await roster.addPerson(Person(fullName: "Trần Thị Bình", unit: "18100", role: .official, joined: Day("2025-07-01")!)).id!
        _ = try await roster.upsertTopic(Topic(code: "cu", labelVi: "Chủ đề cũ", labelEn: "Old topic", active: false))
        rosterServer = RPCServer(configuration: .init(path: directory + "/roster.sock", serviceName: RosterService.name), router: RosterService.router(roster), logger: .silent())
        try rosterServer.start()
        intakePath = directory + "/intake.sqlite"
        clock.set("2026-11-20T09:00:00+07:00")
    }

    func intake() throws -> IntakeStore {
        let clock = self.clock
        return try IntakeStore(
            path: intakePath, roster: RosterLookup(client: RPCClient(path: directory + "/roster.sock")),
            configuration: IntakeConfiguration(dueDay: 25, clock: { clock.read() }))
    }

    func draft(_ unit: String = "18073", period: String = "2026-11", key: String = UUID().uuidString, summary: String = "Người dân quan tâm giá điện tăng.") -> ReportDraft {
        ReportDraft(
            unit: unit, period: Period(period)!, submitter: unit == "18073" ? officialA : officialB, assessment: "Ổn định.",
            items: [OpinionItem(topic: "gia-ca", summary: summary, prevalence: .some, trend: .rising, sentiment: -1, channels: [.inPerson])],
            idempotencyKey: key)
    }

    func stop() async { await rosterServer.shutdown() }
}


@Suite("Report intake", .english)
struct IntakeTests {
    @Test("a valid report is stored and read back; every rule broken is named by field, and nothing is stored")
    func validation() async throws {
        let f = try await Fixture()
        let intake = try f.intake()
        let stored = try await intake.submit(f.draft())
        #expect(stored.report.version == 1)
        #expect(stored.report.timeliness == .onTime)
        #expect(try await intake.report(GetReportRequest(unit: "18073", period: Period("2026-11")!)).items.count == 1)

        var bad = f.draft()
        bad.items = [
            OpinionItem(topic: "gia-ca", summary: "ok", prevalence: .some, trend: .stable, sentiment: 0),
            OpinionItem(topic: "dat-dai2", summary: "x", prevalence: .some, trend: .stable, sentiment: 3, channels: [.press, .press], localities: ["18100"]),
            OpinionItem(topic: "cu", summary: "  ", prevalence: .some, trend: .stable, sentiment: 0),
        ]
        let error = await rpcError { _ = try await intake.submit(bad) }
        #expect(error?.code == .invalidArgument)
        let m = error?.message ?? ""
        #expect(m.contains("items[1].topic: unknown topic \"dat-dai2\""))
        #expect(m.contains("items[1].sentiment: 3 is outside"))
        #expect(m.contains("items[1].channels: a channel is listed twice"))
        #expect(m.contains("items[1].localities[0]: \"18100\" is not a unit under 18073"))
        #expect(m.contains("items[2].topic: topic \"cu\" is retired"))
        #expect(m.contains("items[2].summary: required"))

        var wrongSubmitter = f.draft()
        wrongSubmitter.submitter = f.officialB
        #expect(await rpcError { _ = try await intake.submit(wrongSubmitter) }?.message.contains("submitter: person \(f.officialB) belongs to unit 18100") == true)
        #expect(await rpcError { _ = try await intake.submit(f.draft(period: "2026-12")) }?.message.contains("period: 2026-12 is in the future") == true)
        #expect(await rpcError { _ = try await intake.submit(f.draft(period: "2025-06")) }?.message.contains("did not exist in 2025-06") == true)
        var empty = f.draft()
        empty.items = []
        #expect(await rpcError { _ = try await intake.submit(empty) }?.message.contains("items: a report has 1 to 50") == true)
        #expect(try await intake.changes(after: 0, limit: 100).changes.count == 1, "only the valid report was stored")
        // Stored, rejected and replayed submissions all give back their group-commit announcement.
        _ = try await intake.submit(f.draft())
        #expect(intake.announcedWrites == 0)
        await f.stop()
    }

    @Test("a retry storm with one key stores one report; the same key with other content is ALREADY_EXISTS")
    func idempotency() async throws {
        let f = try await Fixture()
        let intake = try f.intake()
        let draft = f.draft(key: "storm-1")
        let replays = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 { group.addTask { try await intake.submit(draft).replayed } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(replays == 63)
        let history = try await intake.history(unit: "18073")
        #expect(history.versions.count == 1)
        let other = await rpcError { _ = try await intake.submit(f.draft(key: "storm-1", summary: "Nội dung khác hẳn.")) }
        #expect(other?.code == .alreadyExists)
        #expect(try await intake.changes(after: 0, limit: 100).changes.count == 1)
        #expect(intake.announcedWrites == 0)
        await f.stop()
    }

    @Test("personal identifiers in every written form are removed before storage (read from the SQLite file itself)")
    func privacy() async throws {
        let f = try await Fixture()
        let intake = try f.intake()
        let identifiers = [
            "0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678", "042095001234", "042 095 001 234", "186123456",
            "nguyen.van.a@gmail.com", "tran_b@yahoo.com.vn", "facebook.com/nguyenvana.123", "https://www.tiktok.com/@hoa_dep", "zalo.me/0987654321",
            "@hoang_minh99",
        ]
        var draft = f.draft(summary: "Ông A (SĐT " + identifiers[0...4].joined(separator: ", ") + ") phản ánh; CCCD " + identifiers[5...7].joined(separator: " / ") + "; cùng bà Trần Thị Lành")
        draft.assessment = "Liên hệ " + identifiers[8...9].joined(separator: " hoặc ")
        draft.items[0].proposal = "Xem " + identifiers[10...13].joined(separator: " và ")
        let result = try await intake.submit(draft)
        let counts = Dictionary(uniqueKeysWithValues: result.scrubbed.map { ($0.kind, $0.count) })
        // "Ông A" and "bà Trần Thị Lành" are people's names.
        #expect(counts == ["phone": 5, "citizen-id": 3, "email": 2, "profile-link": 3, "handle": 1, "person-name": 2])
        // Force everything into the main file too, then read both files' raw bytes.
        _ = try await intake.queue.write { try $0.query("PRAGMA wal_checkpoint(FULL)") }
        var bytes = Data()
        for suffix in ["", "-wal"] { bytes += FileManager.default.contents(atPath: f.intakePath + suffix) ?? Data() }
        let raw = String(decoding: bytes, as: UTF8.self)
        #expect(raw.contains("phản ánh"), "the report itself is in the file")
        for identifier in identifiers {
            #expect(!raw.contains(identifier), "\(identifier) reached the SQLite file")
        }
        for digits in ["912345678", "095001234", "186123456", "987654321"] { #expect(!raw.contains(digits)) }
        #expect(!raw.contains("Trần Thị Lành") && raw.contains("bà [họ tên]"), "the name never reached the file")
        await f.stop()
    }

    @Test("on time before 00:00 on the 25th in Asia/Ho_Chi_Minh, late from then; across a month boundary", arguments: [
        ("2026-11-24T23:59:59+07:00", "2026-11", Timeliness.onTime), ("2026-11-25T00:00:00+07:00", "2026-11", .late),
        ("2026-11-24T16:59:59Z", "2026-11", .onTime), ("2026-11-24T17:00:00Z", "2026-11", .late),
        ("2026-11-01T00:00:00+07:00", "2026-10", .late), ("2026-10-31T23:59:59+07:00", "2026-10", .late),
        ("2026-10-24T23:59:59+07:00", "2026-10", .onTime), ("2026-12-01T00:30:00+07:00", "2026-12", .onTime),
    ])
    func deadlines(_ instant: String, _ period: String, _ expected: Timeliness) async throws {
        let f = try await Fixture()
        f.clock.set(instant)
        let result = try await f.intake().submit(f.draft(period: period))
        #expect(result.report.timeliness == expected, "\(instant) for \(period)")
        await f.stop()
    }

    @Test("a correction is a new version; every version is kept; timeliness belongs to the first")
    func corrections() async throws {
        let f = try await Fixture()
        let intake = try f.intake()
        f.clock.set("2026-11-24T10:00:00+07:00")
        _ = try await intake.submit(f.draft(summary: "Bản đầu."))
        f.clock.set("2026-11-27T10:00:00+07:00")
        let second = try await intake.submit(f.draft(summary: "Bản sửa."))
        #expect(second.report.version == 2)
        #expect(second.report.timeliness == .onTime)
        #expect(try await intake.report(GetReportRequest(unit: "18073", period: Period("2026-11")!, version: 1)).items[0].summary == "Bản đầu.")
        #expect(try await intake.report(GetReportRequest(unit: "18073", period: Period("2026-11")!)).items[0].summary == "Bản sửa.")
        await f.stop()
    }

    @Test("the change feed continues after a restart from the cursor, nothing skipped or repeated")
    func feedAfterRestart() async throws {
        let f = try await Fixture()
        var intake: IntakeStore? = try f.intake()
        for i in 0..<5 { _ = try await intake!.submit(f.draft(key: "a\(i)", summary: "Nội dung \(i)")) }
        let first = try await intake!.changes(after: 0, limit: 3)
        #expect(first.changes.count == 3)
        #expect(first.more)
        intake = nil  // the process stops
        let reopened = try f.intake()
        for i in 5..<8 { _ = try await reopened.submit(f.draft(key: "a\(i)", summary: "Nội dung \(i)")) }
        var seen = first.changes.map(\.cursor)
        var cursor = first.cursor
        while true {
            let batch = try await reopened.changes(after: cursor, limit: 2)
            seen += batch.changes.map(\.cursor)
            cursor = batch.cursor
            if !batch.more { break }
        }
        #expect(seen == Array(1...8).map(UInt64.init))
        await f.stop()
    }

    @Test("roster down is UNAVAILABLE and stores nothing")
    func rosterDown() async throws {
        let f = try await Fixture()
        let intake = try f.intake()
        await f.stop()
        let error = await rpcError { _ = try await intake.submit(f.draft()) }
        #expect(error?.code == .unavailable)
        #expect(try await intake.changes(after: 0, limit: 10).changes.isEmpty)
    }
}

@Suite("Surveys", .english)
struct SurveyTests {
    static func questionnaire() -> Survey {
        Survey(
            title: "Mức độ hài lòng với dịch vụ hành chính công", questions: [
                Question(code: "q1", text: "Anh/chị có hài lòng không?", kind: .singleChoice, options: ["co", "khong", "chua-ro"], required: true),
                Question(code: "q2", text: "Những kênh anh/chị dùng", kind: .multipleChoice, options: ["truc-tiep", "truc-tuyen", "buu-dien"]),
                Question(code: "q3", text: "Mức độ hài lòng (1–5)", kind: .likert),
                Question(code: "q4", text: "Số lần đến trung tâm năm qua", kind: .number, min: 0, max: 50),
                Question(code: "q5", text: "Góp ý", kind: .freeText),
            ], targetUnits: ["18073", "18100"], opens: Day("2026-11-01")!, closes: Day("2026-11-30")!)
    }

    @Test("a 100,000-character title, an over-long question or option is refused with its limit (issue 14)")
    func lengthLimits() async throws {
        let f = try await Fixture()
        let intake = try f.intake()
        var survey = SurveyTests.questionnaire()
        survey.title = String(repeating: "Khảo sát ", count: 12_000)
        survey.questions[0].text = String(repeating: "x", count: 1_500)
        survey.questions[0].options = ["co", String(repeating: "y", count: 300)]
        let error = await rpcError { _ = try await intake.createSurvey(survey) }
        #expect(error?.message.contains("title: 107999 characters; at most 300") == true, "\(String(describing: error))")
        #expect(error?.message.contains("questions[0].text: 1500 characters; at most 1,000") == true)
        #expect(error?.message.contains("questions[0].options[1]: 300 characters; at most 200") == true)
        #expect(try await intake.surveys().isEmpty, "nothing stored")
    }

    @Test("create, open, respond anonymously, import paper forms, count, close")
    func lifecycle() async throws {
        let f = try await Fixture()
        let intake = try f.intake()
        let survey = try await intake.createSurvey(SurveyTests.questionnaire())
        let id = survey.id!
        #expect(await rpcError { _ = try await intake.respond(SurveyResponse(survey: id, unit: "18073", day: Day("2026-11-10")!, answers: [])) }?.code == .failedPrecondition)
        _ = try await intake.setSurveyState(id, to: .open)
        let r = try await intake.respond(SurveyResponse(survey: id, unit: "18073", day: Day("2026-11-10")!, answers: [
            Answer(question: "q1", choices: ["co"]), Answer(question: "q2", choices: ["truc-tiep", "truc-tuyen"]), Answer(question: "q3", number: 4),
            Answer(question: "q4", number: 3), Answer(question: "q5", text: "Gọi tôi 0912345678"),
        ]))
        #expect(r.scrubbed == [ScrubCount(kind: "phone", count: 1)])
        for (answers, fragment) in [
            ([Answer(question: "q1", choices: ["maybe"])], "answers[0].choices: \"maybe\" is not an option"),
            ([Answer(question: "q1", choices: ["co", "khong"])], "q1 takes exactly one choice"),
            ([Answer(question: "q1", choices: ["co"]), Answer(question: "q3", number: 6)], "answers[1].number: q3 is answered 1 to 5"),
            ([Answer(question: "q1", choices: ["co"]), Answer(question: "q4", number: 99)], "above the maximum 50.0 of q4"),
            ([Answer(question: "q2", choices: ["buu-dien"])], "required question q1 is not answered"),
        ] as [([Answer], String)] {
            let e = await rpcError { _ = try await intake.respond(SurveyResponse(survey: id, unit: "18100", day: Day("2026-11-10")!, answers: answers)) }
            #expect(e?.message.contains(fragment) == true, "\(e?.message ?? "nil")")
        }
        #expect(await rpcError { _ = try await intake.respond(SurveyResponse(survey: id, unit: "18133", day: Day("2026-11-10")!, answers: [Answer(question: "q1", choices: ["co"])])) }?.message.contains("not among the survey's target units") == true)

        let csv = "unit,day,q1,q2,q3,q4,q5\n18073,2026-11-11,khong,truc-tuyen,2,1,\n18100,2026-11-12,co,truc-tiep;buu-dien,5,0,Rất tốt\n"
        #expect(try await intake.importResponses(ImportResponsesRequest(survey: id, csv: csv)).imported == 2)
        let badCSV = "unit,day,q1,q3\n18073,2026-11-11,co,3\n18073,2026-11-11,sai,3\n18100,ngay,co,1\n"
        let e = await rpcError { _ = try await intake.importResponses(ImportResponsesRequest(survey: id, csv: badCSV)) }
        #expect(e?.message.contains("line 3: answers[0].choices") == true)
        #expect(e?.message.contains("line 4: day:") == true)

        let counts = try await intake.counts(id)
        #expect(counts.responses == 3)
        #expect(counts.byUnit == ["18073": 2, "18100": 1])
        #expect(counts.questions[0].counts == ["co": 2, "khong": 1, "chua-ro": 0])
        #expect(counts.questions[2].mean == 11.0 / 3)
        _ = try await intake.setSurveyState(id, to: .closed)
        #expect(await rpcError { _ = try await intake.respond(SurveyResponse(survey: id, unit: "18073", day: Day("2026-11-10")!, answers: [Answer(question: "q1", choices: ["co"])])) }?.code == .failedPrecondition)

        // The stored response has the answers, the unit and the day: nothing that identifies anyone.
        let columns = try await intake.queue.read { try $0.query("PRAGMA table_info(responses)").map { try $0.get(1, as: String.self) } }
        #expect(columns == ["id", "survey", "unit", "day", "answers"])
        await f.stop()
    }
}
