import Base
import Messages
import Store
import Wire

/// The gateway's tamper-evident audit log: entries in a SQLite table, each with its Merkle leaf
/// hash, appended and never changed. Anyone with a copy of the file can recompute everything
/// (``verify(against:)``); an auditor who keeps a checkpoint (size and root) off the machine can
/// prove later that today's log extends it.
public struct AuditLog {
    /// The table, for the gateway's migration.
    public static let schema = "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, entry BLOB NOT NULL, leaf BLOB NOT NULL);"

    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Appends an entry (its `seq` is set here); call inside a write transaction.
    @discardableResult
    public static func append(_ entry: AuditEntry, to db: Database) throws -> Int {
        var entry = entry
        entry.seq = (try db.scalar("SELECT max(seq) FROM audit_log", as: Int.self) ?? 0) + 1
        let bytes = try CBOREncoder().encode(entry)
        try db.run("INSERT INTO audit_log (seq, entry, leaf) VALUES (?, ?, ?)", [entry.seq, bytes, MerkleTree.leafHash(bytes)])
        return entry.seq
    }

    public var size: Int { get throws { try db.scalar("SELECT count(*) FROM audit_log", as: Int.self) ?? 0 } }

    /// The leaf hashes as stored, in order.
    func storedLeaves() throws -> [MerkleTree.Hash] {
        try db.query("SELECT leaf FROM audit_log ORDER BY seq").map { try $0.get(0, as: [UInt8].self) }
    }

    /// The tree's size and root now, for an auditor to keep.
    public func checkpoint() throws -> Checkpoint {
        let leaves = try storedLeaves()
        return Checkpoint(size: leaves.count, root: MerkleTree.root(leaves))
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
        let leaves = try storedLeaves()
        guard seq >= 1, seq <= leaves.count else {
            throw RPCError(.notFound, "seq: the log has entries 1 to \(leaves.count); there is no entry \(seq)")
        }
        let entry = try db.scalar("SELECT entry FROM audit_log WHERE seq = ?", [seq], as: [UInt8].self) ?? []
        return InclusionProof(
            seq: seq, size: leaves.count, root: MerkleTree.root(leaves), entry: entry,
            path: MerkleTree.inclusionProof(seq - 1, leaves[...]))
    }

    /// Recomputes everything from the entries themselves: each entry's leaf, its place, and the
    /// root; with a checkpoint, that the log still extends it (RFC 9162 consistency).
    public func verify(against checkpoint: Checkpoint? = nil) throws -> Verification {
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
            } else if let inner = try? CBORDecoder().decode(AuditEntry.self, from: bytes), inner.seq != seq {
                problems.append("entry \(seq) holds entry \(inner.seq): entries were moved or swapped")
            } else if (try? CBORDecoder().decode(AuditEntry.self, from: bytes)) == nil {
                problems.append("entry \(seq) is not an audit entry")
            }
            expected = seq + 1
        }
        let root = MerkleTree.root(leaves)
        if let checkpoint {
            if leaves.count < checkpoint.size {
                problems.append("the log has \(leaves.count) entries, fewer than the \(checkpoint.size) of the checkpoint: entries were removed")
            } else {
                let proof = MerkleTree.consistencyProof(checkpoint.size, leaves[...])
                let consistent = MerkleTree.verifyConsistency(
                    oldSize: checkpoint.size, oldRoot: checkpoint.root, newSize: leaves.count, newRoot: root, proof: proof)
                if !consistent {
                    problems.append("the log does not extend the checkpoint \(checkpoint): an entry from 1 to \(checkpoint.size) was changed, removed, inserted or rewritten")
                }
            }
        }
        return Verification(size: leaves.count, root: root, problems: problems)
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
        guard parts.count == 2, let size = Int(parts[0]), size > 0, parts[1].count == 64 else { return nil }
        var root: [UInt8] = []
        var digits = parts[1].makeIterator()
        while let a = digits.next(), let b = digits.next() {
            guard let byte = UInt8(String([a, b]), radix: 16) else { return nil }
            root.append(byte)
        }
        self.init(size: size, root: root)
    }

    public var rootHex: String { root.map { String($0, radix: 16).leftPadded(2) }.joined() }
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

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
