import Foundation
import Wire

public enum Prevalence: String, WireEnum {
    case isolated, some, widespread
    /// The weight of an item in intensity figures.
    public var weight: Double {
        switch self {
        case .isolated: return 1
        case .some: return 2
        case .widespread: return 3
        }
    }
}

public enum Trend: String, WireEnum { case falling, stable, rising }

public enum Channel: String, WireEnum { case inPerson, meetings, socialMedia, press, petitions, other }

/// One opinion item of a monthly report: what people in the area are saying about a topic.
public struct OpinionItem: Codable, Sendable, Hashable {
    public var topic: String
    /// In Vietnamese, up to 4,000 characters; scrubbed of personal identifiers at intake.
    public var summary: String
    public var prevalence: Prevalence
    public var trend: Trend
    /// The reporter's assessment, −2 (very negative) to +2 (very positive).
    public var sentiment: Int
    public var channels: [Channel]
    /// Units under the reporting unit that the item concerns.
    public var localities: [String]
    public var proposal: String?

    public init(
        topic: String, summary: String, prevalence: Prevalence, trend: Trend, sentiment: Int, channels: [Channel] = [],
        localities: [String] = [], proposal: String? = nil
    ) {
        self.topic = topic
        self.summary = summary
        self.prevalence = prevalence
        self.trend = trend
        self.sentiment = sentiment
        self.channels = channels
        self.localities = localities
        self.proposal = proposal
    }
}

/// A monthly report as a unit submits it.
public struct ReportDraft: Codable, Sendable, Hashable {
    public var unit: String
    public var period: Period
    /// The submitting official or collaborator (a roster person id).
    public var submitter: Int
    public var assessment: String
    public var items: [OpinionItem]
    /// Chosen by the client, the same for every retry of one submission.
    public var idempotencyKey: String

    public init(unit: String, period: Period, submitter: Int, assessment: String, items: [OpinionItem], idempotencyKey: String) {
        self.unit = unit
        self.period = period
        self.submitter = submitter
        self.assessment = assessment
        self.items = items
        self.idempotencyKey = idempotencyKey
    }
}

public enum Timeliness: String, WireEnum { case onTime, late }

/// A stored version of a report.
public struct Report: Codable, Sendable, Hashable {
    public var unit: String
    public var period: Period
    public var version: Int
    public var submitter: Int
    public var assessment: String
    public var items: [OpinionItem]
    public var receivedAt: Date
    /// Decided by the first version's receipt.
    public var timeliness: Timeliness
    public var firstReceivedAt: Date

    public init(
        unit: String, period: Period, version: Int, submitter: Int, assessment: String, items: [OpinionItem], receivedAt: Date,
        timeliness: Timeliness, firstReceivedAt: Date
    ) {
        self.unit = unit
        self.period = period
        self.version = version
        self.submitter = submitter
        self.assessment = assessment
        self.items = items
        self.receivedAt = receivedAt
        self.timeliness = timeliness
        self.firstReceivedAt = firstReceivedAt
    }
}

/// How many identifiers of one kind the scrubber removed.
public struct ScrubCount: Codable, Sendable, Hashable {
    public var kind: String
    public var count: Int
    public init(kind: String, count: Int) {
        self.kind = kind
        self.count = count
    }
}

/// What intake answers a submission with: which version it stored and its timeliness; the
/// items themselves are not echoed back (`GetReport` reads them).
public struct ReportReceipt: Codable, Sendable, Hashable {
    public var unit: String
    public var period: Period
    public var version: Int
    public var items: Int
    public var receivedAt: Date
    /// Decided by the first version's receipt.
    public var timeliness: Timeliness
    public var firstReceivedAt: Date

    public init(unit: String, period: Period, version: Int, items: Int, receivedAt: Date, timeliness: Timeliness, firstReceivedAt: Date) {
        self.unit = unit
        self.period = period
        self.version = version
        self.items = items
        self.receivedAt = receivedAt
        self.timeliness = timeliness
        self.firstReceivedAt = firstReceivedAt
    }

    public init(_ report: Report) {
        self.init(
            unit: report.unit, period: report.period, version: report.version, items: report.items.count, receivedAt: report.receivedAt,
            timeliness: report.timeliness, firstReceivedAt: report.firstReceivedAt)
    }
}

public struct SubmitReportResponse: Codable, Sendable, Hashable {
    public var report: ReportReceipt
    public var scrubbed: [ScrubCount]
    /// True when this was a retry of a submission already stored; nothing new was stored.
    public var replayed: Bool
    public init(report: ReportReceipt, scrubbed: [ScrubCount], replayed: Bool) {
        self.report = report
        self.scrubbed = scrubbed
        self.replayed = replayed
    }
}

public struct GetReportRequest: Codable, Sendable {
    public var unit: String
    public var period: Period
    /// Without it, the latest version.
    public var version: Int?
    public init(unit: String, period: Period, version: Int? = nil) {
        self.unit = unit
        self.period = period
        self.version = version
    }
}

public struct ReportVersionInfo: Codable, Sendable, Hashable {
    public var period: Period
    public var version: Int
    public var items: Int
    public var receivedAt: Date
    public var timeliness: Timeliness
    public init(period: Period, version: Int, items: Int, receivedAt: Date, timeliness: Timeliness) {
        self.period = period
        self.version = version
        self.items = items
        self.receivedAt = receivedAt
        self.timeliness = timeliness
    }
}

public struct ReportHistoryRequest: Codable, Sendable {
    public var unit: String
    public init(unit: String) { self.unit = unit }
}

public struct ReportHistory: Codable, Sendable {
    public var unit: String
    public var versions: [ReportVersionInfo]
    public init(unit: String, versions: [ReportVersionInfo]) {
        self.unit = unit
        self.versions = versions
    }
}

public struct ListChangesRequest: Codable, Sendable {
    /// The cursor of the last change already seen; 0 for the beginning.
    public var after: UInt64
    public var limit: Int?
    public init(after: UInt64, limit: Int? = nil) {
        self.after = after
        self.limit = limit
    }
}

public enum ChangeKind: String, WireEnum { case report, surveyOpened, surveyClosed, surveyResponse, reportReviewed }

/// One committed event, in commit order.
public struct Change: Codable, Sendable {
    public var cursor: UInt64
    public var kind: ChangeKind
    public var report: Report?
    public var survey: Int?
    public var response: SurveyResponse?
    public var review: Review?
    public init(cursor: UInt64, kind: ChangeKind, report: Report? = nil, survey: Int? = nil, response: SurveyResponse? = nil, review: Review? = nil) {
        self.cursor = cursor
        self.kind = kind
        self.report = report
        self.survey = survey
        self.response = response
        self.review = review
    }
}

public struct ChangeBatch: Codable, Sendable {
    public var changes: [Change]
    /// Pass as `after` to continue.
    public var cursor: UInt64
    public var more: Bool
    public init(changes: [Change], cursor: UInt64, more: Bool) {
        self.changes = changes
        self.cursor = cursor
        self.more = more
    }
}

// MARK: Surveys

public enum QuestionKind: String, WireEnum { case singleChoice, multipleChoice, likert, number, freeText }

public struct Question: Codable, Sendable, Hashable {
    public var code: String
    public var text: String
    public var kind: QuestionKind
    /// For single and multiple choice.
    public var options: [String]?
    /// For numbers.
    public var min: Double?
    public var max: Double?
    public var required: Bool?
    public init(code: String, text: String, kind: QuestionKind, options: [String]? = nil, min: Double? = nil, max: Double? = nil, required: Bool? = nil) {
        self.code = code
        self.text = text
        self.kind = kind
        self.options = options
        self.min = min
        self.max = max
        self.required = required
    }
}

public enum SurveyState: String, WireEnum { case draft, open, closed }

public struct Survey: Codable, Sendable, Hashable {
    public var id: Int?
    public var title: String
    public var questions: [Question]
    public var targetUnits: [String]
    public var opens: Day
    public var closes: Day
    public var state: SurveyState?
    /// Responses wanted from each reporting unit it reaches; units below it are reminded three
    /// days before it closes.
    public var quota: Int?
    public init(id: Int? = nil, title: String, questions: [Question], targetUnits: [String], opens: Day, closes: Day, state: SurveyState? = nil, quota: Int? = nil) {
        self.id = id
        self.quota = quota
        self.title = title
        self.questions = questions
        self.targetUnits = targetUnits
        self.opens = opens
        self.closes = closes
        self.state = state
    }
}

/// One answer: `choices` for choice questions, `number` for numbers and Likert (1–5), `text` for free text.
public struct Answer: Codable, Sendable, Hashable {
    public var question: String
    public var choices: [String]?
    public var number: Double?
    public var text: String?
    public init(question: String, choices: [String]? = nil, number: Double? = nil, text: String? = nil) {
        self.question = question
        self.choices = choices
        self.number = number
        self.text = text
    }
}

/// An anonymous response: the answers, the unit it was collected in, and its day. Nothing else.
public struct SurveyResponse: Codable, Sendable, Hashable {
    public var survey: Int
    public var unit: String
    public var day: Day
    public var answers: [Answer]
    public init(survey: Int, unit: String, day: Day, answers: [Answer]) {
        self.survey = survey
        self.unit = unit
        self.day = day
        self.answers = answers
    }
}

public struct SurveyRequest: Codable, Sendable {
    public var id: Int
    public init(id: Int) { self.id = id }
}

public struct SurveyList: Codable, Sendable {
    public var surveys: [Survey]
    public init(surveys: [Survey]) { self.surveys = surveys }
}

public struct ImportResponsesRequest: Codable, Sendable {
    public var survey: Int
    /// Columns `unit`, `day`, then one per question code; multiple choices separated by `;`.
    public var csv: String
    public init(survey: Int, csv: String) {
        self.survey = survey
        self.csv = csv
    }
}

public struct ImportResponsesResult: Codable, Sendable {
    public var imported: Int
    public var scrubbed: [ScrubCount]
    public init(imported: Int, scrubbed: [ScrubCount]) {
        self.imported = imported
        self.scrubbed = scrubbed
    }
}

public struct RespondResult: Codable, Sendable {
    public var scrubbed: [ScrubCount]
    public init(scrubbed: [ScrubCount]) { self.scrubbed = scrubbed }
}

public struct QuestionCounts: Codable, Sendable, Hashable {
    public var question: String
    public var answered: Int
    /// Per option (choice questions) or per value 1–5 (Likert).
    public var counts: [String: Int]?
    public var mean: Double?
    public init(question: String, answered: Int, counts: [String: Int]? = nil, mean: Double? = nil) {
        self.question = question
        self.answered = answered
        self.counts = counts
        self.mean = mean
    }
}

public struct SurveyCounts: Codable, Sendable {
    public var survey: Int
    public var responses: Int
    public var byUnit: [String: Int]
    public var questions: [QuestionCounts]
    public init(survey: Int, responses: Int, byUnit: [String: Int], questions: [QuestionCounts]) {
        self.survey = survey
        self.responses = responses
        self.byUnit = byUnit
        self.questions = questions
    }
}

// MARK: The commission's review

/// What the commission made of a report: received, or returned to the unit for correction.
public enum ReviewState: String, WireEnum { case received, returned }

/// One review of a unit's report for a month, of the version that was the latest then.
public struct Review: Codable, Sendable, Hashable {
    public var unit: String
    public var period: Period
    public var version: Int
    public var state: ReviewState
    /// Why it was returned: what to correct (scrubbed like every free text).
    public var reason: String?
    public var at: Date
    public init(unit: String, period: Period, version: Int, state: ReviewState, reason: String? = nil, at: Date) {
        self.unit = unit
        self.period = period
        self.version = version
        self.state = state
        self.reason = reason
        self.at = at
    }
}

public struct ReviewRequest: Codable, Sendable {
    public var unit: String
    public var period: Period
    public var state: ReviewState
    /// Required to return a report: what the unit must correct.
    public var reason: String?
    public init(unit: String, period: Period, state: ReviewState, reason: String? = nil) {
        self.unit = unit
        self.period = period
        self.state = state
        self.reason = reason
    }
}

public struct ReviewsRequest: Codable, Sendable {
    public var unit: String
    public var period: Period?
    public init(unit: String, period: Period? = nil) {
        self.unit = unit
        self.period = period
    }
}

public struct ReviewList: Codable, Sendable {
    /// Oldest first.
    public var reviews: [Review]
    public init(reviews: [Review]) { self.reviews = reviews }
}

/// One page of a survey's responses: those after `after` (a page's `next`), as many as fit.
public struct SurveyResponsesRequest: Codable, Sendable {
    public var survey: Int
    public var after: Int?
    public init(survey: Int, after: Int? = nil) {
        self.survey = survey
        self.after = after
    }
}

public struct SurveyResponses: Codable, Sendable {
    public var survey: Survey
    public var responses: [SurveyResponse]
    /// Where the next page starts; absent on the last page.
    public var next: Int?
    public init(survey: Survey, responses: [SurveyResponse], next: Int? = nil) {
        self.survey = survey
        self.responses = responses
        self.next = next
    }
}

/// A report from the office's earlier records, with the time it was received then.
public struct ArchivedReport: Codable, Sendable {
    public var draft: ReportDraft
    public var receivedAt: Date
    public init(draft: ReportDraft, receivedAt: Date) {
        self.draft = draft
        self.receivedAt = receivedAt
    }
}

public struct ImportArchiveRequest: Codable, Sendable {
    public var reports: [ArchivedReport]
    public init(reports: [ArchivedReport]) { self.reports = reports }
}

public struct ImportArchiveResult: Codable, Sendable {
    public var stored: Int
    public var replayed: Int
    public init(stored: Int, replayed: Int) {
        self.stored = stored
        self.replayed = replayed
    }
}

/// Report intake's methods: `pulse.intake.v1.Intake/<Method>`.
public enum IntakeAPI {
    public static let service = "pulse.intake.v1.Intake"
    public static let submitReport = MethodDescriptor<ReportDraft, SubmitReportResponse>(service: service, method: "SubmitReport", access: AccessRule(roles: [.admin, .official, .partner], scoped: [.official, .partner]) { [$0.unit] })
    public static let getReport = MethodDescriptor<GetReportRequest, Report>(service: service, method: "GetReport", access: AccessRule(roles: [.admin, .analyst, .official, .partner], scoped: [.official, .partner]) { [$0.unit] })
    public static let reportHistory = MethodDescriptor<ReportHistoryRequest, ReportHistory>(service: service, method: "ReportHistory", access: AccessRule(roles: [.admin, .analyst, .official, .partner], scoped: [.official, .partner]) { [$0.unit] })
    public static let listChanges = MethodDescriptor<ListChangesRequest, ChangeBatch>(service: service, method: "ListChanges", access: .only(.admin))
    public static let createSurvey = MethodDescriptor<Survey, Survey>(service: service, method: "CreateSurvey", access: .only(.admin, .analyst))
    public static let openSurvey = MethodDescriptor<SurveyRequest, Survey>(service: service, method: "OpenSurvey", access: .only(.admin, .analyst))
    public static let closeSurvey = MethodDescriptor<SurveyRequest, Survey>(service: service, method: "CloseSurvey", access: .only(.admin, .analyst))
    public static let getSurvey = MethodDescriptor<SurveyRequest, Survey>(service: service, method: "GetSurvey", access: .only(.admin, .analyst, .official, .partner))
    public static let listSurveys = MethodDescriptor<Empty, SurveyList>(service: service, method: "ListSurveys", access: .only(.admin, .analyst, .official, .partner))
    public static let respond = MethodDescriptor<SurveyResponse, RespondResult>(service: service, method: "Respond", access: AccessRule(roles: [.admin, .official], scoped: [.official]) { [$0.unit] })
    public static let importResponses = MethodDescriptor<ImportResponsesRequest, ImportResponsesResult>(service: service, method: "ImportResponses", access: .only(.admin, .analyst))
    public static let surveyCounts = MethodDescriptor<SurveyRequest, SurveyCounts>(service: service, method: "SurveyCounts", access: .only(.admin, .analyst))
    public static let surveyResponses = MethodDescriptor<SurveyResponsesRequest, SurveyResponses>(service: service, method: "SurveyResponses", access: .only(.admin, .analyst))
    /// Reports from the office's earlier records, each checked as on the day it was received.
    /// Applies the current scrubber to every text already stored, in place.
    public static let rescrub = MethodDescriptor<Empty, RescrubResult>(service: service, method: "Rescrub", access: .only(.admin))
    public static let importArchive = MethodDescriptor<ImportArchiveRequest, ImportArchiveResult>(service: service, method: "ImportArchive", access: .only(.admin))
    /// The commission receives a report, or returns it for correction.
    public static let reviewReport = MethodDescriptor<ReviewRequest, Review>(service: service, method: "ReviewReport", access: .only(.admin, .analyst))
    public static let reviews = MethodDescriptor<ReviewsRequest, ReviewList>(service: service, method: "Reviews", access: AccessRule(roles: [.admin, .analyst, .official, .partner], scoped: [.official, .partner]) { [$0.unit] })
}
