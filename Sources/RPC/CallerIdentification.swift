import Glibc
import Wire

/// How a server learns who is calling: which peers it serves at all (asked once, when a
/// connection is accepted) and, for each call, the principal it acts for.
public protocol CallerIdentification: Sendable {
    /// Whether a connection from `peer` is served. One that is not gets a single small frame
    /// read, answered UNAUTHENTICATED with `refusal(of:)`, and is closed.
    func admits(_ peer: PeerCredentials) -> Bool
    /// What a refused peer is told.
    func refusal(of peer: PeerCredentials) -> String
    /// The principal of one call from an admitted peer; nil refuses the call as UNAUTHENTICATED.
    func principal(of peer: PeerCredentials, metadata: [String: String]) -> Principal?
}

/// A back-end's identification: it serves only the uids it is told to trust (by default its
/// own and root's). A trusted peer that forwards a principal (the gateway) calls for that
/// principal; one that forwards none (an operator, another service) calls as an administrator.
public struct TrustedPeers: CallerIdentification {
    public let uids: Set<UInt32>

    public init(uids: Set<UInt32>) { self.uids = uids }

    /// The calling process's own uid and root's.
    public static var local: TrustedPeers { TrustedPeers(uids: [0, getuid()]) }

    public func admits(_ peer: PeerCredentials) -> Bool { uids.contains(peer.uid) }

    public func refusal(of peer: PeerCredentials) -> String {
        "uid \(peer.uid) may not call this service directly; go through the gateway (`pulse`)"
    }

    public func principal(of peer: PeerCredentials, metadata: [String: String]) -> Principal? {
        guard uids.contains(peer.uid) else { return nil }
        guard let forwarded = metadata[Principal.metadataKey] else { return Principal(uid: peer.uid, role: .admin) }
        return Principal(metadataValue: forwarded)
    }
}
