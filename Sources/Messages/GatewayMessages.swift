import Foundation
import Wire

public struct WhoAmI: Codable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    /// admin, analyst, official, partner or auditor, as the gateway's policy says.
    public var role: String
    public var agency: String?
    /// The roster person an official's account is tied to.
    public var person: Int?
    /// The units the account acts for (an official's are read from the roster).
    public var units: [String]?
    public init(uid: UInt32, gid: UInt32, pid: Int32, role: String, agency: String? = nil, person: Int? = nil, units: [String]? = nil) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.role = role
        self.agency = agency
        self.person = person
        self.units = units
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
    public static let service = "pulse.gateway.v1.Gateway"
    public static let whoAmI = MethodDescriptor<Empty, WhoAmI>(service: service, method: "WhoAmI", access: .everyone)
    public static let status = MethodDescriptor<Empty, GatewayStatus>(service: service, method: "Status", access: .only(.admin, .analyst))
    /// Every method behind the gateway, from each service's reflection.
    public static let listAllMethods = MethodDescriptor<Empty, AllMethods>(service: service, method: "ListAllMethods", access: .everyone)
    /// The audit log: read by auditors and administrators; no method changes it.
    public static let auditTail = MethodDescriptor<AuditTailRequest, AuditEntries>(service: service, method: "AuditTail", access: .only(.admin, .auditor))
    public static let auditSearch = MethodDescriptor<AuditSearchRequest, AuditEntries>(service: service, method: "AuditSearch", access: .only(.admin, .auditor))
    public static let auditVerify = MethodDescriptor<AuditVerifyRequest, AuditVerification>(service: service, method: "AuditVerify", access: .only(.admin, .auditor))
    public static let auditCheckpoint = MethodDescriptor<Empty, AuditCheckpoint>(service: service, method: "AuditCheckpoint", access: .only(.admin, .auditor))
    public static let auditProve = MethodDescriptor<AuditProveRequest, AuditProof>(service: service, method: "AuditProve", access: .only(.admin, .auditor))
}

public struct AllMethods: Codable, Sendable {
    public var methods: [MethodShape]
    public init(methods: [MethodShape]) { self.methods = methods }
}
