import Foundation
import Messages

/// Everything one month's digest shows, gathered from the services beforehand, so that
/// rendering is a pure function of it (and a test can build one by hand).
public struct DigestData: Sendable {
    public var period: Period
    /// "Tỉnh Hà Tĩnh".
    public var province: String
    public var generatedAt: Date
    /// This month's reporting, and the months before it (oldest first) for comparison.
    public var completeness: Completeness
    public var previous: [Completeness]
    /// Each reporting unit's share of the last twelve months reported, for the completeness bars.
    public var reportingShare: [String: Double]
    /// Unit code → full name, and → the agency that owns it.
    public var unitNames: [String: String]
    public var agencies: [String: String]
    /// Topic code → label in the page's language.
    public var topicLabels: [String: String]
    /// Twelve months up to `period`.
    public var trends: Trends
    public var rising: [RisingTopic]
    /// For each rising topic: what is new in its texts, and one summary quoted (scrubbed at intake).
    public var phrases: [String: [PhraseScore]]
    public var quotes: [String: String]
    public var spikes: [Spike]
    /// Province-wide sentiment per topic this month.
    public var sentiment: [SentimentRow]
    public var surveys: [SurveyResults]
    /// Reports of this month returned for correction, and the latest version each unit has
    /// sent: a return of version v is corrected once a version after v came.
    public var reviews: [Review]
    public var latestVersions: [String: Int]

    public init(
        period: Period, province: String, generatedAt: Date, completeness: Completeness, previous: [Completeness], reportingShare: [String: Double],
        unitNames: [String: String], agencies: [String: String], topicLabels: [String: String], trends: Trends, rising: [RisingTopic],
        phrases: [String: [PhraseScore]], quotes: [String: String], spikes: [Spike], sentiment: [SentimentRow], surveys: [SurveyResults],
        reviews: [Review], latestVersions: [String: Int]
    ) {
        self.period = period
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

    /// Whether the month's deadline had passed when the digest was made: before it, the figures still move.
    public var monthClosed: Bool { generatedAt >= period.deadline(dueDay: 25) }
}
