import Base
import RPC
import Synchronization
import Wire

/// The gateway's identification: a peer is served if the policy has an entry for it, and each
/// call is made for that entry's principal. The policy can be replaced while serving (SIGHUP).
public final class PolicyIdentification: CallerIdentification {
    private let current: Mutex<Policy>

    public init(_ policy: Policy) { current = Mutex(policy) }

    public var policy: Policy { current.withLock { $0 } }

    public func replace(with policy: Policy) { current.withLock { $0 = policy } }

    public func admits(_ peer: PeerCredentials) -> Bool { policy.entry(for: peer) != nil }

    public func refusal(of peer: PeerCredentials) -> String {
        "your account (uid \(peer.uid)) is not in Pulse's policy; ask the commission's administrator to add it to the gateway's policy file"
    }

    public func principal(of peer: PeerCredentials, metadata: [String: String]) -> Principal? {
        guard let entry = policy.entry(for: peer) else { return nil }
        return Principal(uid: peer.uid, role: entry.role, agency: entry.agency, person: entry.person, units: entry.units)
    }
}
