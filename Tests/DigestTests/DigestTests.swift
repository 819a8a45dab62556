import Digest
import Foundation
import Localization
import Messages
import Testing

/// The digest page as a pure function of its figures: every chart drawn from them, every
/// sentence's numbers among those the page shows.
@Suite("The monthly digest page")
struct DigestTests {
    static func period(_ s: String) -> Period { Period(s)! }

    /// Two topics over twelve months, three units (one missing), a spike, a return.
    static func data(_ p: String = "2026-10") -> DigestData {
        let period = period(p)
        let months = (0..<12).map { Period(index: period.index - 11 + $0) }
        func series(_ topic: String, _ base: Double) -> TopicSeries {
            TopicSeries(topic: topic, points: months.enumerated().map { TrendPoint(period: $0.element, items: Int(base) + $0.offset, intensity: base + Double($0.offset), reports: 3) })
        }
        let rows = [
            CompletenessRow(unit: "18073", name: "Phường Thành Sen", kind: .ward, state: .onTime, version: 1, items: 2, receivedAt: Date()),
            CompletenessRow(unit: "18100", name: "Phường Trần Phú", kind: .ward, state: .late, version: 2, items: 1, receivedAt: Date()),
            CompletenessRow(unit: "18775", name: "Xã Kỳ Anh", kind: .commune, state: .missing),
        ]
        let completeness = Completeness(period: period, root: "42", expected: 3, reported: 2, onTime: 1, reportingRate: 2.0 / 3, timelinessRate: 1.0 / 3, rows: rows)
        let before = Completeness(period: period.previous, root: "42", expected: 3, reported: 3, onTime: 3, reportingRate: 1, timelinessRate: 1, rows: [])
        return DigestData(
            period: period, province: "Tỉnh Hà Tĩnh", generatedAt: Date(timeIntervalSince1970: 1_790_000_000), completeness: completeness, previous: [before],
            reportingShare: ["18073": 1, "18100": 0.75, "18775": 0.5], unitNames: ["18073": "Phường Thành Sen", "18100": "Phường Trần Phú", "18775": "Xã Kỳ Anh"],
            agencies: ["18775": "Ban Tuyên giáo và Dân vận Tỉnh ủy"], topicLabels: ["dat-dai": "Đất đai", "y-te": "Y tế"],
            trends: Trends(scope: Scope(from: months.first, to: period), series: [series("dat-dai", 10), series("y-te", 4)]),
            rising: [RisingTopic(topic: "dat-dai", intensity: 21, before: 7.5, change: 13.5, items: 21, reports: 3)],
            phrases: ["dat-dai": [PhraseScore(phrase: "giá đền bù", z: 4.2, count: 5)]], quotes: ["dat-dai": "Bà con lo giá đền bù thấp."],
            spikes: [Spike(id: 1, topic: "dat-dai", unit: "18775", period: period, items: 5, baseline: 0.5, pValue: 1e-4, strength: 10, intensity: 10)],
            sentiment: [SentimentRow(topic: "dat-dai", unit: "42", assessed: -0.5, computed: -0.42, items: 21), SentimentRow(topic: "y-te", unit: "42", assessed: 0.5, computed: 0.3, items: 15)],
            surveys: [], reviews: [Review(unit: "18100", period: period, version: 1, state: .returned, reason: "Thiếu số liệu", at: Date())], latestVersions: [period: ["18073": 1, "18100": 2]])
    }

    static func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }

    @Test("each chart has a point per topic and month, a bar per unit and topic, a dot per commune and ward, a ring per spike; each has a title and a description")
    func charts() {
        let html = Language.$current.withValue(.vi) { DigestPage.render([Self.data()]) }
        #expect(Self.count("class=\"point\"", in: html) == 2 * 12)
        #expect(Self.count("data-chart=\"trend\"", in: html) == 2)
        #expect(Self.count("data-chart=\"completeness\"", in: html) == 1)
        #expect(Self.count("data-chart=\"sentiment\"", in: html) == 1)
        // 3 completeness bars and 2 sentiment bars.
        #expect(Self.count("class=\"bar\"", in: html) == 3 + 2)
        #expect(Self.count("class=\"unit-dot\"", in: html) == UnitPoints.haTinh.points.count && UnitPoints.haTinh.points.count == 69)
        #expect(Self.count("class=\"spike-mark\"", in: html) == 1)
        #expect(Self.count("<svg", in: html) == Self.count("<title id=", in: html) && Self.count("<svg", in: html) == Self.count("<desc id=", in: html), "every chart is described")
        #expect(!html.contains("<script"), "self-contained: no script")
        #expect(!html.contains("src=") && !html.contains("href=\"http"), "self-contained: nothing fetched")
    }

    @Test("in Vietnamese, with the missing unit by name and agency, the rise, the quote, the return and a paragraph per topic from the figures shown")
    func words() {
        let html = Language.$current.withValue(.vi) { DigestPage.render([Self.data()]) }
        for text in ["Tổng hợp tình hình dư luận xã hội tháng 10/2026", "2 trên 3 đơn vị đã báo cáo (66,7%), 1 đúng hạn (33,3%)", "Xã Kỳ Anh (18775)", "Ban Tuyên giáo và Dân vận Tỉnh ủy",
                     "“giá đền bù”", "Bà con lo giá đền bù thấp.", "Thiếu số liệu", "đã gửi bản sửa",
                     "Đất đai: 21 nội dung trong tháng 10/2026, cường độ 21 so với trung bình 7,5 của ba tháng trước; tăng đột biến ở 1 đơn vị; thái độ tiêu cực (-0,42)."] {
            #expect(html.contains(text), "«\(text)»")
        }
        // The paragraph's numbers are the tables' and charts': 21 items, 7,5, -0,42.
        #expect(html.contains("-0,42</td>"))
        // A return of the latest version is not corrected, whatever came before it.
        var uncorrected = Self.data()
        uncorrected.latestVersions[Self.period("2026-10")]?["18100"] = 1
        let pending = Language.$current.withValue(.vi) { DigestPage.render([uncorrected]) }
        #expect(pending.contains("<td>Thiếu số liệu</td><td>chưa</td>") && !pending.contains("đã gửi bản sửa"))
        // The first months of a system: a baseline of fewer months says so; none, nothing to compare.
        var early = Self.data()
        early.baselineMonths = 2
        #expect(Language.$current.withValue(.vi) { DigestPage.render([early]) }.contains("cường độ 21 so với trung bình 7,5 của 2 tháng có báo cáo trong ba tháng trước"))
        early.baselineMonths = 0
        early.rising = []
        #expect(Language.$current.withValue(.vi) { DigestPage.render([early]) }.contains("Không có báo cáo nào trong ba tháng trước: không có gì để so sánh."))
        let english = Language.$current.withValue(.en) { DigestPage.render([Self.data()]) }
        #expect(english.contains("2 of 3 units reported (66.7%), 1 on time (33.3%)") && english.contains("<html lang=\"en\">"))
    }

    /// A review of six months to `p`: Xã Kỳ Anh misses two of them, Trần Phú is late in one;
    /// spikes in two of its months and one before it.
    static func review(to p: String) -> DigestData {
        var d = data(p)
        let months = (0..<6).map { Period(index: d.period.index - 5 + $0) }
        d.from = months[0]
        d.months = months.enumerated().map { i, month in
            let kyAnh: ReportState = i == 1 || i == 4 ? .missing : .onTime
            let tranPhu: ReportState = i == 2 ? .late : .onTime
            let rows = [
                CompletenessRow(unit: "18073", name: "Phường Thành Sen", kind: .ward, state: .onTime, version: 1, items: 2, receivedAt: Date()),
                CompletenessRow(unit: "18100", name: "Phường Trần Phú", kind: .ward, state: tranPhu, version: 1, items: 1, receivedAt: Date()),
                CompletenessRow(unit: "18775", name: "Xã Kỳ Anh", kind: .commune, state: kyAnh, version: kyAnh == .missing ? nil : 1),
            ]
            let reported = rows.filter { $0.state != .missing }.count, onTime = rows.filter { $0.state == .onTime }.count
            return Completeness(period: month, root: "42", expected: 3, reported: reported, onTime: onTime, reportingRate: Double(reported) / 3, timelinessRate: Double(onTime) / 3, rows: rows)
        }
        d.completeness = d.months[5]
        d.reportingShare = ["18073": 1, "18100": 1, "18775": 4.0 / 6]
        d.spikes = [
            Spike(id: 1, topic: "dat-dai", unit: "18775", period: months[0], items: 5, baseline: 0.5, pValue: 1e-4, strength: 10, intensity: 10),
            Spike(id: 2, topic: "y-te", unit: "18073", period: months[3], items: 6, baseline: 1, pValue: 1e-4, strength: 6, intensity: 9),
            Spike(id: 3, topic: "y-te", unit: "18073", period: Period(index: months[0].index - 1), items: 6, baseline: 1, pValue: 1e-4, strength: 6, intensity: 9),
        ]
        // Đất đai's last six months: 16…21 items, intensity 16…21 a month; the six before, 10…15.
        d.rising = [RisingTopic(topic: "dat-dai", intensity: 18.5, before: 12.5, change: 6, items: 111, reports: nil)]
        d.baselineMonths = 6
        d.reviews = [Review(unit: "18100", period: months[2], version: 1, state: .returned, reason: "Thiếu số liệu", at: Date())]
        d.latestVersions = Dictionary(uniqueKeysWithValues: months.map { ($0, ["18100": 1]) })
        return d
    }

    @Test("a periodic review: six months beside the same six a year before, each section once with both, figures summed over the months")
    func review() {
        let html = Language.$current.withValue(.vi) { DigestPage.render([Self.review(to: "2025-06"), Self.review(to: "2026-06")]) }
        #expect(html.contains("So sánh tình hình dư luận xã hội 6 tháng đầu năm 2026 với 6 tháng đầu năm 2025"))
        #expect(Self.count("<section", in: html) == 8 && Self.count("class=\"pair\"", in: html) == 8)
        #expect(Self.count("class=\"unit-dot\"", in: html) == 2 * 69)
        for text in [
            // 18 reports due, 16 sent, 15 on time (one late); rates from the sums.
            "Trong 6 tháng đầu năm 2026: đã nhận 16 trên 18 lượt báo cáo phải gửi (88,9%), 15 lượt đúng hạn (83,3%).",
            "6 tháng đầu năm 2026 so với 6 tháng đầu năm 2025: tỉ lệ báo cáo tăng 0,0 điểm phần trăm",
            "<td>Xã Kỳ Anh (18775)</td><td>Ban Tuyên giáo và Dân vận Tỉnh ủy</td><td>2/6</td>",
            "111 nội dung trong kỳ, cường độ trung bình 18,5 một tháng so với 12,5 của 6 tháng có báo cáo trước kỳ.",
            "Đất đai: 111 nội dung trong 6 tháng đầu năm 2026, cường độ trung bình 18,5 một tháng so với 12,5 của 6 tháng có báo cáo trước kỳ; 1 lần tăng đột biến ở các đơn vị; thái độ tiêu cực (-0,42).",
            "<td>03/2026</td><td>Phường Trần Phú</td><td>Thiếu số liệu</td><td>chưa</td>",
            // Y tế in the period: 4+6 … 4+11 = 10+…+15 = 75 items; one spike inside, one before it.
            "Y tế: 75 nội dung trong 6 tháng đầu năm 2026; 1 lần tăng đột biến ở các đơn vị",
        ] {
            #expect(html.contains(text), "«\(text)»")
        }
        #expect(Self.count("<td>01/2026</td><td>Xã Kỳ Anh</td>", in: html) == 1 && !html.contains("<td>12/2025</td><td>Phường Thành Sen</td>"), "spikes of the period only")
        // Six months a column in the reporting table.
        #expect(Self.count("<tr><td>0", in: html) >= 12)
        // A year before with no report at all: one sentence, not every unit.
        var silent = Self.review(to: "2025-06")
        silent.months = silent.months.map { m in
            Completeness(period: m.period, root: "42", expected: 3, reported: 0, onTime: 0, reportingRate: 0, timelinessRate: 0, rows: m.rows.map { CompletenessRow(unit: $0.unit, name: $0.name, kind: $0.kind, state: .missing) })
        }
        let quiet = Language.$current.withValue(.vi) { DigestPage.render([silent, Self.review(to: "2026-06")]) }
        #expect(quiet.contains("Không tháng nào trong 6 tháng đầu năm 2025 có báo cáo.") && Self.count("<td>Xã Kỳ Anh (18775)</td>", in: quiet) == 1)
        #expect(quiet.contains("6 tháng đầu năm 2025 không có tháng nào có báo cáo để đặt cạnh 6 tháng đầu năm 2026: không so sánh được.") && !quiet.contains("so với 0,0%"), "no data is not 0%")
        // Only two of the year before's months have reports: the comparison is of those two months on both sides.
        var partial = Self.review(to: "2025-06")
        partial.months = partial.months.enumerated().map { i, m in
            i >= 4 ? m : Completeness(period: m.period, root: "42", expected: 3, reported: 0, onTime: 0, reportingRate: 0, timelinessRate: 0, rows: m.rows.map { CompletenessRow(unit: $0.unit, name: $0.name, kind: $0.kind, state: .missing) })
        }
        let paired = Language.$current.withValue(.vi) { DigestPage.render([partial, Self.review(to: "2026-06")]) }
        // May and June on both sides: Kỳ Anh misses May, so 5 of 6 and 5 of 6 on time; the same months a year later alike.
        #expect(paired.contains("tỉ lệ báo cáo tăng 0,0 điểm phần trăm (83,3% so với 83,3%)") && paired.contains("(so trên 2 tháng có số liệu ở cả hai kỳ)."), "\(paired.prefix(2500))")
        #expect(Self.count("(không có số liệu, không tính)", in: paired) == 4)
        #expect(Self.count("data-chart=\"completeness\"", in: quiet) == 1, "no bars for a column nobody reported in")
        #expect(Self.count("<td class=\"n\">—</td>", in: quiet) == 2 * 6, "a month with no report has no rate, not 0%")
        // Made on 21/09/2026: September is not past its deadline, so it counts in no total and no unit has missed it.
        let open = Language.$current.withValue(.vi) { DigestPage.render([Self.review(to: "2025-09"), Self.review(to: "2026-09")]) }
        #expect(open.contains("<td>09/2026 (chưa qua hạn, chưa tính vào tổng)</td>") && open.contains("đã nhận 13 trên 15 lượt báo cáo phải gửi (86,7%), 12 lượt đúng hạn (80,0%)"), "\(open.prefix(3000))")
        #expect(open.contains("<td>2/5</td>"), "Xã Kỳ Anh missed two of the five closed months")
        let english = Language.$current.withValue(.en) { DigestPage.render([Self.review(to: "2025-06"), Self.review(to: "2026-06")]) }
        #expect(english.contains("Public opinion over the first half of 2026 beside the first half of 2025") && english.contains("Over the first half of 2026: 16 of 18 reports due were sent (88.9%), 15 on time (83.3%)"))
    }
}
