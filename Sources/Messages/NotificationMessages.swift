import Foundation
import Wire

/// Where a notice is in its delivery.
public enum NoticeState: String, WireEnum {
    /// Recorded, not yet delivered: waiting for its time (quiet hours), its next attempt, or a channel.
    case pending
    case sent
    /// Refused for good (a 5xx answer, no address): not retried unless someone asks.
    case failed
    /// Temporary failures until the attempts ran out.
    case dead
    /// No longer needed when its time came (the unit reported, the deadline passed): not sent.
    case withdrawn

    public var vietnamese: String {
        switch self {
        case .pending: return "chờ gửi"
        case .sent: return "đã gửi"
        case .failed: return "không gửi được"
        case .dead: return "hết lượt thử"
        case .withdrawn: return "không cần gửi nữa"
        }
    }
}

/// Why a notice exists.
public enum NoticeRule: String, WireEnum {
    /// Before the deadline, to the official of a unit that has not reported.
    case reminder
    /// After the deadline, to the official of a missing unit and to its parent's official.
    case escalation
    /// Later after the deadline, to the commission: the units still missing.
    case commissionEscalation
    /// A topic spiking in an area, to its subscribers.
    case spike
    /// Before a survey closes, to the official of a target unit below its quota.
    case surveyClosing
    /// Written by notification before the rules existed (one notice per report).
    case legacy
    /// The commission returned a unit's report for correction: to the unit's official, with the reason.
    case returned
    /// The month's digest is ready: to every subscriber of the commission's alerts.
    case digest
}

/// One notice: to whom, what, and how its delivery went.
public struct Notice: Codable, Sendable, Hashable {
    public var id: Int
    public var rule: NoticeRule
    public var unit: String?
    public var unitName: String?
    public var period: Period?
    /// The rule's step: "-5" is five days before the deadline, "+1" a day after it.
    public var step: String
    public var person: Int?
    public var recipientName: String
    /// The e-mail address; nil when roster has none (the notice is then failed at once).
    public var address: String?
    /// `vi` or `en`.
    public var language: String
    public var subject: String
    public var body: String
    public var createdAt: Date
    /// Not delivered before this instant (quiet hours).
    public var notBefore: Date
    public var state: NoticeState
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var sentAt: Date?
    /// The channel that delivered or last tried: smtp, sendmail, maildir, hook.
    public var channel: String?

    public init(
        id: Int, rule: NoticeRule, unit: String?, unitName: String?, period: Period?, step: String, person: Int?, recipientName: String,
        address: String?, language: String, subject: String, body: String, createdAt: Date, notBefore: Date, state: NoticeState,
        attempts: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil, sentAt: Date? = nil, channel: String? = nil
    ) {
        self.id = id
        self.rule = rule
        self.unit = unit
        self.unitName = unitName
        self.period = period
        self.step = step
        self.person = person
        self.recipientName = recipientName
        self.address = address
        self.language = language
        self.subject = subject
        self.body = body
        self.createdAt = createdAt
        self.notBefore = notBefore
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.sentAt = sentAt
        self.channel = channel
    }
}

public struct ListNoticesRequest: Codable, Sendable {
    public var state: NoticeState?
    public var unit: String?
    public var period: Period?
    public var limit: Int?
    public init(state: NoticeState? = nil, unit: String? = nil, period: Period? = nil, limit: Int? = nil) {
        self.state = state
        self.unit = unit
        self.period = period
        self.limit = limit
    }
}

public struct NoticeList: Codable, Sendable {
    public var notices: [Notice]
    public init(notices: [Notice]) { self.notices = notices }
}

/// One try at delivering a notice.
public struct DeliveryAttempt: Codable, Sendable, Hashable {
    public var notice: Int
    public var at: Date
    public var channel: String
    public var attempt: Int
    /// sent, temporary, permanent, dead, withdrawn or retry (put back by hand).
    public var result: String
    public var detail: String?
    public init(notice: Int, at: Date, channel: String, attempt: Int, result: String, detail: String?) {
        self.notice = notice
        self.at = at
        self.channel = channel
        self.attempt = attempt
        self.result = result
        self.detail = detail
    }
}

public struct DeliveryLogEntry: Codable, Sendable {
    public var notice: Notice
    public var attempts: [DeliveryAttempt]
    public init(notice: Notice, attempts: [DeliveryAttempt]) {
        self.notice = notice
        self.attempts = attempts
    }
}

public struct DeliveryLog: Codable, Sendable {
    public var entries: [DeliveryLogEntry]
    public init(entries: [DeliveryLogEntry]) { self.entries = entries }
}

public struct PreviewRequest: Codable, Sendable {
    /// The instant to evaluate the rules at; now when nil.
    public var at: Date?
    public init(at: Date? = nil) { self.at = at }
}

public struct NoticeRequest: Codable, Sendable {
    public var id: Int
    public init(id: Int) { self.id = id }
}

public struct DigestReadyRequest: Codable, Sendable {
    public var period: Period
    /// Where the digest is (a path or an address on the office's network).
    public var location: String
    /// The reporting figure the notice quotes: "66 trên 72 đơn vị đã báo cáo".
    public var reported: Int
    public var expected: Int
    public init(period: Period, location: String, reported: Int, expected: Int) {
        self.period = period
        self.location = location
        self.reported = reported
        self.expected = expected
    }
}

public struct RunRulesResult: Codable, Sendable {
    /// Notices the rules recorded in this run (those already recorded are not counted again).
    public var recorded: Int
    /// Notices delivered in this run.
    public var delivered: Int
    public init(recorded: Int, delivered: Int) {
        self.recorded = recorded
        self.delivered = delivered
    }
}

/// A person's standing request for spike alerts: on these topics (all when empty), in this
/// unit and under it (the whole province when nil), at least this strong.
public struct Subscription: Codable, Sendable, Hashable {
    public var id: Int?
    public var person: Int
    public var topics: [String]
    public var unit: String?
    /// A spike's items over its baseline; 0 takes every spike.
    public var minStrength: Double?
    public init(id: Int? = nil, person: Int, topics: [String] = [], unit: String? = nil, minStrength: Double? = nil) {
        self.id = id
        self.person = person
        self.topics = topics
        self.unit = unit
        self.minStrength = minStrength
    }
}

public struct UnsubscribeRequest: Codable, Sendable {
    /// One subscription; or, with `person`, every one of that person's.
    public var id: Int?
    public var person: Int?
    public init(id: Int? = nil, person: Int? = nil) {
        self.id = id
        self.person = person
    }
}

public struct ListSubscriptionsRequest: Codable, Sendable {
    public var person: Int?
    public init(person: Int? = nil) { self.person = person }
}

public struct SubscriptionList: Codable, Sendable {
    public var subscriptions: [Subscription]
    public init(subscriptions: [Subscription]) { self.subscriptions = subscriptions }
}

/// Notification's methods: `pulse.notification.v1.Notification/<Method>`.
public enum NotificationAPI {
    public static let service = "pulse.notification.v1.Notification"
    public static let listNotices = MethodDescriptor<ListNoticesRequest, NoticeList>(service: service, method: "ListNotices", access: .only(.admin, .analyst))
    public static let deliveryLog = MethodDescriptor<ListNoticesRequest, DeliveryLog>(service: service, method: "DeliveryLog", access: .only(.admin, .analyst))
    public static let preview = MethodDescriptor<PreviewRequest, NoticeList>(service: service, method: "Preview", access: .only(.admin, .analyst))
    public static let runRules = MethodDescriptor<Empty, RunRulesResult>(service: service, method: "RunRules", access: .only(.admin))
    public static let retry = MethodDescriptor<NoticeRequest, Notice>(service: service, method: "Retry", access: .only(.admin))
    public static let subscribe = MethodDescriptor<Subscription, Subscription>(service: service, method: "Subscribe", access: .only(.admin))
    public static let unsubscribe = MethodDescriptor<UnsubscribeRequest, SubscriptionList>(service: service, method: "Unsubscribe", access: .only(.admin))
    public static let listSubscriptions = MethodDescriptor<ListSubscriptionsRequest, SubscriptionList>(service: service, method: "ListSubscriptions", access: .only(.admin, .analyst))
    /// The month's digest was written: tell the subscribers where to read it.
    public static let digestReady = MethodDescriptor<DigestReadyRequest, RunRulesResult>(service: service, method: "DigestReady", access: .only(.admin, .analyst))
}
