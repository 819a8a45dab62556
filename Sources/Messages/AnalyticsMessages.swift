import Foundation
import Wire

/// Where a unit's report for a month stands; `returned` (for correction) counts as not yet
/// reported until a corrected version arrives.
public enum ReportState: String, WireEnum {
    case onTime, late, missing, returned

    /// Missing first, then returned for correction, then late, then on time: the order a list
    /// of units is read in, and a unit's worst month over several.
    public var urgency: Int {
        switch self {
        case .missing: return 0
        case .returned: return 1
        case .late: return 2
        case .onTime: return 3
        }
    }
}

public struct CompletenessRequest: Codable, Sendable {
    public var period: Period
    /// The subtree to roll up; the whole province by default.
    public var unit: String?
    /// Figures as they stood at the deadline (corrections after it change nothing) instead of the latest.
    public var asOfDeadline: Bool?
    public init(period: Period, unit: String? = nil, asOfDeadline: Bool? = nil) {
        self.period = period
        self.unit = unit
        self.asOfDeadline = asOfDeadline
    }
}

public struct CompletenessRow: Codable, Sendable, Hashable {
    public var unit: String
    public var name: String
    public var kind: UnitKind
    public var state: ReportState
    public var version: Int?
    public var items: Int?
    public var receivedAt: Date?
    public init(unit: String, name: String, kind: UnitKind, state: ReportState, version: Int? = nil, items: Int? = nil, receivedAt: Date? = nil) {
        self.unit = unit
        self.name = name
        self.kind = kind
        self.state = state
        self.version = version
        self.items = items
        self.receivedAt = receivedAt
    }
}

public struct Completeness: Codable, Sendable {
    public var period: Period
    public var root: String
    public var expected: Int
    public var reported: Int
    public var onTime: Int
    /// reported / expected, 0…1.
    public var reportingRate: Double
    /// on time / expected, 0…1.
    public var timelinessRate: Double
    /// Missing units first.
    public var rows: [CompletenessRow]
    public init(period: Period, root: String, expected: Int, reported: Int, onTime: Int, reportingRate: Double, timelinessRate: Double, rows: [CompletenessRow]) {
        self.period = period
        self.root = root
        self.expected = expected
        self.reported = reported
        self.onTime = onTime
        self.reportingRate = reportingRate
        self.timelinessRate = timelinessRate
        self.rows = rows
    }
}

public struct IngestStatus: Codable, Sendable {
    public var cursor: UInt64
    public var reports: Int
    public var items: Int
    public var units: Int
    public var lastError: String?
    public init(cursor: UInt64, reports: Int, items: Int, units: Int, lastError: String?) {
        self.cursor = cursor
        self.reports = reports
        self.items = items
        self.units = units
        self.lastError = lastError
    }
}

/// Analytics' methods: `pulse.analytics.v1.Analytics/<Method>`.
public enum AnalyticsAPI {
    public static let service = "pulse.analytics.v1.Analytics"
    public static let completeness = MethodDescriptor<CompletenessRequest, Completeness>(service: service, method: "Completeness", access: .only(.admin, .analyst, .official, .partner))
    public static let ingestStatus = MethodDescriptor<Empty, IngestStatus>(service: service, method: "IngestStatus", access: .only(.admin, .analyst))
}

/// The slice most analytics queries take: a unit subtree, a period range, some topics.
public struct Scope: Codable, Sendable, Hashable {
    /// The root of the subtree; the province by default.
    public var unit: String?
    public var from: Period?
    public var to: Period?
    /// Topic codes; all topics when empty.
    public var topics: [String]?
    public init(unit: String? = nil, from: Period? = nil, to: Period? = nil, topics: [String]? = nil) {
        self.unit = unit
        self.from = from
        self.to = to
        self.topics = topics
    }
}

public struct TrendPoint: Codable, Sendable, Hashable {
    public var period: Period
    /// Opinion items reported.
    public var items: Int?
    /// Items weighted by prevalence: isolated 1, some 2, widespread 3.
    public var intensity: Double?
    /// Reports the figure is built from.
    /// How many reports the cell holds; absent where it is withheld (fewer than k, for partners).
    public var reports: Int?
    /// True when the figure is withheld from a partner agency because it rests on fewer than k reports.
    public var suppressed: Bool?
    public init(period: Period, items: Int?, intensity: Double?, reports: Int?, suppressed: Bool? = nil) {
        self.period = period
        self.items = items
        self.intensity = intensity
        self.reports = reports
        self.suppressed = suppressed
    }
}

public struct TopicSeries: Codable, Sendable, Hashable {
    public var topic: String
    public var points: [TrendPoint]
    public init(topic: String, points: [TrendPoint]) {
        self.topic = topic
        self.points = points
    }
}

public struct Trends: Codable, Sendable {
    public var scope: Scope
    public var series: [TopicSeries]
    public init(scope: Scope, series: [TopicSeries]) {
        self.scope = scope
        self.series = series
    }

    /// The months with any report on any topic (a withheld cell holds reports): a month with
    /// none is no data — before the system held anything — not a month of silence.
    public var monthsWithReports: Set<Period> {
        Set(series.flatMap(\.points).filter { ($0.items ?? 0) > 0 || $0.suppressed == true }.map(\.period))
    }
}

public struct RisingTopic: Codable, Sendable, Hashable {
    public var topic: String
    public var intensity: Double
    /// Mean intensity of the three months before (of those with any report: see RisingList).
    public var before: Double
    public var change: Double
    public var items: Int
    /// Absent for partner agencies (see the small-cell rule).
    public var reports: Int?
    public init(topic: String, intensity: Double, before: Double, change: Double, items: Int, reports: Int?) {
        self.topic = topic
        self.intensity = intensity
        self.before = before
        self.change = change
        self.items = items
        self.reports = reports
    }
}

public struct RisingRequest: Codable, Sendable {
    public var period: Period
    public var unit: String?
    public var limit: Int?
    public init(period: Period, unit: String? = nil, limit: Int? = nil) {
        self.period = period
        self.unit = unit
        self.limit = limit
    }
}

public struct RisingList: Codable, Sendable {
    public var period: Period
    public var topics: [RisingTopic]
    /// How many of the three months before had any report in the scope: `before` is their
    /// mean (a month nobody reported in is no data, not a month of silence). With none, nothing
    /// can rise and the list is empty.
    public var baselineMonths: Int?
    public init(period: Period, topics: [RisingTopic], baselineMonths: Int? = nil) {
        self.period = period
        self.topics = topics
        self.baselineMonths = baselineMonths
    }
}

public struct SentimentRow: Codable, Sendable, Hashable {
    public var topic: String
    public var unit: String
    /// Reporters' assessed sentiment, −2…+2 mapped to −1…+1.
    public var assessed: Double?
    /// The text's computed sentiment, −1…+1.
    public var computed: Double?
    /// Absent where the row is withheld.
    public var items: Int?
    public var suppressed: Bool?
    public init(topic: String, unit: String, assessed: Double?, computed: Double?, items: Int?, suppressed: Bool? = nil) {
        self.topic = topic
        self.unit = unit
        self.assessed = assessed
        self.computed = computed
        self.items = items
        self.suppressed = suppressed
    }
}

public struct SentimentIndex: Codable, Sendable {
    public var scope: Scope
    public var rows: [SentimentRow]
    public init(scope: Scope, rows: [SentimentRow]) {
        self.scope = scope
        self.rows = rows
    }
}

public struct PhrasesRequest: Codable, Sendable {
    public var topic: String
    public var period: Period
    public var unit: String?
    public var limit: Int?
    /// With it, the texts of the months from it to `period` (at most 24), against the six
    /// months before it: what a periodic review's months said that the half-year before did not.
    public var from: Period?
    public init(topic: String, period: Period, unit: String? = nil, limit: Int? = nil, from: Period? = nil) {
        self.topic = topic
        self.period = period
        self.unit = unit
        self.limit = limit
        self.from = from
    }

    /// The first month of the texts asked about.
    public var first: Period { from ?? period }
}

public struct PhraseScore: Codable, Sendable, Hashable {
    public var phrase: String
    public var z: Double
    public var count: Int
    public init(phrase: String, z: Double, count: Int) {
        self.phrase = phrase
        self.z = z
        self.count = count
    }
}

public struct PhraseList: Codable, Sendable {
    public var topic: String
    public var period: Period
    /// Absent where the list is withheld, as are the baseline's.
    public var texts: Int?
    public var baselineTexts: Int?
    public var phrases: [PhraseScore]
    public var suppressed: Bool?
    public init(topic: String, period: Period, texts: Int?, baselineTexts: Int?, phrases: [PhraseScore], suppressed: Bool? = nil) {
        self.topic = topic
        self.period = period
        self.texts = texts
        self.baselineTexts = baselineTexts
        self.phrases = phrases
        self.suppressed = suppressed
    }
}

/// A phrase of the month's texts on a topic, with how many texts used it then and in the six
/// months before.
public struct PhraseCount: Codable, Sendable, Hashable {
    public var phrase: String
    public var count: Int
    public var baseline: Int
    public init(phrase: String, count: Int, baseline: Int) {
        self.phrase = phrase
        self.count = count
        self.baseline = baseline
    }
}

/// What key phrases are ranked from: every candidate phrase of the month's texts, and the
/// totals of both periods. Summed over agencies, it ranks as one place's texts would.
public struct PhraseCounts: Codable, Sendable {
    public var topic: String
    public var period: Period
    public var texts: Int
    public var baselineTexts: Int
    /// All candidate phrases counted in the month's texts, and in the baseline's.
    public var total: Int
    public var baselineTotal: Int
    public var phrases: [PhraseCount]
    public init(topic: String, period: Period, texts: Int, baselineTexts: Int, total: Int, baselineTotal: Int, phrases: [PhraseCount]) {
        self.topic = topic
        self.period = period
        self.texts = texts
        self.baselineTexts = baselineTexts
        self.total = total
        self.baselineTotal = baselineTotal
        self.phrases = phrases
    }
}

public struct SearchItemsRequest: Codable, Sendable {
    public var query: String
    public var scope: Scope?
    public var limit: Int?
    public init(query: String, scope: Scope? = nil, limit: Int? = nil) {
        self.query = query
        self.scope = scope
        self.limit = limit
    }
}

public struct SearchHit: Codable, Sendable, Hashable {
    public var unit: String
    public var period: Period
    public var topic: String
    public var summary: String
    public init(unit: String, period: Period, topic: String, summary: String) {
        self.unit = unit
        self.period = period
        self.topic = topic
        self.summary = summary
    }
}

public struct CheckTopicsRequest: Codable, Sendable {
    public var period: Period
    /// Only items in this unit and under it.
    public var unit: String?
    /// An item is listed when the text gives its filed topic a probability below this while
    /// another topic has at least `1 - threshold` (default 0.2: 0.2 against 0.8).
    public var threshold: Double?
    public var limit: Int?
    public init(period: Period, unit: String? = nil, threshold: Double? = nil, limit: Int? = nil) {
        self.period = period
        self.unit = unit
        self.threshold = threshold
        self.limit = limit
    }
}

/// An item whose text reads as another topic than the one it was filed under.
public struct TopicMismatch: Codable, Sendable, Hashable {
    public var unit: String
    public var period: Period
    public var filed: String
    /// The probability the text gives the filed topic.
    public var filedScore: Double
    public var suggested: String
    public var suggestedScore: Double
    public var summary: String
    public init(unit: String, period: Period, filed: String, filedScore: Double, suggested: String, suggestedScore: Double, summary: String) {
        self.unit = unit
        self.period = period
        self.filed = filed
        self.filedScore = filedScore
        self.suggested = suggested
        self.suggestedScore = suggestedScore
        self.summary = summary
    }
}

public struct TopicCheck: Codable, Sendable {
    public var period: Period
    /// Items read.
    public var checked: Int
    /// Items that read as another topic (`mismatches` holds the first `limit` of them).
    public var total: Int
    public var mismatches: [TopicMismatch]
    /// Items per filed topic, and how many of those read as another topic.
    public var byTopic: [String: Int]
    public init(period: Period, checked: Int, total: Int, mismatches: [TopicMismatch], byTopic: [String: Int]) {
        self.period = period
        self.checked = checked
        self.total = total
        self.mismatches = mismatches
        self.byTopic = byTopic
    }
}

public struct SearchHits: Codable, Sendable {
    public var query: String
    /// Matching items; with `atLeast`, counting stopped there.
    public var total: Int
    public var atLeast: Bool?
    /// Most recent first.
    public var hits: [SearchHit]
    public init(query: String, total: Int, atLeast: Bool? = nil, hits: [SearchHit]) {
        self.query = query
        self.total = total
        self.atLeast = atLeast
        self.hits = hits
    }
}

/// A topic in an area whose items this month are improbably many against its own trailing
/// six-month baseline (Poisson upper tail).
public struct Spike: Codable, Sendable, Hashable {
    public var id: Int
    public var topic: String
    public var unit: String
    public var period: Period
    public var items: Int
    /// Mean items a month over the six months before.
    public var baseline: Double
    /// P(X ≥ items | Poisson(baseline)).
    public var pValue: Double
    /// items / baseline.
    public var strength: Double
    public var intensity: Double
    public init(id: Int, topic: String, unit: String, period: Period, items: Int, baseline: Double, pValue: Double, strength: Double, intensity: Double) {
        self.id = id
        self.topic = topic
        self.unit = unit
        self.period = period
        self.items = items
        self.baseline = baseline
        self.pValue = pValue
        self.strength = strength
        self.intensity = intensity
    }
}

public struct ListSpikesRequest: Codable, Sendable {
    /// Events after this id, for a service that pulls them.
    public var after: Int?
    public var period: Period?
    public var limit: Int?
    public init(after: Int? = nil, period: Period? = nil, limit: Int? = nil) {
        self.after = after
        self.period = period
        self.limit = limit
    }
}

public struct SpikeList: Codable, Sendable {
    public var spikes: [Spike]
    /// The test: P(X ≥ observed | Poisson(λ = trailing 6-month mean)) below this, and at least `minimumItems`.
    public var threshold: Double
    public var minimumItems: Int
    public init(spikes: [Spike], threshold: Double, minimumItems: Int) {
        self.spikes = spikes
        self.threshold = threshold
        self.minimumItems = minimumItems
    }
}

public struct RankingRequest: Codable, Sendable {
    public var year: Int
    public var unit: String?
    public init(year: Int, unit: String? = nil) {
        self.year = year
        self.unit = unit
    }
}

public struct RankingComponent: Codable, Sendable, Hashable {
    public var name: String
    /// 0…1.
    public var value: Double
    public var weight: Double
    public var points: Double
    public var detail: String
    public init(name: String, value: Double, weight: Double, points: Double, detail: String) {
        self.name = name
        self.value = value
        self.weight = weight
        self.points = points
        self.detail = detail
    }
}

public struct RankingRow: Codable, Sendable, Hashable {
    public var rank: Int
    public var unit: String
    public var name: String
    public var score: Double
    /// xuất sắc, tốt, khá or yếu.
    public var grade: String
    public var components: [RankingComponent]
    public init(rank: Int, unit: String, name: String, score: Double, grade: String, components: [RankingComponent]) {
        self.rank = rank
        self.unit = unit
        self.name = name
        self.score = score
        self.grade = grade
        self.components = components
    }
}

public struct Ranking: Codable, Sendable {
    public var year: Int
    public var months: Int
    public var rows: [RankingRow]
    public init(year: Int, months: Int, rows: [RankingRow]) {
        self.year = year
        self.months = months
        self.rows = rows
    }
}

public struct OptionEstimate: Codable, Sendable, Hashable {
    public var option: String
    /// Absent when the cell is withheld (fewer respondents than the minimum, or its complement).
    public var count: Int?
    public var proportion: Double?
    public var low: Double?
    public var high: Double?
    public var suppressed: Bool?
    public init(option: String, count: Int?, proportion: Double?, low: Double?, high: Double?, suppressed: Bool? = nil) {
        self.option = option
        self.count = count
        self.proportion = proportion
        self.low = low
        self.high = high
        self.suppressed = suppressed
    }
}

public struct QuestionEstimate: Codable, Sendable, Hashable {
    public var question: String
    public var text: String
    /// Absent, with every figure of the question, when fewer than the minimum answered it.
    public var answered: Int?
    public var suppressed: Bool?
    public var options: [OptionEstimate]?
    public var mean: Double?
    public var low: Double?
    public var high: Double?
    public init(question: String, text: String, answered: Int?, options: [OptionEstimate]? = nil, mean: Double? = nil, low: Double? = nil, high: Double? = nil) {
        self.question = question
        self.text = text
        self.answered = answered
        self.options = options
        self.mean = mean
        self.low = low
        self.high = high
    }
}

public struct SurveyResults: Codable, Sendable {
    public var survey: Int
    public var title: String
    public var responses: Int
    /// True when post-stratification weights by unit population were applied.
    public var weighted: Bool
    public var designEffect: Double
    public var effectiveSampleSize: Double
    /// Target units with no responses: their population is not represented.
    public var unitsWithoutResponses: [String]
    public var questions: [QuestionEstimate]
    public init(survey: Int, title: String, responses: Int, weighted: Bool, designEffect: Double, effectiveSampleSize: Double, unitsWithoutResponses: [String], questions: [QuestionEstimate]) {
        self.survey = survey
        self.title = title
        self.responses = responses
        self.weighted = weighted
        self.designEffect = designEffect
        self.effectiveSampleSize = effectiveSampleSize
        self.unitsWithoutResponses = unitsWithoutResponses
        self.questions = questions
    }
}

extension AnalyticsAPI {
    public static let trends = MethodDescriptor<Scope, Trends>(service: service, method: "Trends", access: .only(.admin, .analyst, .official, .partner))
    public static let rising = MethodDescriptor<RisingRequest, RisingList>(service: service, method: "Rising", access: .only(.admin, .analyst, .official, .partner))
    public static let sentiment = MethodDescriptor<Scope, SentimentIndex>(service: service, method: "Sentiment", access: .only(.admin, .analyst, .official, .partner))
    public static let phrases = MethodDescriptor<PhrasesRequest, PhraseList>(service: service, method: "Phrases", access: .only(.admin, .analyst, .official, .partner))
    /// The counts `Phrases` ranks, for a federating gateway to sum over agencies; not for
    /// partners, whose phrases are held to the small-cell rule.
    public static let phraseCounts = MethodDescriptor<PhrasesRequest, PhraseCounts>(service: service, method: "PhraseCounts", access: .only(.admin, .analyst))
    public static let search = MethodDescriptor<SearchItemsRequest, SearchHits>(service: service, method: "Search", access: .only(.admin, .analyst))
    public static let checkTopics = MethodDescriptor<CheckTopicsRequest, TopicCheck>(service: service, method: "CheckTopics", access: .only(.admin, .analyst))
    public static let spikes = MethodDescriptor<ListSpikesRequest, SpikeList>(service: service, method: "Spikes", access: .only(.admin, .analyst, .official, .partner))
    public static let ranking = MethodDescriptor<RankingRequest, Ranking>(service: service, method: "Ranking", access: .only(.admin, .analyst, .official, .partner))
    /// Applies the current scrubber to every item's text and the full-text index, in place.
    public static let rescrub = MethodDescriptor<Empty, RescrubResult>(service: service, method: "Rescrub", access: .only(.admin))
    public static let surveyResults = MethodDescriptor<SurveyRequest, SurveyResults>(service: service, method: "SurveyResults", access: .only(.admin, .analyst, .official, .partner))
}
