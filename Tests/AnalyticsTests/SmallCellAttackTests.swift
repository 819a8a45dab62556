import Foundation
import Messages
import TestSupport
import Base
import Store
import Testing
@testable import Analytics

/// A partner agency attacks the small-cell rule with everything it may ask: trends and
/// sentiment at every unit, over single months and every nested or overlapping range, rising
/// topics, spikes and status. Every figure it gets is a sum of unit-level cells; the test
/// solves the whole linear system and checks that no suppressed cell is determined by it.
@Suite("Small cells: a partner recovers no suppressed cell", .serialized)
struct SmallCellAttackTests {
    /// P → X → X1, X2, X3; P → Y → Y1; P → Z1, Z2. P also reports on its own in some months.
    static let units: [OrgUnit] = {
        func unit(_ code: String, _ parent: String?) -> OrgUnit {
            OrgUnit(code: code, kind: parent == nil ? .province : .commune, nameVi: code, parent: parent, validFrom: Day("2000-01-01")!, population: 1000)
        }
        return [unit("P", nil), unit("X", "P"), unit("X1", "X"), unit("X2", "X"), unit("X3", "X"), unit("Y", "P"), unit("Y1", "Y"), unit("Z1", "P"), unit("Z2", "P")]
    }()
    static let months = ["2026-01", "2026-02", "2026-03", "2026-04"]
    /// Who reports on land (dat-dai) each month, and how many items.
    static let reporting: [String: [String: Int]] = [
        "2026-01": ["X1": 2, "X2": 1, "X3": 3, "Y1": 1, "Z1": 2, "Z2": 1],
        "2026-02": ["X1": 1, "X2": 2, "X3": 1, "Y1": 4, "P": 2],
        "2026-03": ["X1": 1, "Y1": 1, "Z1": 3, "Z2": 2, "P": 1],
        "2026-04": ["X1": 3, "X2": 1, "X3": 2, "Y1": 2, "Z1": 1, "Z2": 1, "P": 1],
    ]

    func loaded() async throws -> AnalyticsStore {
        let s = try AnalyticsStore(path: temporaryDirectory("attack") + "/a.sqlite")
        try await s.replaceUnits(Self.units)
        var changes: [Change] = []
        for month in Self.months {
            for (unit, items) in Self.reporting[month] ?? [:] {
                changes.append(report(unit, month, at: "\(month)-10T09:00:00+07:00", items: (0..<items).map { _ in ("dat-dai", .some, -1, "Đất đai.") }))
            }
        }
        try await s.apply(ChangeBatch(changes: changes, cursor: UInt64(changes.count), more: false))
        return s
    }

    /// Unknowns: each unit's own items in each month it reported (status says who reported, so
    /// every other cell is a known zero).
    struct System {
        var variables: [String] = []  // "unit month"
        var rows: [[Double]] = []
        var values: [Double] = []

        mutating func index(_ unit: String, _ month: String) -> Int? {
            guard (SmallCellAttackTests.reporting[month]?[unit] ?? 0) > 0 else { return nil }
            let name = "\(unit) \(month)"
            if let i = variables.firstIndex(of: name) { return i }
            variables.append(name)
            for r in rows.indices { rows[r].append(0) }
            return variables.count - 1
        }

        /// A published figure: the sum over a subtree and months.
        mutating func publish(_ units: [String], _ months: [String], _ value: Int) {
            var coefficients: [Int] = []
            for u in units { for m in months { if let i = index(u, m) { coefficients.append(i) } } }
            var row = [Double](repeating: 0, count: variables.count)
            for i in coefficients { row[i] = 1 }
            rows.append(row)
            values.append(Double(value))
        }

        /// Whether the sum over `units` and `month` is determined by what was published. A cell
        /// no unit reported into is zero, and status says so: it is not a small cell.
        mutating func determines(_ units: [String], _ month: String) -> Bool {
            let indices = units.compactMap { index($0, month) }
            var target = [Double](repeating: 0, count: variables.count)
            for i in indices { target[i] = 1 }
            guard !indices.isEmpty else { return false }
            // target is determined iff it lies in the row space: rank(rows) == rank(rows + target).
            return rank(rows) == rank(rows + [target])
        }

        func rank(_ m: [[Double]]) -> Int {
            var a = m.map { $0 + [Double](repeating: 0, count: variables.count - $0.count) }
            var rank = 0
            for col in 0..<variables.count {
                guard let pivot = (rank..<a.count).first(where: { abs(a[$0][col]) > 1e-9 }) else { continue }
                a.swapAt(rank, pivot)
                for r in a.indices where r != rank && abs(a[r][col]) > 1e-9 {
                    let f = a[r][col] / a[rank][col]
                    for c in col..<variables.count { a[r][c] -= f * a[rank][c] }
                }
                rank += 1
            }
            return rank
        }
    }

    static func subtree(_ code: String) -> [String] {
        [code] + units.filter { $0.parent == code }.flatMap { subtree($0.code) }
    }

    @Test(
        "trends and sentiment at every unit over every range, rising topics and spikes, parent minus children, and what a partner knows of its own units: together they determine no suppressed cell",
        arguments: [[], ["X1"], ["Z1"], ["Y1", "Z2"]])
    func linearAttack(own: [String]) async throws {
        let s = try await loaded()
        var system = System()
        var suppressed: [(String, String)] = []
        let codes = Self.units.map(\.code)
        // The partner reads its own units' reports in full.
        for code in own { for month in Self.months { system.publish(Self.subtree(code), [month], Self.subtree(code).reduce(0) { $0 + (Self.reporting[month]?[$1] ?? 0) }) } }
        // Trends at every unit, month by month.
        for code in codes {
            let trends = try s.trends(Scope(unit: code, from: Period("2026-01")!, to: Period("2026-04")!, topics: ["dat-dai"]), partner: true, partnerUnits: own)
            for point in trends.series.first?.points ?? [] {
                let month = point.period.description
                if let items = point.items {
                    system.publish(Self.subtree(code), [month], items)
                } else {
                    #expect(point.suppressed == true && point.reports == nil && point.intensity == nil)
                    suppressed.append((code, month))
                }
            }
        }
        // Sentiment at every unit and its children, over every range of months.
        for code in codes {
            for a in Self.months.indices {
                for b in a..<Self.months.count {
                    let range = Array(Self.months[a...b])
                    let index = try s.sentiment(Scope(unit: code, from: Period(range.first!)!, to: Period(range.last!)!, topics: ["dat-dai"]), partner: true, partnerUnits: own)
                    for row in index.rows {
                        if let items = row.items { system.publish(Self.subtree(row.unit), range, items) } else { #expect(row.assessed == nil && row.computed == nil) }
                    }
                }
            }
        }
        // Rising topics at every unit and month.
        for code in codes {
            for month in Self.months {
                for topic in try s.rising(RisingRequest(period: Period(month)!, unit: code), partner: true, partnerUnits: own).topics { system.publish(Self.subtree(code), [month], topic.items) }
            }
        }
        // Spikes, with the six months their baseline is the mean of.
        for spike in try await s.spikes(ListSpikesRequest(), partner: true, partnerUnits: own).spikes {
            system.publish(Self.subtree(spike.unit), [spike.period.description], spike.items)
        }
        #expect(!suppressed.isEmpty, "the data has small cells to protect")
        #expect(system.rows.count > 20, "the partner saw figures: \(system.rows.count)")
        // A cell holding only the partner's own units' reports tells it nothing it did not know.
        let ownUnits = Set(own.flatMap(Self.subtree))
        for (code, month) in suppressed where Self.subtree(code).contains(where: { !ownUnits.contains($0) && (Self.reporting[month]?[$0] ?? 0) > 0 }) {
            let recovered = system.determines(Self.subtree(code), month)
            #expect(!recovered, "\(code) in \(month) is recovered from what a partner sees")
        }
        // The analysts see it all, and the same attack determines those cells.
        var open = System()
        for code in codes {
            for point in try s.trends(Scope(unit: code, from: Period("2026-01")!, to: Period("2026-04")!, topics: ["dat-dai"]), partner: false).series.first?.points ?? [] {
                if let items = point.items { open.publish(Self.subtree(code), [point.period.description], items) }
            }
        }
        let small = suppressed.filter { code, month in Self.subtree(code).contains { (Self.reporting[month]?[$0] ?? 0) > 0 } }
        #expect(small.count >= 10, "withheld cells with reports in them: \(small.count)")
        let found = small.filter { open.determines(Self.subtree($0.0), $0.1) }
        #expect(found.count == small.count, "the attack does find cells when nothing is withheld")
    }

    @Test("a partner's figures for a closed month are as its deadline left them: a late report or a correction moves the commission's, never the partner's")
    func lateReports() async throws {
        let path = temporaryDirectory("attack-late") + "/a.sqlite"
        let s = try AnalyticsStore(path: path)
        try await s.replaceUnits(Self.units)
        try await s.apply(ChangeBatch(changes: ["X1", "X2", "X3", "Z1"].map { report($0, "2026-05", at: "2026-05-10T09:00:00+07:00", items: [("dat-dai", .some, -1, "Đất.")]) }, cursor: 4, more: false))
        let scope = Scope(unit: "P", from: Period("2026-05")!, to: Period("2026-05")!, topics: ["dat-dai"])
        let before = try s.trends(scope, partner: true).series.first?.points.first?.items
        #expect(before == 4)
        // Z2 files late, with two items; X1 corrects its report after the deadline.
        try await s.apply(ChangeBatch(changes: [
            report("Z2", "2026-05", at: "2026-06-02T09:00:00+07:00", items: [("dat-dai", .widespread, -2, "Trễ."), ("dat-dai", .widespread, -2, "Trễ.")]),
            report("X1", "2026-05", version: 2, at: "2026-06-03T09:00:00+07:00", items: [("dat-dai", .widespread, -2, "Sửa."), ("dat-dai", .some, -1, "Sửa.")]),
        ], cursor: 6, more: false))
        #expect(try s.trends(scope, partner: false).series.first?.points.first?.items == 7, "the commission sees them")
        #expect(try s.trends(scope, partner: true).series.first?.points.first?.items == before, "the partner's figure does not move")
        #expect(try s.sentiment(scope, partner: true).rows.first { $0.unit == "P" }?.items == before)
        // Nor do its phrases: the late text is not in them.
        let phrases = try await s.phrases(PhrasesRequest(topic: "dat-dai", period: Period("2026-05")!, unit: "P", limit: 50), partner: true)
        #expect(phrases.texts == 4, "the four on-time items, not the late ones: \(String(describing: phrases.texts))")
        // And after a restart, from the store.
        let reopened = try AnalyticsStore(path: path)
        try await reopened.replaceUnits(Self.units)
        #expect(try reopened.trends(scope, partner: true).series.first?.points.first?.items == before)
    }

    @Test("the deadline keeps the last version before it through any run of corrections, in stores written before and after items were marked rather than copied")
    func correctionsAroundTheDeadline() async throws {
        let scope = Scope(unit: "P", from: Period("2026-05")!, to: Period("2026-05")!, topics: ["dat-dai"])
        func x1(_ version: Int, _ at: String, items n: Int) -> Change {
            report("X1", "2026-05", version: version, at: at, items: Array(repeating: ("dat-dai", .some, -1, "Bản \(version)."), count: n))
        }
        func figures(_ s: AnalyticsStore) async throws -> (commission: Int?, partner: Int?, partnerTexts: Int?) {
            let phrases = try await s.phrases(PhrasesRequest(topic: "dat-dai", period: Period("2026-05")!, unit: "P", limit: 50), partner: true)
            return (try s.trends(scope, partner: false).series.first?.points.first?.items, try s.trends(scope, partner: true).series.first?.points.first?.items, phrases.texts)
        }
        let others = ["X2", "X3", "Z1"].map { report($0, "2026-05", at: "2026-05-10T09:00:00+07:00", items: [("dat-dai", .some, -1, "Đất.")]) }

        // Today's layout: v1 and v2 before the deadline, v3 and v4 after it.
        let path = temporaryDirectory("deadline-corrections") + "/a.sqlite"
        let s = try AnalyticsStore(path: path)
        try await s.replaceUnits(Self.units)
        try await s.apply(ChangeBatch(changes: others + [x1(1, "2026-05-10T09:00:00+07:00", items: 1)], cursor: 4, more: false))
        try await s.apply(ChangeBatch(changes: [x1(2, "2026-05-20T09:00:00+07:00", items: 2)], cursor: 5, more: false))
        #expect(try await figures(s) == (5, 5, 5), "a correction before the deadline is the deadline's")
        try await s.apply(ChangeBatch(changes: [x1(3, "2026-06-01T09:00:00+07:00", items: 3)], cursor: 6, more: false))
        try await s.apply(ChangeBatch(changes: [x1(4, "2026-06-02T09:00:00+07:00", items: 4)], cursor: 7, more: false))
        #expect(try await figures(s) == (7, 5, 5), "corrections after it move the commission's figure only")
        let reopened = try AnalyticsStore(path: path)
        try await reopened.replaceUnits(Self.units)
        #expect(try await figures(reopened) == (7, 5, 5), "and so after a restart")

        // A store from before migration 5 copied every on-time item into deadline_items.
        let oldPath = temporaryDirectory("deadline-copies") + "/a.sqlite"
        let old = try AnalyticsStore(path: oldPath)
        try await old.replaceUnits(Self.units)
        try await old.apply(ChangeBatch(changes: others + [x1(1, "2026-05-10T09:00:00+07:00", items: 2)], cursor: 4, more: false))
        try await old.queue.write { db in
            try db.execute(
                "INSERT INTO deadline_items (unit, period, topic, prevalence, assessed, computed, summary) SELECT unit, period, topic, prevalence, assessed, computed, summary FROM items; UPDATE items SET at_deadline = 0")
        }
        let migrated = try AnalyticsStore(path: oldPath)
        try await migrated.replaceUnits(Self.units)
        #expect(try await figures(migrated) == (5, 5, 5), "the copies are the deadline's figures")
        try await migrated.apply(ChangeBatch(changes: [x1(2, "2026-06-01T09:00:00+07:00", items: 4)], cursor: 5, more: false))
        #expect(try await figures(migrated) == (7, 5, 5))
        try await migrated.apply(ChangeBatch(changes: [report("X2", "2026-05", version: 2, at: "2026-05-24T09:00:00+07:00", items: [("dat-dai", .some, -1, "Sửa."), ("dat-dai", .some, -1, "Sửa.")])], cursor: 6, more: false))
        #expect(try await figures(migrated) == (8, 6, 6), "a correction before the deadline replaces the copy")
        let again = try AnalyticsStore(path: oldPath)
        try await again.replaceUnits(Self.units)
        #expect(try await figures(again) == (8, 6, 6))
    }

    @Test("phrases at a parent quote only words at least k reports used; the child's query is withheld")
    func phrases() async throws {
        let s = try AnalyticsStore(path: temporaryDirectory("attack-phrases") + "/a.sqlite")
        try await s.replaceUnits(Self.units)
        let common = "người dân phản ánh giá đất bồi thường thấp"
        try await s.apply(ChangeBatch(changes: [
            // One report's own words, twice in it: common enough to rank, but from one report.
            report("X1", "2026-05", at: "2026-05-10T09:00:00+07:00", items: [
                ("dat-dai", .some, -1, common + " và ông hàng xóm lấn chiếm ngõ đi riêng"), ("dat-dai", .some, -1, "ông hàng xóm lấn chiếm ngõ đi riêng lần nữa"),
            ]),
            report("X2", "2026-05", at: "2026-05-10T09:00:00+07:00", items: [("dat-dai", .some, -1, common)]),
            report("Z1", "2026-05", at: "2026-05-10T09:00:00+07:00", items: [("dat-dai", .some, -1, common)]),
        ], cursor: 3, more: false))
        let request = PhrasesRequest(topic: "dat-dai", period: Period("2026-05")!, unit: "P", limit: 50)
        let analyst = try await s.phrases(request, partner: false)
        #expect(analyst.phrases.contains { $0.phrase.contains("hàng xóm") }, "\(analyst.phrases.map(\.phrase))")
        let partner = try await s.phrases(request, partner: true)
        #expect(partner.suppressed != true)
        #expect(!partner.phrases.contains { $0.phrase.contains("hàng xóm") || $0.phrase.contains("lấn chiếm") }, "\(partner.phrases.map(\.phrase))")
        let child = try await s.phrases(PhrasesRequest(topic: "dat-dai", period: Period("2026-05")!, unit: "X1", limit: 50), partner: true)
        #expect(child.suppressed == true && child.phrases.isEmpty)
    }

    @Test("phrases held to k units: a partner's and an official's own units vouch for nothing, ranges are the commission's, and sentiment rows never say which topics a unit wrote on")
    func heldToOtherUnits() async throws {
        let s = try AnalyticsStore(path: temporaryDirectory("attack-own") + "/a.sqlite")
        try await s.replaceUnits(Self.units)
        let common = "người dân phản ánh giá đất bồi thường thấp"
        try await s.apply(ChangeBatch(changes: ["X1", "X2", "Z1"].map {
            report($0, "2026-05", at: "2026-05-10T09:00:00+07:00", items: [("dat-dai", .some, -1, common), ("dat-dai", .some, -1, "Đất.")])
        } + [report("Y1", "2026-05", at: "2026-05-10T09:00:00+07:00", items: [("y-te", .some, 1, "Trạm y tế tốt.")])], cursor: 4, more: false))
        let request = PhrasesRequest(topic: "dat-dai", period: Period("2026-05")!, unit: "P", limit: 50)
        // Three units used it: quoted to a partner with none of them.
        #expect(try await s.phrases(request, partner: true, partnerUnits: ["Y1"]).phrases.contains { $0.phrase.contains("bồi thường") })
        // The partner that owns X1 knows its text: two other units are not enough.
        let owner = try await s.phrases(request, partner: true, partnerUnits: ["X1"])
        #expect(owner.suppressed == true || !owner.phrases.contains { $0.phrase.contains("bồi thường") }, "\(owner)")
        let official = try await s.phrases(request, partner: true, partnerUnits: ["X"])
        #expect(official.suppressed == true && official.phrases.isEmpty, "X holds X1 and X2: only Z1 is another's: \(official)")
        #expect(try await s.phrases(request, partner: false).phrases.contains { $0.phrase.contains("bồi thường") }, "the commission sees it")
        // Ranges would let two overlapping answers give one month's use: refused, naming from.
        var range = request
        range.from = Period("2026-04")!
        for units in [["Y1"], ["X"]] {
            do {
                _ = try await s.phrases(range, partner: true, partnerUnits: units)
                Issue.record("a range was answered")
            } catch let error as RPCError {
                #expect(error.code == .permissionDenied && error.message.hasPrefix("from:"), "\(error)")
            }
        }
        _ = try await s.phrases(range, partner: false)
        // Sentiment at one unit: the same rows, all withheld, whichever topics it wrote on.
        let scope = { (unit: String) in Scope(unit: unit, from: Period("2026-05")!, to: Period("2026-05")!) }
        let x1 = try s.sentiment(scope("X1"), partner: true).rows, y1 = try s.sentiment(scope("Y1"), partner: true).rows
        #expect(x1.map(\.topic) == y1.map(\.topic) && x1.count == 2 && (x1 + y1).allSatisfy { $0.suppressed == true }, "\(x1) \(y1)")
        // A topic nobody wrote on before, first reported in a month still open: a partner does not
        // hear of it yet (its one report would name the unit); the commission does.
        let open = Period(index: s.lastClosedPeriod() + 1)
        let now = ISO8601DateFormatter().string(from: Date())
        try await s.apply(ChangeBatch(changes: [report("Z2", open.description, at: now, items: [("ton-giao-dan-toc", .some, 0, "Lễ hội diễn ra an toàn.")])], cursor: 5, more: false))
        let closedScope = Scope(unit: "P", from: Period("2026-05")!, to: Period("2026-05")!)
        let throughOpen = Scope(unit: "P", from: Period("2026-05")!, to: open)
        #expect(try !s.trends(throughOpen, partner: true).series.contains { $0.topic == "ton-giao-dan-toc" })
        #expect(try !s.sentiment(closedScope, partner: true).rows.contains { $0.topic == "ton-giao-dan-toc" }, "no withheld row for it either")
        #expect(try s.trends(throughOpen, partner: false).series.contains { $0.topic == "ton-giao-dan-toc" })
    }

    @Test("survey cells under the minimum are withheld with a complement, and a question answered by too few is withheld whole")
    func surveyCells() {
        func option(_ name: String, _ count: Int) -> OptionEstimate { OptionEstimate(option: name, count: count, proportion: 0, low: 0, high: 0) }
        let results = SurveyResults(
            survey: 1, title: "t", responses: 30, weighted: false, designEffect: 1, effectiveSampleSize: 30, unitsWithoutResponses: [],
            questions: [
                QuestionEstimate(question: "q1", text: "", answered: 20, options: [option("a", 12), option("b", 6), option("c", 2), option("d", 0)]),
                QuestionEstimate(question: "q2", text: "", answered: 20, options: [option("a", 10), option("b", 7), option("c", 3)]),
                QuestionEstimate(question: "q3", text: "", answered: 4, mean: 3.5, low: 3, high: 4),
                QuestionEstimate(question: "q4", text: "", answered: 10, options: [option("a", 8), option("b", 2)]),
            ])
        let shown = SurveyDisclosure.withheld(results, minimum: 5)
        let q1 = shown.questions[0].options!
        #expect(q1[2].count == nil && q1[2].suppressed == true, "2 < 5 is withheld")
        #expect(q1[1].count == nil, "and the smallest other, so that 20 − 12 − 0 does not give it")
        #expect(q1[0].count == 12 && q1[3].count == 0)
        let q2 = shown.questions[1].options!
        #expect(q2[2].count == nil && q2[1].count == nil && q2[0].count == 10)
        #expect(shown.questions[2].answered == nil && shown.questions[2].mean == nil && shown.questions[2].suppressed == true)
        let q4 = shown.questions[3].options!
        #expect(q4.allSatisfy { $0.count == nil }, "with two options, both go")
    }
}
