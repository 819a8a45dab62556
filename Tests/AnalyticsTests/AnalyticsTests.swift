import Base
import Foundation
import Messages
import RPC
import TestSupport
import Testing
@testable import Analytics


func day(_ s: String) -> Day { Day(s)! }
func instant(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

/// A province P with communes A and B that merged into C on 1 July 2025, and D throughout.
let network: [OrgUnit] = [
    OrgUnit(code: "P", kind: .province, nameVi: "Thử", validFrom: day("2000-01-01")),
    OrgUnit(code: "A", kind: .commune, nameVi: "An", parent: "P", validFrom: day("2000-01-01"), validTo: day("2025-07-01"), population: 6000),
    OrgUnit(code: "B", kind: .commune, nameVi: "Bình", parent: "P", validFrom: day("2000-01-01"), validTo: day("2025-07-01"), population: 4000),
    OrgUnit(code: "C", kind: .commune, nameVi: "Cường", parent: "P", validFrom: day("2025-07-01"), predecessors: ["A", "B"], population: 10000),
    OrgUnit(code: "D", kind: .ward, nameVi: "Đông", parent: "P", validFrom: day("2000-01-01"), population: 5000),
]

import Synchronization
let cursor = Atomic<UInt64>(0)

func report(_ unit: String, _ period: String, version: Int = 1, at: String, items: [(String, Prevalence, Int, String)]) -> Change {
    let next = cursor.add(1, ordering: .relaxed).newValue
    let r = Report(
        unit: unit, period: Period(period)!, version: version, submitter: 1, assessment: "",
        items: items.map { OpinionItem(topic: $0.0, summary: $0.3, prevalence: $0.1, trend: .stable, sentiment: $0.2) },
        receivedAt: instant(at), timeliness: .onTime, firstReceivedAt: instant(at))
    return Change(cursor: next, kind: .report, report: r)
}

func store(_ path: String? = nil) async throws -> (AnalyticsStore, String) {
    let path = path ?? temporaryDirectory("analytics") + "/a.sqlite"
    let s = try AnalyticsStore(path: path)
    try await s.replaceUnits(network)
    return (s, path)
}

@Suite("Analytics figures against hand-computed cases", .serialized)
struct AnalyticsTests {
    @Test("completeness follows the units valid in each month: a merger never pushes a rate over 100%")
    func completenessAcrossMerger() async throws {
        let (s, _) = try await store()
        try await s.apply(ChangeBatch(changes: [
            report("A", "2025-06", at: "2025-06-20T09:00:00+07:00", items: [("dat-dai", .some, -1, "Bồi thường.")]),
            report("B", "2025-06", at: "2025-06-26T09:00:00+07:00", items: [("gia-ca", .some, -1, "Giá tăng.")]),
            report("C", "2025-07", at: "2025-07-10T09:00:00+07:00", items: [("dat-dai", .some, -1, "Bồi thường.")]),
            // A no longer exists in July: its report must not count.
            report("A", "2025-07", at: "2025-07-10T09:00:00+07:00", items: [("dat-dai", .some, -1, "Bồi thường.")]),
        ], cursor: 4, more: false))
        let june = try await s.completeness(CompletenessRequest(period: Period("2025-06")!))
        #expect(june.expected == 3)  // A, B, D
        #expect(june.reported == 2)
        #expect(june.onTime == 1)
        #expect(abs(june.reportingRate - 2.0 / 3) < 1e-12)
        #expect(june.rows.first?.unit == "D", "missing units come first")
        let july = try await s.completeness(CompletenessRequest(period: Period("2025-07")!))
        #expect(july.expected == 2)  // C, D
        #expect(july.reported == 1)
        #expect(july.reportingRate == 0.5)
        #expect(july.timelinessRate == 0.5)
    }

    @Test("a list's limit outside its range is refused naming the field, for everyone; analytics keeps answering", arguments: [-1, 0, 101, Int.min])
    func limits(_ limit: Int) async throws {
        let (s, _) = try await store()
        try await s.apply(ChangeBatch(changes: [
            report("C", "2026-03", at: "2026-03-10T09:00:00+07:00", items: [("dat-dai", .some, -1, "Bồi thường chậm, bà con bức xúc.")]),
        ], cursor: 1, more: false))
        for partner in [false, true] {
            #expect(throws: RPCError.self) { try s.rising(RisingRequest(period: Period("2026-03")!, limit: limit), partner: partner) }
            await #expect(throws: RPCError.self) { try await s.phrases(PhrasesRequest(topic: "dat-dai", period: Period("2026-03")!, limit: limit), partner: partner) }
        }
        await #expect(throws: RPCError.self) { try await s.phraseCounts(PhrasesRequest(topic: "dat-dai", period: Period("2026-03")!, limit: limit)) }
        #expect(try s.rising(RisingRequest(period: Period("2026-03")!, limit: 1), partner: false).period == Period("2026-03")!)
    }

    @Test("phrases and their counts refuse a topic that is no code and a month not come yet, naming the field")
    func phraseRequests() async throws {
        let (s, _) = try await store()
        let long = PhrasesRequest(topic: String(repeating: "x", count: 70_000), period: Period("2026-03")!)
        let future = PhrasesRequest(topic: "dat-dai", period: Period("2099-10")!)
        for request in [long, future] {
            do {
                _ = try await s.phraseCounts(request)
                Issue.record("accepted \(request.period)")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument && (error.message.hasPrefix("topic:") || error.message.hasPrefix("period:")), "\(error)")
            }
            await #expect(throws: RPCError.self) { try await s.phrases(request, partner: false) }
        }
        // Rising topics and spikes of a month not come yet, and a search whose first month is after its last: named, not empty.
        for refused in [
            { () async throws in _ = try s.rising(RisingRequest(period: Period("2099-10")!), partner: false) },
            { () async throws in _ = try await s.spikes(ListSpikesRequest(period: Period("2099-10")!)) },
        ] {
            do {
                try await refused()
                Issue.record("a month not come yet was answered")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument && error.message.hasPrefix("period:"), "\(error)")
            }
        }
        do {
            _ = try await s.search(SearchItemsRequest(query: "boi thuong", scope: Scope(from: Period("2026-02")!, to: Period("2026-01")!)))
            Issue.record("a search from after to was answered")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument && error.message.hasPrefix("from:"), "\(error)")
        }
    }

    @Test("rising against the months before that had reports: a month nobody reported in is no data, and with none nothing rises")
    func risingBaseline() async throws {
        let (s, _) = try await store()
        func land(_ month: String, _ n: Int) -> Change {
            report("A", month, at: "\(month)-10T09:00:00+07:00", items: Array(repeating: ("dat-dai", .some, -1, "Bồi thường."), count: n))
        }
        // Nothing before March; April has two items and nothing else; May six.
        try await s.apply(ChangeBatch(changes: [land("2026-03", 1), land("2026-05", 6)], cursor: 2, more: false))
        let first = try s.rising(RisingRequest(period: Period("2026-03")!), partner: false)
        #expect(first.topics.isEmpty && first.baselineMonths == 0, "no history, nothing rises: \(first)")
        // May against March alone (April and February had no report): 2 a month (some = 2), not 2 / 3.
        let may = try s.rising(RisingRequest(period: Period("2026-05")!), partner: false)
        #expect(may.baselineMonths == 1 && may.topics.first.map { abs($0.before - 2) < 1e-9 && abs($0.intensity - 12) < 1e-9 } == true, "\(may)")
    }

    @Test("phrases over a review's months: its texts against the six months before its first; a first month after the last, or 24 before it, is refused naming from")
    func phrasesOverMonths() async throws {
        let (s, _) = try await store()
        // One item a month from October 2025 to June 2026; the review is April to June.
        let months = (0..<9).map { Period(index: Period("2025-10")!.index + $0) }
        try await s.apply(ChangeBatch(changes: months.map { month in
            report("A", month.description, at: "\(month.description)-10T09:00:00+07:00", items: [("dat-dai", .some, -1, month >= Period("2026-04")! ? "Bà con phản ánh giá đền bù thấp." : "Tình hình ổn định.")])
        }, cursor: 9, more: false))
        let review = PhrasesRequest(topic: "dat-dai", period: Period("2026-06")!, limit: 5, from: Period("2026-04")!)
        let counts = try await s.phraseCounts(review)
        #expect(counts.texts == 3 && counts.baselineTexts == 6, "April to June against October to March: \(counts.texts) and \(counts.baselineTexts)")
        let phrases = try await s.phrases(review, partner: false)
        #expect(phrases.phrases.contains { $0.phrase.contains("đền bù") }, "\(phrases.phrases.map(\.phrase))")
        #expect(try await s.phraseCounts(PhrasesRequest(topic: "dat-dai", period: Period("2026-06")!)).texts == 1, "without from, the month alone")
        for from in ["2026-07", "2024-06"] {
            do {
                _ = try await s.phraseCounts(PhrasesRequest(topic: "dat-dai", period: Period("2026-06")!, from: Period(from)!))
                Issue.record("accepted from \(from)")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument && error.message.hasPrefix("from:"), "\(error)")
            }
        }
    }

    @Test("as of the deadline versus latest; a report with no items is not on time")
    func asOfDeadline() async throws {
        let (s, _) = try await store()
        try await s.apply(ChangeBatch(changes: [
            report("C", "2026-03", at: "2026-03-10T09:00:00+07:00", items: []),
            report("D", "2026-03", at: "2026-03-28T09:00:00+07:00", items: [("y-te", .some, 1, "Khám bệnh miễn phí.")]),
        ], cursor: 2, more: false))
        let latest = try await s.completeness(CompletenessRequest(period: Period("2026-03")!))
        #expect(Dictionary(uniqueKeysWithValues: latest.rows.map { ($0.unit, $0.state) }) == ["C": .late, "D": .late])
        #expect(latest.onTime == 0)
        let atDeadline = try await s.completeness(CompletenessRequest(period: Period("2026-03")!, asOfDeadline: true))
        #expect(Dictionary(uniqueKeysWithValues: atDeadline.rows.map { ($0.unit, $0.state) }) == ["C": .late, "D": .missing])
        // C corrects its empty report after the deadline: the latest figures change, the as-of-deadline ones do not.
        try await s.apply(ChangeBatch(changes: [
            report("C", "2026-03", version: 2, at: "2026-03-27T09:00:00+07:00", items: [("y-te", .some, 1, "Trạm y tế tốt.")]),
        ], cursor: 3, more: false))
        let again = try await s.completeness(CompletenessRequest(period: Period("2026-03")!, asOfDeadline: true))
        #expect(again.rows.first { $0.unit == "C" }?.state == .late)
        #expect(again.rows.first { $0.unit == "C" }?.items == 0)
        #expect(try await s.completeness(CompletenessRequest(period: Period("2026-03")!)).rows.first { $0.unit == "C" }?.items == 1)
    }

    @Test("a corrected report replaces its earlier version in every figure")
    func corrections() async throws {
        let (s, _) = try await store()
        try await s.apply(ChangeBatch(changes: [
            report("C", "2026-01", at: "2026-01-10T09:00:00+07:00", items: [("dat-dai", .widespread, -2, "Đất đai một."), ("dat-dai", .some, -1, "Đất đai hai."), ("dat-dai", .isolated, -1, "Đất đai ba.")]),
        ], cursor: 1, more: false))
        var t = try s.trends(Scope(from: Period("2026-01")!, to: Period("2026-01")!), partner: false)
        #expect(t.series.first { $0.topic == "dat-dai" }?.points[0].items == 3)
        #expect(t.series.first { $0.topic == "dat-dai" }?.points[0].intensity == 6)
        try await s.apply(ChangeBatch(changes: [
            report("C", "2026-01", version: 2, at: "2026-01-12T09:00:00+07:00", items: [("gia-ca", .some, -1, "Giá cả tăng.")]),
        ], cursor: 2, more: false))
        t = try s.trends(Scope(from: Period("2026-01")!, to: Period("2026-01")!), partner: false)
        #expect(t.series.first { $0.topic == "dat-dai" } == nil)
        #expect(t.series.first { $0.topic == "gia-ca" }?.points[0].items == 1)
        let hits = try await s.search(SearchItemsRequest(query: "dat dai"))
        #expect(hits.total == 0, "the first version's texts are gone from search too")
        #expect(try await s.search(SearchItemsRequest(query: "GIA CA")).total == 1)
    }

    @Test("a spike that must fire and one that must not")
    func spikes() async throws {
        let (s, _) = try await store()
        var changes: [Change] = []
        for (i, month) in ["2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01"].enumerated() {
            changes.append(report("C", month, at: "\(month)-10T09:00:00+07:00", items: [("dat-dai", .some, -1, "Đất \(i)."), ("gia-ca", .some, -1, "Giá \(i)."), ("y-te", .some, 1, "Y tế \(i)a."), ("y-te", .some, 1, "Y tế \(i)b.")]))
        }
        // February: 9 land items against a baseline of 1 a month: P(X ≥ 9 | 1) ≈ 1.1e-6, a spike.
        // Health: 4 against 2 a month: P(X ≥ 4 | 2) ≈ 0.14, ordinary.
        changes.append(report("C", "2026-02", at: "2026-02-10T09:00:00+07:00", items: (0..<9).map { ("dat-dai", .widespread, -2, "Đất nóng \($0).") } + (0..<4).map { ("y-te", .some, 1, "Y tế \($0).") }))
        try await s.apply(ChangeBatch(changes: changes, cursor: UInt64(changes.count), more: false))
        let list = try await s.spikes(ListSpikesRequest(period: Period("2026-02")!))
        let land = list.spikes.filter { $0.topic == "dat-dai" }
        #expect(Set(land.map(\.unit)) == ["C", "P"])
        let c = try #require(land.first { $0.unit == "C" })
        #expect(c.items == 9)
        #expect(abs(c.baseline - 1) < 1e-12)
        #expect(abs(c.pValue - 1.1252e-6) < 1e-9)
        #expect(!list.spikes.contains { $0.topic == "y-te" })
        // Each of these spikes is built from one unit's one report a month: a partner sees none.
        let forPartner = try await s.spikes(ListSpikesRequest(period: Period("2026-02")!), partner: true)
        #expect(forPartner.spikes.isEmpty, "\(forPartner.spikes)")
    }

    @Test("after a restart the figures and the cursor are as before")
    func restart() async throws {
        let (s, path) = try await store()
        try await s.apply(ChangeBatch(changes: [
            report("C", "2026-04", at: "2026-04-10T09:00:00+07:00", items: [("dat-dai", .some, -1, "Bồi thường chậm."), ("y-te", .widespread, 2, "Rất hài lòng.")]),
            report("D", "2026-04", at: "2026-04-11T09:00:00+07:00", items: [("dat-dai", .isolated, -2, "Bức xúc.")]),
        ], cursor: 42, more: false))
        let before = try s.trends(Scope(from: Period("2026-04")!, to: Period("2026-04")!), partner: false)
        let reopened = try AnalyticsStore(path: path)
        #expect(try await reopened.cursor() == 42)
        let after = try reopened.trends(Scope(from: Period("2026-04")!, to: Period("2026-04")!), partner: false)
        #expect(after.series == before.series)
        #expect(after.series.first { $0.topic == "dat-dai" }?.points[0].reports == 2)
    }

    @Test("partner agencies never see a cell built from fewer than k reports")
    func suppression() async throws {
        let (s, _) = try await store()
        try await s.apply(ChangeBatch(changes: [
            report("C", "2026-05", at: "2026-05-10T09:00:00+07:00", items: [("dat-dai", .some, -1, "Một.")]),
            report("D", "2026-05", at: "2026-05-10T09:00:00+07:00", items: [("dat-dai", .some, -1, "Hai."), ("gia-ca", .some, -1, "Ba.")]),
        ], cursor: 2, more: false))
        let scope = Scope(from: Period("2026-05")!, to: Period("2026-05")!)
        let partner = try s.trends(scope, partner: true)
        #expect(partner.series.allSatisfy { $0.points[0].suppressed == true && $0.points[0].items == nil })
        #expect(partner.series.allSatisfy { $0.points[0].reports == nil }, "a withheld cell does not say how many reports it holds")
        let manager = try s.trends(scope, partner: false)
        #expect(manager.series.first { $0.topic == "dat-dai" }?.points[0].items == 2)
        let sentiment = try s.sentiment(scope, partner: true)
        #expect(sentiment.rows.allSatisfy { $0.suppressed == true && $0.assessed == nil && $0.items == nil })
        let phrases = try await s.phrases(PhrasesRequest(topic: "dat-dai", period: Period("2026-05")!, limit: 5), partner: true)
        #expect(phrases.suppressed == true && phrases.texts == nil && phrases.baselineTexts == nil && phrases.phrases.isEmpty)
    }

    @Test("months at the edges of the calendar, and ranges too long to answer, are refused or held, never a trap")
    func calendarEdges() async throws {
        let (s, _) = try await store()
        _ = try await s.phrases(PhrasesRequest(topic: "dat-dai", period: Period("1900-03")!, limit: 5), partner: true)
        _ = try s.trends(Scope(to: Period("1900-05")!), partner: true)
        _ = try s.trends(Scope(from: Period("9999-01")!, to: Period("9999-12")!), partner: false)
        let tooLong = await rpcError { _ = try s.trends(Scope(from: Period("1900-01")!, to: Period("9999-12")!), partner: true) }
        #expect(tooLong?.code == .invalidArgument)
        #expect(Period(index: -5) == Period("1900-01")! && Period("9999-12")!.next == Period("9999-12")!)
    }

    @Test("the ranking's score is the weighted sum of its parts")
    func ranking() async throws {
        let (s, _) = try await store()
        var changes: [Change] = []
        // D reports January to March: January and February on time, March late.
        changes.append(report("D", "2026-01", at: "2026-01-10T09:00:00+07:00", items: [("y-te", .some, 1, "Tốt.")]))
        changes.append(report("D", "2026-02", at: "2026-02-10T09:00:00+07:00", items: [("y-te", .some, 1, "Tốt.")]))
        changes.append(report("D", "2026-03", at: "2026-03-26T09:00:00+07:00", items: [("y-te", .some, 1, "Tốt.")]))
        try await s.apply(ChangeBatch(changes: changes, cursor: 3, more: false))
        // As of 30 April: four months past their deadline (January to April).
        let assignments = [Assignment(unit: "D", person: 1, personName: "A", from: day("2026-01-01"), to: day("2026-03-01"))]
        let teams = [TeamStatusRow(unit: "D", name: "Phường Đông", kind: .ward, active: 3, norm: 5, official: nil)]
        let r = try await s.ranking(RankingRequest(year: 2026), assignments: assignments, teams: teams, today: day("2026-04-30"))
        let row = try #require(r.rows.first { $0.unit == "D" })
        #expect(r.months == 4)
        // reporting 3/4, timeliness 2/4, official 59 of 119 days, team 3/5, surveys 0.
        let expected = 0.35 * 0.75 + 0.25 * 0.5 + 0.15 * (59.0 / 119) + 0.15 * 0.6 + 0.10 * 0
        #expect(abs(row.score - expected) < 1e-9)
        #expect(row.grade == "khá")
        #expect(row.components.map(\.name) == ["reporting", "timeliness", "official", "team", "surveys"])
        #expect(r.rows.first { $0.unit == "C" }?.components[0].value == 0)
        for year in [0, -5, 9999, Int.max] {
            let refused = await rpcError { _ = try await s.ranking(RankingRequest(year: year), assignments: [], teams: []) }
            #expect(refused?.code == .invalidArgument, "year \(year) is refused with an answer, not a crash")
        }
    }

    @Test("survey results: weighted by unit population when the sample is unbalanced, with the design effect")
    func surveyEstimates() async throws {
        let (s, _) = try await store()
        let survey = Survey(id: 1, title: "Thử", questions: [Question(code: "q1", text: "Đồng ý?", kind: .singleChoice, options: ["co", "khong"]), Question(code: "q2", text: "Điểm", kind: .likert)], targetUnits: ["C", "D"], opens: day("2026-01-01"), closes: day("2026-12-31"))
        // Population C 10,000 and D 5,000: shares 2/3 and 1/3. Sample C 20, D 80.
        var responses: [SurveyResponse] = []
        for i in 0..<20 { responses.append(SurveyResponse(survey: 1, unit: "C", day: day("2026-02-01"), answers: [Answer(question: "q1", choices: [i < 10 ? "co" : "khong"]), Answer(question: "q2", number: 4)])) }
        for i in 0..<80 { responses.append(SurveyResponse(survey: 1, unit: "D", day: day("2026-02-01"), answers: [Answer(question: "q1", choices: [i < 20 ? "co" : "khong"]), Answer(question: "q2", number: 2)])) }
        let r = try await s.surveyResults(SurveyResponses(survey: survey, responses: responses))
        #expect(r.weighted)
        // Weights: C (2/3)/(0.2) = 10/3, D (1/3)/(0.8) = 5/12.
        // deff = n Σw² / (Σw)² = 100 (20·100/9 + 80·25/144) / 100² = (2000/9 + 125/9) / 100 = 2125/900 = 2.3611
        #expect(abs(r.designEffect - 2125.0 / 900) < 1e-9)
        let yes = try #require(r.questions[0].options?.first { $0.option == "co" })
        // Weighted share: (10·10/3 + 20·5/12) / 100 = (33.33 + 8.33) / 100 = 0.41667 (unweighted 0.30).
        let share = try #require(yes.proportion)
        #expect(abs(share - 5.0 / 12) < 1e-9)
        #expect(yes.count == 30)
        #expect(try #require(yes.low) < share && (try #require(yes.high)) > share)
        // Weighted mean: (20·4·10/3 + 80·2·5/12) / 100 = (266.67 + 66.67) / 100 = 3.3333
        #expect(abs((r.questions[1].mean ?? 0) - 10.0 / 3) < 1e-9)
    }
}

@Suite("Trends across the merger")
struct MergerTrendTests {
    @Test("a merged unit's trends carry its predecessors' months; the province's count every item once (issue 14, item 12)")
    func rolledIntoSuccessor() async throws {
        let (s, _) = try await store()
        try await s.apply(ChangeBatch(changes: [
            report("A", "2025-05", at: "2025-05-20T09:00:00+07:00", items: [("dat-dai", .some, -1, "Bồi thường chậm.")]),
            report("B", "2025-05", at: "2025-05-20T09:00:00+07:00", items: [("dat-dai", .widespread, -1, "Giá đền bù thấp.")]),
            report("C", "2025-08", at: "2025-08-20T09:00:00+07:00", items: [("dat-dai", .isolated, -1, "Còn vướng mặt bằng.")]),
            report("D", "2025-05", at: "2025-05-20T09:00:00+07:00", items: [("dat-dai", .some, -1, "Lấn chiếm.")]),
        ], cursor: 4, more: false))
        let scope = Scope(unit: "C", from: Period("2025-04")!, to: Period("2025-09")!, topics: ["dat-dai"])
        let c = try s.trends(scope, partner: false)
        let points = Dictionary(uniqueKeysWithValues: (c.series.first?.points ?? []).map { ($0.period.description, $0.items ?? 0) })
        #expect(points["2025-05"] == 2, "A's and B's May items are C's history: \(points)")
        #expect(points["2025-08"] == 1)
        let province = try s.trends(Scope(unit: "P", from: Period("2025-04")!, to: Period("2025-09")!, topics: ["dat-dai"]), partner: false)
        let total = (province.series.first?.points ?? []).compactMap(\.items).reduce(0, +)
        #expect(total == 4, "every item once in the province")
    }
}
