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
    static let service = "pulse.notification.v1.Notification"
    public static let listOutbox = MethodDescriptor<ListOutboxRequest, Outbox>(service: service, method: "ListOutbox")
}

public struct WhoAmI: Codable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    /// `manager` (the commission: everything) or `partner` (aggregates and own units' records).
    public var role: String
    public init(uid: UInt32, gid: UInt32, pid: Int32, role: String) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.role = role
    }
}

public struct BackendHealth: Codable, Sendable, Hashable {
    public var service: String
    public var socket: String
    public var status: String
    public var microseconds: Int?
    public var methods: Int?
    public init(service: String, socket: String, status: String, microseconds: Int?, methods: Int?) {
        self.service = service
        self.socket = socket
        self.status = status
        self.microseconds = microseconds
        self.methods = methods
    }
}

public struct GatewayStatus: Codable, Sendable {
    public var backends: [BackendHealth]
    public init(backends: [BackendHealth]) { self.backends = backends }
}

/// The gateway's own methods: `pulse.gateway.v1.Gateway/<Method>`.
public enum GatewayAPI {
    static let service = "pulse.gateway.v1.Gateway"
    public static let whoAmI = MethodDescriptor<Empty, WhoAmI>(service: service, method: "WhoAmI")
    public static let status = MethodDescriptor<Empty, GatewayStatus>(service: service, method: "Status")
    /// Every method behind the gateway, from each service's reflection.
    public static let listAllMethods = MethodDescriptor<Empty, AllMethods>(service: service, method: "ListAllMethods")
}

public struct AllMethods: Codable, Sendable {
    public var methods: [MethodShape]
    public init(methods: [MethodShape]) { self.methods = methods }
}
