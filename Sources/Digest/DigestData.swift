import Foundation
import Localization
import Messages

/// Everything one digest column shows — a month, or the months of a periodic review (sơ kết,
/// tổng kết) — gathered from the services beforehand, so that rendering is a pure function of
/// it (and a test can build one by hand).
public struct DigestData: Sendable {
    /// The first and the last month shown; the same month for the monthly digest.
    public var from: Period
    public var period: Period
    /// "Tỉnh Hà Tĩnh".
    public var province: String
    public var generatedAt: Date
    /// The last month's reporting, and the months before `from` (oldest first) for comparison.
    public var completeness: Completeness
    public var previous: [Completeness]
    /// Every month's reporting from `from` to `period`, oldest first (the last is `completeness`).
    public var months: [Completeness]
    /// Each reporting unit's share of months reported — the last twelve for a month, the
    /// review's own for a review — for the completeness bars.
    public var reportingShare: [String: Double]
    /// Unit code → full name, and → the agency that owns it.
    public var unitNames: [String: String]
    public var agencies: [String: String]
    /// Topic code → label in the page's language.
    public var topicLabels: [String: String]
    /// Twelve months up to `period`, or the review's months if more.
    public var trends: Trends
    /// A month's topics against the three months before; a review's against as many months
    /// before it as it has (mean intensity a month over those of them with reports).
    public var rising: [RisingTopic]
    /// How many of the months before (three for a month, as many as a review has) had reports:
    /// the baseline of `rising`.
    public var baselineMonths: Int?
    /// For each rising topic: what is new in its texts, and one summary quoted (scrubbed at intake).
    public var phrases: [String: [PhraseScore]]
    public var quotes: [String: String]
    /// Spikes in any of the months shown.
    public var spikes: [Spike]
    /// Province-wide sentiment per topic over the months shown.
    public var sentiment: [SentimentRow]
    public var surveys: [SurveyResults]
    /// Reports of these months returned for correction, and the latest version each unit has
    /// sent for each month: a return of version v is corrected once a version after v came.
    public var reviews: [Review]
    public var latestVersions: [Period: [String: Int]]

    public init(
        from: Period? = nil, period: Period, province: String, generatedAt: Date, completeness: Completeness, previous: [Completeness], months: [Completeness]? = nil,
        reportingShare: [String: Double],
        unitNames: [String: String], agencies: [String: String], topicLabels: [String: String], trends: Trends, rising: [RisingTopic],
        phrases: [String: [PhraseScore]], quotes: [String: String], spikes: [Spike], sentiment: [SentimentRow], surveys: [SurveyResults],
        reviews: [Review], latestVersions: [Period: [String: Int]]
    ) {
        self.from = from ?? period
        self.period = period
        self.months = months ?? [completeness]
        self.province = province
        self.generatedAt = generatedAt
        self.completeness = completeness
        self.previous = previous
        self.reportingShare = reportingShare
        self.unitNames = unitNames
        self.agencies = agencies
        self.topicLabels = topicLabels
        self.trends = trends
        self.rising = rising
        self.phrases = phrases
        self.quotes = quotes
        self.spikes = spikes
        self.sentiment = sentiment
        self.surveys = surveys
        self.reviews = reviews
        self.latestVersions = latestVersions
    }

    func topic(_ code: String) -> String { topicLabels[code] ?? code }
    func unit(_ code: String) -> String { unitNames[code] ?? code }

    /// A periodic review rather than one month.
    public var isReview: Bool { from < period }
    public var monthCount: Int { period.index - from.index + 1 }
    func shows(_ month: Period) -> Bool { from <= month && month <= period }

    /// "tháng 10/2026", "6 tháng đầu năm 2026", "năm 2026", "từ 03/2026 đến 08/2026".
    public var label: String {
        guard isReview else { return tr("tháng \(period.text)", en: period.text) }
        if from.year == period.year && from.month == 1 && period.month == 12 { return tr("năm \(from.year)", en: "\(from.year)") }
        if from.year == period.year && from.month == 1 && period.month == 6 { return tr("6 tháng đầu năm \(from.year)", en: "the first half of \(from.year)") }
        if from.year == period.year && from.month == 7 && period.month == 12 { return tr("6 tháng cuối năm \(from.year)", en: "the second half of \(from.year)") }
        return tr("kỳ từ \(from.text) đến \(period.text)", en: "\(from.text) to \(period.text)")
    }

    /// Whether the last month's deadline had passed when the digest was made: before it, the figures still move.
    public var monthClosed: Bool { isClosed(completeness) }

    /// Whether a month was past its deadline when the digest was made: a month still open has missed nothing yet.
    func isClosed(_ month: Completeness) -> Bool { generatedAt >= month.period.deadline(dueDay: 25) }

    /// Whether a review counts a month, made at `now`: past its deadline, with any report at all
    /// (a month nobody reported in is one before the system held anything: no data, not a
    /// month of silence).
    public static func counts(_ month: Completeness, at now: Date) -> Bool { now >= month.period.deadline(dueDay: 25) && month.reported > 0 }

    /// The months a review counts.
    var countedMonths: [Completeness] { months.filter { DigestData.counts($0, at: generatedAt) } }

    /// The months whose items a column counts: a review's counted months, a month's own.
    var itemMonths: Set<Period> { isReview ? Set(countedMonths.map(\.period)) : [period] }

    /// The review's reporting, summed over its counted months: rates from the sums, never averaged.
    var reportingTotals: Totals { DigestData.totals(countedMonths) }

    typealias Totals = (expected: Int, reported: Int, onTime: Int, reportingRate: Double, timelinessRate: Double)

    static func totals(_ months: [Completeness]) -> Totals {
        let expected = months.map(\.expected).reduce(0, +), reported = months.map(\.reported).reduce(0, +), onTime = months.map(\.onTime).reduce(0, +)
        let n = Double(max(1, expected))
        return (expected, reported, onTime, expected == 0 ? 0 : Double(reported) / n, expected == 0 ? 0 : Double(onTime) / n)
    }
}
