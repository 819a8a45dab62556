import Base
import Wire

/// What a handler knows about the call it serves.
public struct ServerContext: Sendable {
    public var method: String
    public var requestID: UInt64
    /// The calling process, as the kernel reports it.
    public var peer: PeerCredentials
    /// When the caller stops waiting, if it said.
    public var deadline: ContinuousClock.Instant?
    public var metadata: [String: String]
    public var logger: Logger
    /// Who the call is made for, once the server has identified the caller.
    public var principal: Principal?
    /// The service's view of the unit tree, for scoped access checks.
    public var unitScope: (any UnitScope)?

    public init(
        method: String, requestID: UInt64 = 0, peer: PeerCredentials, deadline: ContinuousClock.Instant? = nil,
        metadata: [String: String] = [:], logger: Logger, principal: Principal? = nil, unitScope: (any UnitScope)? = nil
    ) {
        self.method = method
        self.requestID = requestID
        self.peer = peer
        self.deadline = deadline
        self.metadata = metadata
        self.logger = logger
        self.principal = principal
        self.unitScope = unitScope
    }

    /// The time left before the deadline, for passing on to calls this handler makes.
    public var remaining: Duration? {
        deadline.map { $0 - ContinuousClock.now }
    }
}
