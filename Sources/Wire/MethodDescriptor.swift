/// A method as data: its fully qualified name (`pulse.roster.v1.Roster/GetUnit`), in the type
/// the request and response messages it carries, and who may call it.
public struct MethodDescriptor<Request: Codable & Sendable, Response: Codable & Sendable>: Sendable {
    public let service: String
    public let method: String
    public let access: AccessRule<Request>

    public init(service: String, method: String, access: AccessRule<Request>) {
        self.service = service
        self.method = method
        self.access = access
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

/// A message type carried as one scalar with rules of its own (a date as `YYYY-MM-DD` text,
/// say): reflection shows `wireName` and uses `wireExample` in place of reading a value.
public protocol WireScalar: Codable, Sendable {
    static var wireName: String { get }
    static var wireExample: Self { get }
}

/// A method's name and the shapes of its messages, as reflection reports them.
public struct MethodShape: Codable, Sendable, Hashable {
    public var name: String
    public var request: String
    public var response: String
    public init(name: String, request: String, response: String) {
        self.name = name
        self.request = request
        self.response = response
    }
}
