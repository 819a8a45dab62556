import Base
import Messages
import Store
import Wire

/// The gateway's tamper-evident audit log: entries in a SQLite table, each with its Merkle leaf
/// hash, appended and never changed. Anyone with a copy of the file can recompute everything
/// (``verify(against:)``); an auditor who keeps a checkpoint (size and root) off the machine can
/// prove later that today's log extends it.
public struct AuditLog {
    /// The entries and their leaf hashes.
    public static let entriesSchema = "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, entry BLOB NOT NULL, leaf BLOB NOT NULL);"
    /// The root of every complete, aligned subtree above the leaves (level L, index i: the leaves
    /// i·2^L to (i+1)·2^L − 1), kept as entries are appended, so that a root or a proof takes
    /// a few dozen reads instead of hashing the whole log. `verify` never trusts them.
    public static let nodesSchema = "CREATE TABLE audit_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;"
    /// Both, for a new file.
    public static let schema = entriesSchema + nodesSchema

    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Appends an entry (its `seq` is set here); call inside a write transaction.
    @discardableResult
    public static func append(_ entry: AuditEntry, to db: Database) throws -> Int {
        var entry = entry
        entry.seq = (try db.scalar("SELECT max(seq) FROM audit_log", as: Int.self) ?? 0) + 1
        let bytes = try CBOREncoder().encode(entry)
        let leaf = MerkleTree.leafHash(bytes)
        try db.run("INSERT INTO audit_log (seq, entry, leaf) VALUES (?, ?, ?)", [entry.seq, bytes, leaf])
        try completeNodes(after: entry.seq - 1, leaf: leaf, in: db)
        return entry.seq
    }

    /// Stores the subtrees that leaf `index` completes: one at level 1 every second leaf, one at
    /// level 2 every fourth, and so on.
    static func completeNodes(after index: Int, leaf: MerkleTree.Hash, in db: Database) throws {
        var level = 0
        var position = index
        var hash = leaf
        while position & 1 == 1 {
            let left = try AuditLog(db).node(level: level, index: position - 1)
            hash = MerkleTree.nodeHash(left, hash)
            level += 1
            position >>= 1
            try db.run("INSERT OR REPLACE INTO audit_nodes (level, idx, hash) VALUES (?, ?, ?)", [level, position, hash])
        }
    }

    /// Rebuilds the stored subtrees from the stored leaves when they do not cover the log (a log
    /// written before they were kept). Returns whether it had to.
    @discardableResult
    public static func completeNodesIfNeeded(in db: Database) throws -> Bool {
        let size = try AuditLog(db).size
        let expected = size - size.nonzeroBitCount  // the complete subtrees above n leaves
        guard try db.scalar("SELECT count(*) FROM audit_nodes", as: Int.self) != expected else { return false }
        try db.transaction {
            try db.run("DELETE FROM audit_nodes")
            var index = 0
            try db.forEach("SELECT leaf FROM audit_log ORDER BY seq") { row in
                try completeNodes(after: index, leaf: row.get(0, as: [UInt8].self), in: db)
                index += 1
            }
        }
        return true
    }

    /// The root of the complete subtree at `level` and `index` (level 0: a leaf).
    func node(level: Int, index: Int) throws -> MerkleTree.Hash {
        let stored =
            level == 0
            ? try db.scalar("SELECT leaf FROM audit_log WHERE seq = ?", [index + 1], as: [UInt8].self)
            : try db.scalar("SELECT hash FROM audit_nodes WHERE level = ? AND idx = ?", [level, index], as: [UInt8].self)
        guard let stored else {
            throw RPCError(.dataLoss, "the audit log's tree lacks its node at level \(level), index \(index); run pulse audit verify")
        }
        return stored
    }

    /// The root over the leaves `start` ..< `start + count`, split as RFC 9162 splits: each left
    /// part is a complete subtree on its own boundary, read as stored.
    func subtreeRoot(_ start: Int, _ count: Int) throws -> MerkleTree.Hash {
        if count == 0 { return SHA256.hash([]) }
        if count & (count - 1) == 0 && start % count == 0 {
            return try node(level: count.trailingZeroBitCount, index: start / count)
        }
        let k = MerkleTree.split(count)
        return MerkleTree.nodeHash(try subtreeRoot(start, k), try subtreeRoot(start + k, count - k))
    }

    /// The audit path of leaf `index` among `start` ..< `start + count` (RFC 9162 §2.1.3.1).
    func inclusionPath(_ index: Int, _ start: Int, _ count: Int) throws -> [MerkleTree.Hash] {
        guard count > 1 else { return [] }
        let k = MerkleTree.split(count)
        if index < k { return try inclusionPath(index, start, k) + [subtreeRoot(start + k, count - k)] }
        return try inclusionPath(index - k, start + k, count - k) + [subtreeRoot(start, k)]
    }

    /// How many entries the log has: its last sequence number (read from the key, not counted).
    public var size: Int { get throws { try db.scalar("SELECT max(seq) FROM audit_log", as: Int.self) ?? 0 } }

    /// The tree's size and root now, for an auditor to keep.
    public func checkpoint() throws -> Checkpoint {
        let size = try size
        return Checkpoint(size: size, root: try subtreeRoot(0, size))
    }

    /// The last `count` entries, newest last.
    public func tail(_ count: Int) throws -> [AuditEntry] {
        let rows = try db.query("SELECT entry FROM audit_log ORDER BY seq DESC LIMIT ?", [max(1, min(count, 10_000))])
        return try rows.reversed().map { try CBORDecoder().decode(AuditEntry.self, from: $0.get(0, as: [UInt8].self)) }
    }

    /// Entries that match every given filter, oldest first, at most `limit`.
    public func search(principal: String?, method: String?, from: Int64?, to: Int64?, limit: Int) throws -> [AuditEntry] {
        var found: [AuditEntry] = []
        try db.forEach("SELECT entry FROM audit_log ORDER BY seq") { row in
            guard found.count < limit else { return }
            let entry = try CBORDecoder().decode(AuditEntry.self, from: row.get(0, as: [UInt8].self))
            if let principal, !(principal == "\(entry.uid)" || principal == entry.user || principal == entry.role || principal == entry.agency) { return }
            if let method, !entry.method.contains(method) { return }
            if let from, entry.at < from { return }
            if let to, entry.at > to { return }
            found.append(entry)
        }
        return found
    }

    /// The inclusion proof of entry `seq` against the current root.
    public func prove(_ seq: Int) throws -> InclusionProof {
        let size = try size
        guard seq >= 1, seq <= size else {
            throw RPCError(.notFound, "seq: the log has entries 1 to \(size); there is no entry \(seq)")
        }
        let entry = try db.scalar("SELECT entry FROM audit_log WHERE seq = ?", [seq], as: [UInt8].self) ?? []
        return InclusionProof(seq: seq, size: size, root: try subtreeRoot(0, size), entry: entry, path: try inclusionPath(seq - 1, 0, size))
    }

    /// Recomputes everything from the entries themselves: each entry's leaf, its place, and the
    /// root; with a checkpoint, that the log still extends it (RFC 9162 consistency).
    public func verify(against checkpoint: Checkpoint? = nil) throws -> Verification {
        try verify(against: checkpoint.map { [$0] } ?? [])
    }

    /// As `verify(against:)`, with every checkpoint an auditor kept: the change is then placed
    /// between the last checkpoint the log still extends and the first it does not.
    public func verify(against checkpoints: [Checkpoint]) throws -> Verification {
        // The entries and the stored subtrees as of one moment, whatever is appended meanwhile.
        try db.snapshot { try verifySnapshot(against: checkpoints) }
    }

    private func verifySnapshot(against checkpoints: [Checkpoint]) throws -> Verification {
        var leaves: [MerkleTree.Hash] = []
        var problems: [String] = []
        var expected = 1
        try db.forEach("SELECT seq, entry, leaf FROM audit_log ORDER BY seq") { row in
            let seq = try row.get(0, as: Int.self)
            let bytes = try row.get(1, as: [UInt8].self)
            let leaf = MerkleTree.leafHash(bytes)
            leaves.append(leaf)
            guard problems.isEmpty else { return }
            if seq != expected {
                problems.append("entry \(expected) is missing: the next stored entry is \(seq)")
            } else if leaf != (try row.get(2, as: [UInt8].self)) {
                problems.append("entry \(seq) was changed: its contents no longer hash to its stored leaf")
            } else if let inner = try? CBORDecoder().decode(AuditEntry.self, from: bytes) {
                if inner.seq != seq { problems.append("entry \(seq) holds entry \(inner.seq): entries were moved or swapped") }
            } else {
                problems.append("entry \(seq) is not an audit entry")
            }
            expected = seq + 1
        }
        let root = MerkleTree.root(leaves)
        // The stored subtrees serve roots and proofs quickly; each must be what the entries give.
        if problems.isEmpty, let wrong = try firstWrongNode(leaves) {
            problems.append("the stored tree does not match the entries (\(wrong)): roots and proofs served from it would mislead")
        }
        // Each checkpoint the log still extends vouches for its first entries; the first it does
        // not extend bounds the change from below by the last one it does.
        var vouched = 0
        for checkpoint in checkpoints.sorted(by: { $0.size < $1.size }) {
            if leaves.count < checkpoint.size {
                problems.append("the log has \(leaves.count) entries, fewer than the \(checkpoint.size) of the checkpoint: entries were removed")
                break
            }
            let proof = MerkleTree.consistencyProof(checkpoint.size, leaves[...])
            let consistent = MerkleTree.verifyConsistency(
                oldSize: checkpoint.size, oldRoot: checkpoint.root, newSize: leaves.count, newRoot: root, proof: proof)
            if !consistent {
                problems.append(
                    "the log does not extend the checkpoint \(checkpoint): an entry from \(vouched + 1) to \(checkpoint.size) was changed, removed, inserted or rewritten"
                        + (vouched > 0 ? " (entries 1 to \(vouched) still match an earlier checkpoint)" : ""))
                break
            }
            vouched = checkpoint.size
        }
        return Verification(size: leaves.count, root: root, problems: problems)
    }
}

extension AuditLog {
    /// The first stored subtree that is not what `leaves` give, or a missing one; nil when all agree.
    func firstWrongNode(_ leaves: [MerkleTree.Hash]) throws -> String? {
        var current = leaves
        var level = 0
        var wrong: String?
        var stored = 0
        try db.forEach("SELECT level, idx, hash FROM audit_nodes ORDER BY level, idx") { row in
            guard wrong == nil else { return }
            let (nodeLevel, index, hash) = try (row.get(0, as: Int.self), row.get(1, as: Int.self), row.get(2, as: [UInt8].self))
            while level < nodeLevel {
                current = stride(from: 0, to: current.count - 1, by: 2).map { MerkleTree.nodeHash(current[$0], current[$0 + 1]) }
                level += 1
            }
            if level != nodeLevel || index >= current.count || current[index] != hash { wrong = "level \(nodeLevel), index \(index)" }
            stored += 1
        }
        if wrong == nil && stored != leaves.count - leaves.count.nonzeroBitCount {
            wrong = "\(stored) subtrees stored where \(leaves.count) entries make \(leaves.count - leaves.count.nonzeroBitCount)"
        }
        return wrong
    }
}

/// A tree's size and root: `SIZE:ROOTHEX`.
public struct Checkpoint: Codable, Sendable, Hashable, CustomStringConvertible {
    public var size: Int
    public var root: [UInt8]

    public init(size: Int, root: [UInt8]) {
        self.size = size
        self.root = root
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let size = Int(parts[0]), size > 0, parts[1].count == 64, let root = [UInt8](hex: parts[1]) else { return nil }
        self.init(size: size, root: root)
    }

    public var rootHex: String { root.hexString }
    public var description: String { "\(size):\(rootHex)" }
}

/// One entry's place in the tree: check it with ``MerkleTree/verifyInclusion``.
public struct InclusionProof: Codable, Sendable {
    public var seq: Int
    public var size: Int
    public var root: [UInt8]
    /// The entry's bytes, whose leaf hash the path starts from.
    public var entry: [UInt8]
    public var path: [[UInt8]]

    public var verifies: Bool {
        MerkleTree.verifyInclusion(leaf: MerkleTree.leafHash(entry), index: seq - 1, size: size, proof: path, root: root)
    }
}

/// What ``AuditLog/verify(against:)`` found: the size and root it recomputed, and the first
/// problem of each kind (none when the log is sound).
public struct Verification: Codable, Sendable {
    public var size: Int
    public var root: [UInt8]
    public var problems: [String]
    public var sound: Bool { problems.isEmpty }
}
