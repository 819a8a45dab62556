/// A method as data: its fully qualified name (`pulse.roster.v1.Roster/GetUnit`) and, in the
/// type, the request and response messages it carries.
public struct MethodDescriptor<Request: Codable & Sendable, Response: Codable & Sendable>: Sendable, Hashable {
    public let service: String
    public let method: String

    public init(service: String, method: String) {
        self.service = service
        self.method = method
    }

    public var fullName: String { "\(service)/\(method)" }
}

/// A message field that carries one of a closed set of text values. Conforming lets reflection
/// list the values and lets clients show them in errors.
public protocol WireEnum: CaseIterable, Codable, Sendable, RawRepresentable where RawValue == String {}

/// An empty message, for methods that take or return nothing.
public struct Empty: Codable, Sendable, Hashable {
    public init() {}
}
