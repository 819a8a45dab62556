import Foundation
import Wire

public struct Notice: Codable, Sendable, Hashable {
    public var id: Int
    public var createdAt: Date
    public var recipient: String
    public var subject: String
    public var body: String
    /// `pending`, `delivered` or `failed`.
    public var state: String
    public var deliveredAt: Date?
    public init(id: Int, createdAt: Date, recipient: String, subject: String, body: String, state: String, deliveredAt: Date?) {
        self.id = id
        self.createdAt = createdAt
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.state = state
        self.deliveredAt = deliveredAt
    }
}

public struct ListOutboxRequest: Codable, Sendable {
    public var limit: Int?
    public init(limit: Int? = nil) { self.limit = limit }
}

public struct Outbox: Codable, Sendable {
    public var notices: [Notice]
    public var cursor: UInt64
    public init(notices: [Notice], cursor: UInt64) {
        self.notices = notices
        self.cursor = cursor
    }
}

/// Notification's methods: `pulse.notification.v1.Notification/<Method>`.
public enum NotificationAPI {
    public static let service = "pulse.notification.v1.Notification"
    public static let listOutbox = MethodDescriptor<ListOutboxRequest, Outbox>(service: service, method: "ListOutbox", access: .only(.admin))
}
