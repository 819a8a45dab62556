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
            surveys: [], reviews: [Review(unit: "18100", period: period, version: 1, state: .returned, reason: "Thiếu số liệu", at: Date())], latestVersions: ["18073": 1, "18100": 2])
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
        uncorrected.latestVersions["18100"] = 1
        let pending = Language.$current.withValue(.vi) { DigestPage.render([uncorrected]) }
        #expect(pending.contains("<td>Thiếu số liệu</td><td>chưa</td>") && !pending.contains("đã gửi bản sửa"))
        let english = Language.$current.withValue(.en) { DigestPage.render([Self.data()]) }
        #expect(english.contains("2 of 3 units reported (66.7%), 1 on time (33.3%)") && english.contains("<html lang=\"en\">"))
    }

    @Test("two periods side by side, each section once with both")
    func review() {
        let html = Language.$current.withValue(.vi) { DigestPage.render([Self.data("2026-04"), Self.data("2026-10")]) }
        #expect(html.contains("So sánh tình hình dư luận xã hội 04/2026 và 10/2026"))
        #expect(Self.count("<section", in: html) == 8 && Self.count("class=\"pair\"", in: html) == 8)
        #expect(Self.count("class=\"unit-dot\"", in: html) == 2 * 69)
    }
}
