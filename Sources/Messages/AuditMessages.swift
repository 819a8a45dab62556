/// One line of the audit log: who called what, for whom, and how it ended. Never a request's
/// body. Its deterministic CBOR is the leaf the Merkle tree hashes.
public struct AuditEntry: Codable, Sendable, Hashable {
    /// Its place in the log, from 1; part of what is hashed, so an entry cannot be moved.
    public var seq: Int
    /// Milliseconds since 1970 (UTC).
    public var at: Int64
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    public var user: String?
    /// The principal's role; absent for an account in no principal.
    public var role: String?
    public var agency: String?
    public var method: String
    /// The units the request named, where its rule reads them.
    public var scope: [String]?
    /// The gRPC status code it ended with.
    public var status: Int
    public var microseconds: Int
    /// For refusals counted rather than written one by one: how many calls this entry stands for.
    public var count: Int?

    public init(
        seq: Int, at: Int64, uid: UInt32, gid: UInt32, pid: Int32, user: String? = nil, role: String?, agency: String? = nil,
        method: String, scope: [String]? = nil, status: Int, microseconds: Int, count: Int? = nil
    ) {
        self.seq = seq
        self.at = at
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.user = user
        self.role = role
        self.agency = agency
        self.method = method
        self.scope = scope
        self.status = status
        self.microseconds = microseconds
        self.count = count
    }
}

public struct AuditTailRequest: Codable, Sendable {
    public var count: Int?
    public init(count: Int? = nil) { self.count = count }
}

public struct AuditSearchRequest: Codable, Sendable {
    /// A uid, user name, role or agency.
    public var principal: String?
    /// Part of a method's name.
    public var method: String?
    public var from: Day?
    public var to: Day?
    public var limit: Int?
    public init(principal: String? = nil, method: String? = nil, from: Day? = nil, to: Day? = nil, limit: Int? = nil) {
        self.principal = principal
        self.method = method
        self.from = from
        self.to = to
        self.limit = limit
    }
}

public struct AuditEntries: Codable, Sendable {
    public var entries: [AuditEntry]
    public init(entries: [AuditEntry]) { self.entries = entries }
}

public struct AuditVerifyRequest: Codable, Sendable {
    /// A checkpoint kept from before, `SIZE:ROOTHEX`: the log must extend it.
    public var checkpoint: String?
    /// More checkpoints kept from before: with several, a change is placed between two of them.
    public var checkpoints: [String]?
    public init(checkpoint: String? = nil, checkpoints: [String]? = nil) {
        self.checkpoint = checkpoint
        self.checkpoints = checkpoints
    }
}

/// The log's size and root (hex), and `SIZE:ROOT` to keep off the machine.
public struct AuditCheckpoint: Codable, Sendable {
    public var size: Int
    public var root: String
    public var checkpoint: String
    public init(size: Int, root: String, checkpoint: String) {
        self.size = size
        self.root = root
        self.checkpoint = checkpoint
    }
}

public struct AuditVerification: Codable, Sendable {
    public var size: Int
    public var root: String
    /// Empty when every entry and the tree check out; else the first problem of each kind.
    public var problems: [String]
    public init(size: Int, root: String, problems: [String]) {
        self.size = size
        self.root = root
        self.problems = problems
    }
}

public struct AuditProveRequest: Codable, Sendable {
    public var seq: Int
    public init(seq: Int) { self.seq = seq }
}

/// An entry's inclusion proof (RFC 9162 §2.1.3): the entry, its leaf and the path to the root, hex.
public struct AuditProof: Codable, Sendable {
    public var entry: AuditEntry
    public var size: Int
    public var root: String
    public var leaf: String
    public var path: [String]
    /// Whether the path leads from the leaf to the root, checked where the proof was made.
    public var verified: Bool
    public init(entry: AuditEntry, size: Int, root: String, leaf: String, path: [String], verified: Bool) {
        self.entry = entry
        self.size = size
        self.root = root
        self.leaf = leaf
        self.path = path
        self.verified = verified
    }
}
