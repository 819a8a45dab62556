import Base
import Wire

/// The outcome of one call, ready to be framed.
public struct CallOutcome: Sendable {
    public var status: StatusCode
    public var message: String?
    public var body: [UInt8]?

    public init(status: StatusCode, message: String? = nil, body: [UInt8]? = nil) {
        self.status = status
        self.message = message
        self.body = body
    }

    public static func failure(_ error: any Error, logger: Logger, method: String) -> CallOutcome {
        switch error {
        case let e as any RPCErrorConvertible:
            let rpc = e.rpcError
            return CallOutcome(status: rpc.code, message: rpc.message.isEmpty ? nil : rpc.message)
        case is CancellationError:
            return CallOutcome(status: .cancelled, message: "cancelled")
        default:
            // Unexpected errors are not leaked to callers; the log keeps the cause.
            logger.error("handler failed", ["rpc.method": method, "error": "\(error)"])
            return CallOutcome(status: .unknown)
        }
    }
}

/// A registered method: how to run it on raw bytes, and its message types and their shapes
/// for reflection.
public struct MethodHandler: Sendable {
    public let name: String
    /// The roles its access rule admits, and those of them limited to their own units.
    public let roles: Set<Role>
    public let scopedRoles: Set<Role>
    public let requestType: any (Codable & Sendable).Type
    public let responseType: any (Codable & Sendable).Type
    public let requestShape: String
    public let responseShape: String
    let run: @Sendable ([UInt8], ServerContext) async -> CallOutcome
}

/// The methods one server answers. Built before the server starts, then read-only.
public struct Router: Sendable {
    private(set) var handlers: [String: MethodHandler] = [:]
    private var fallbacks: [(prefix: String, run: @Sendable (String, [UInt8], ServerContext) async -> CallOutcome)] = []

    public init() {}

    /// Adds a typed unary method. A body that does not decode is INVALID_ARGUMENT naming the
    /// field; a caller the method's access rule does not admit is refused before `handler` runs.
    public mutating func register<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        let name = method.fullName
        handlers[name] = MethodHandler(
            name: name, roles: method.access.roles, scopedRoles: method.access.scopedRoles, requestType: Request.self, responseType: Response.self,
            requestShape: Shape.describe(Request.self), responseShape: Shape.describe(Response.self)
        ) { body, context in
            let request: Request
            do {
                request = try CBORDecoder().decode(Request.self, from: body)
            } catch {
                return CallOutcome(status: .invalidArgument, message: CBORDecoder.describe(error))
            }
            if let refusal = await AccessCheck.refusal(method.access, method: name, request: request, context: context) {
                return CallOutcome(status: refusal.code, message: refusal.message)
            }
            do {
                let response = try await handler(request, context)
                return CallOutcome(status: .ok, body: try CBOREncoder().encode(response))
            } catch {
                return CallOutcome.failure(error, logger: context.logger, method: name)
            }
        }
    }

    /// Sends every method under `prefix` that has no handler of its own to `handler` as raw
    /// bytes; the gateway forwards this way without decoding what it does not need to.
    public mutating func registerFallback(
        prefix: String, _ handler: @escaping @Sendable (String, [UInt8], ServerContext) async -> CallOutcome
    ) {
        fallbacks.append((prefix, handler))
    }

    public var methods: [MethodHandler] { handlers.values.sorted { $0.name < $1.name } }

    func route(_ method: String) -> (@Sendable ([UInt8], ServerContext) async -> CallOutcome)? {
        if let handler = handlers[method] { return handler.run }
        for fallback in fallbacks where method.hasPrefix(fallback.prefix) {
            let run = fallback.run
            return { body, context in await run(method, body, context) }
        }
        return nil
    }
}
