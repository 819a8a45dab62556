import Foundation
import Mail
import Messages

/// A notice on its way out: what a channel needs to deliver it.
public struct OutgoingNotice: Sendable, Codable {
    public var id: Int
    public var key: String
    public var rule: NoticeRule
    public var unit: String?
    public var period: Period?
    public var person: Int?
    public var recipientName: String
    public var address: String?
    public var phone: String?
    public var language: String
    public var subject: String
    public var body: String
    public var createdAt: Date

    /// The same Message-ID on every attempt, so that a receiver can drop a copy sent twice
    /// (after a crash between the relay's 250 and our record of it).
    public var messageID: String {
        "notice-\(id)-" + String(key.utf8.reduce(UInt64(1_469_598_103_934_665_603)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 36) + "@pulse"
    }

    func mail(from: String, date: Date) -> MailMessage {
        MailMessage(
            from: from, fromName: language == "en" ? "Pulse" : "Pulse – Ban Tuyên giáo và Dân vận", to: address ?? "", toName: recipientName,
            subject: subject, body: body, date: date, messageID: messageID)
    }
}

/// How one delivery attempt ended.
public enum DeliveryOutcome: Sendable, Equatable {
    case sent(String)
    /// Worth trying again later: a 4xx answer, a refused connection, a timeout.
    case temporary(String)
    /// Not worth trying again: a 5xx answer, no address.
    case permanent(String)
    /// Not sent at all: no longer needed when its time came.
    case withdrawn(String)
}

/// A way out: SMTP, the local sendmail, a Maildir, or an executable hook.
public protocol DeliveryChannel: Sendable {
    /// smtp, sendmail, maildir or hook: what the delivery log records.
    var name: String { get }
    /// Whether a notice without an e-mail address can go this way.
    var needsAddress: Bool { get }
    /// The address notices go out from, if the channel writes one.
    var sender: String? { get }
    /// Delivers `batch` in order, on the calling thread (it blocks), calling `report` with each
    /// notice's outcome as soon as it is known, so that a crash mid-batch forgets as little as can be.
    func deliver(_ batch: [OutgoingNotice], now: Date, report: (Int, DeliveryOutcome) throws -> Void) throws
}
