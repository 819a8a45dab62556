import Audit
import Messages
import Store
import TestSupport
import Testing
import Wire

private func hex(_ text: String) -> [UInt8] { [UInt8](hex: text)! }

/// The Certificate Transparency reference data (RFC 6962's tree, unchanged in RFC 9162).
private let referenceEntries = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(hex)
private let referenceRoots = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4", "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c", "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
].map(hex)

@Suite("The audit log's Merkle tree (RFC 9162)")
struct MerkleTreeTests {
    @Test("roots of the reference tree at every size, and the empty tree's")
    func referenceRootsMatch() {
        let leaves = referenceEntries.map(MerkleTree.leafHash)
        #expect(MerkleTree.root([]) == hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        for n in 1...8 { #expect(MerkleTree.root(Array(leaves.prefix(n))) == referenceRoots[n - 1], "size \(n)") }
    }

    @Test("the reference inclusion proofs, and every proof of every leaf in trees of 1 to 40 leaves; a changed proof fails")
    func inclusion() {
        let leaves = referenceEntries.map(MerkleTree.leafHash)
        #expect(MerkleTree.inclusionProof(0, leaves[...]) == [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ].map(hex))
        #expect(MerkleTree.inclusionProof(5, leaves[...]) == [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ].map(hex))
        let many = (0..<40).map { MerkleTree.leafHash([UInt8($0), 7]) }
        for n in 1...40 {
            let root = MerkleTree.root(Array(many.prefix(n)))
            for i in 0..<n {
                let proof = MerkleTree.inclusionProof(i, many.prefix(n))
                #expect(MerkleTree.verifyInclusion(leaf: many[i], index: i, size: n, proof: proof, root: root), "leaf \(i) of \(n)")
                #expect(!MerkleTree.verifyInclusion(leaf: many[(i + 1) % 40], index: i, size: n, proof: proof, root: root) || n == 1 && i == 0 && false)
                if !proof.isEmpty {
                    var bent = proof
                    bent[0][0] ^= 1
                    #expect(!MerkleTree.verifyInclusion(leaf: many[i], index: i, size: n, proof: bent, root: root))
                }
            }
        }
    }

    @Test("every tree of up to 40 leaves is proved to extend each of its prefixes, and not a changed one")
    func consistency() {
        let many = (0..<40).map { MerkleTree.leafHash([UInt8($0), 9]) }
        for n in 1...40 {
            let root = MerkleTree.root(Array(many.prefix(n)))
            for m in 1...n {
                let old = MerkleTree.root(Array(many.prefix(m)))
                let proof = MerkleTree.consistencyProof(m, many.prefix(n))
                #expect(MerkleTree.verifyConsistency(oldSize: m, oldRoot: old, newSize: n, newRoot: root, proof: proof), "\(m) → \(n)")
                var forged = Array(many.prefix(m))
                forged[m - 1][0] ^= 1
                let forgedRoot = MerkleTree.root(forged)
                #expect(!MerkleTree.verifyConsistency(oldSize: m, oldRoot: forgedRoot, newSize: n, newRoot: root, proof: proof), "\(m) → \(n), changed")
            }
        }
    }
}

@Suite("The audit log on disk")
struct AuditLogTests {
    func log(_ count: Int) throws -> (Database, String) {
        let path = temporaryDirectory("audit") + "/gateway.sqlite"
        let db = try Database(path: path)
        try db.execute(AuditLog.schema)
        try db.transaction {
            for i in 0..<count {
                try AuditLog.append(
                    AuditEntry(seq: 0, at: 1_767_225_600_000 + Int64(i), uid: 1000 + UInt32(i % 3), gid: 100, pid: 42, role: "admin", method: "pulse.roster.v1.Roster/GetUnit", status: 0, microseconds: 80 + i),
                    to: db)
            }
        }
        return (db, path)
    }

    @Test("a sound log verifies, its checkpoint verifies, and every entry's proof leads to the root")
    func sound() throws {
        let (db, _) = try log(25)
        let audit = AuditLog(db)
        let checkpoint = try audit.checkpoint()
        #expect(checkpoint.size == 25)
        #expect(Checkpoint(checkpoint.description) == checkpoint)
        #expect(try audit.verify(against: checkpoint).sound)
        for seq in 1...25 { #expect(try audit.prove(seq).verifies) }
        _ = try db.transaction { try AuditLog.append(AuditEntry(seq: 0, at: 1, uid: 1, gid: 1, pid: 1, role: nil, method: "m", status: 16, microseconds: 0, count: 7), to: db) }
        #expect(try audit.verify(against: checkpoint).sound, "a longer log still extends the checkpoint")
        #expect(try audit.tail(1).first?.count == 7)
        #expect(try audit.search(principal: "1001", method: nil, from: nil, to: nil, limit: 100).count == 8)
    }

    @Test("roots and proofs read from the stored subtrees equal those computed from every leaf, at every size to 40; a changed subtree is caught")
    func storedSubtrees() throws {
        let (db, _) = try log(0)
        for n in 1...40 {
            _ = try db.transaction { try AuditLog.append(AuditEntry(seq: 0, at: Int64(n), uid: 7, gid: 7, pid: 7, role: "analyst", method: "m\(n)", status: 0, microseconds: n), to: db) }
            let leaves = try db.query("SELECT leaf FROM audit_log ORDER BY seq").map { try $0.get(0, as: [UInt8].self) }
            let audit = AuditLog(db)
            #expect(try audit.checkpoint().root == MerkleTree.root(leaves), "size \(n)")
            for seq in 1...n { #expect(try audit.prove(seq).path == MerkleTree.inclusionProof(seq - 1, leaves[...]), "entry \(seq) of \(n)") }
        }
        #expect(try db.scalar("SELECT count(*) FROM audit_nodes", as: Int.self) == 40 - 40.nonzeroBitCount)
        try db.run("UPDATE audit_nodes SET hash = zeroblob(32) WHERE level = 3 AND idx = 1")
        #expect(try AuditLog(db).verify().problems.first?.hasPrefix("the stored tree") == true)
        try db.run("DELETE FROM audit_nodes")
        #expect(try AuditLog.completeNodesIfNeeded(in: db), "a log without its subtrees gets them rebuilt")
        #expect(try AuditLog(db).verify().sound)
    }

    @Test("with several checkpoints, a change with its hashes recomputed is placed between the last one the log still extends and the first it does not")
    func severalCheckpoints() throws {
        let (db, _) = try log(30)
        let early = try AuditLog(db).checkpoint()
        _ = try db.transaction {
            for i in 0..<20 {
                try AuditLog.append(AuditEntry(seq: 0, at: Int64(i), uid: 5, gid: 5, pid: 5, role: "analyst", method: "later \(i)", status: 0, microseconds: 1), to: db)
            }
        }
        let late = try AuditLog(db).checkpoint()
        let bytes = try db.scalar("SELECT entry FROM audit_log WHERE seq = 41", as: [UInt8].self)!
        var entry = try CBORDecoder().decode(AuditEntry.self, from: bytes)
        entry.uid = 0
        let rewritten = try CBOREncoder().encode(entry)
        try db.run("UPDATE audit_log SET entry = ?, leaf = ? WHERE seq = 41", [rewritten, MerkleTree.leafHash(rewritten)])
        try db.run("DELETE FROM audit_nodes")
        try AuditLog.completeNodesIfNeeded(in: db)  // the tamperer rebuilt the stored tree too
        let result = try AuditLog(db).verify(against: [late, early])
        #expect(result.problems == [
            "the log does not extend the checkpoint \(late): an entry from 31 to 50 was changed, removed, inserted or rewritten (entries 1 to 30 still match an earlier checkpoint)"
        ])
    }

    @Test("verify reads one snapshot: entries appended while it runs never make a sound log look tampered")
    func verifyWhileAppending() async throws {
        var migrator = Migrator()
        migrator.register("1 audit", AuditLog.schema)
        let queue = try DatabaseQueue(path: temporaryDirectory("audit") + "/live.sqlite", migrator: migrator)
        let writer = Task {
            for i in 0..<3000 where !Task.isCancelled {
                _ = try await queue.writeGrouped { db in
                    try AuditLog.append(AuditEntry(seq: 0, at: Int64(i), uid: 1, gid: 1, pid: 1, role: "admin", method: "m", status: 0, microseconds: 1), to: db)
                }
            }
        }
        // Start verifying once the writer is well under way, and go on while it writes.
        while try await queue.read({ try AuditLog($0).size }) < 100 { try await Task.sleep(for: .milliseconds(5)) }
        var checks = 0
        var sizes: Set<Int> = []
        while checks < 60 {
            let result = try await queue.read { try AuditLog($0).verify() }
            #expect(result.sound, "\(result.problems)")
            sizes.insert(result.size)
            checks += 1
        }
        #expect(sizes.count >= 2, "the log grew while it was verified (\(sizes.count) sizes seen)")
        writer.cancel()
        _ = try? await writer.value
    }

    @Test(
        "tampering is caught against a checkpoint taken before, naming the first bad entry where the file shows it",
        arguments: ["edit", "delete", "swap", "truncate and rewrite", "edit and rehash"])
    func tampered(_ how: String) throws {
        let (db, _) = try log(30)
        let checkpoint = try AuditLog(db).checkpoint()
        switch how {
        case "edit":
            // A uid changed in place, its leaf left as it was.
            let bytes = try db.scalar("SELECT entry FROM audit_log WHERE seq = 12", as: [UInt8].self)!
            var entry = try CBORDecoder().decode(AuditEntry.self, from: bytes)
            entry.uid = 0
            try db.run("UPDATE audit_log SET entry = ? WHERE seq = 12", [try CBOREncoder().encode(entry)])
        case "delete":
            try db.run("DELETE FROM audit_log WHERE seq = 7")
        case "swap":
            let a = try db.query("SELECT entry, leaf FROM audit_log WHERE seq = 4")[0]
            let b = try db.query("SELECT entry, leaf FROM audit_log WHERE seq = 5")[0]
            try db.run("UPDATE audit_log SET entry = ?, leaf = ? WHERE seq = 4", [b[0], b[1]])
            try db.run("UPDATE audit_log SET entry = ?, leaf = ? WHERE seq = 5", [a[0], a[1]])
        case "truncate and rewrite":
            // Cut back to 10 entries and write new ones after them, hashed and numbered properly.
            try db.run("DELETE FROM audit_log WHERE seq > 10")
            for i in 0..<25 {
                try AuditLog.append(AuditEntry(seq: 0, at: 5, uid: 4242, gid: 1, pid: 1, role: "admin", method: "rewritten \(i)", status: 0, microseconds: 1), to: db)
            }
        default:
            // A changed entry with its leaf recomputed: only the checkpoint knows.
            let bytes = try db.scalar("SELECT entry FROM audit_log WHERE seq = 3", as: [UInt8].self)!
            var entry = try CBORDecoder().decode(AuditEntry.self, from: bytes)
            entry.method = "pulse.roster.v1.Roster/ListPeople"
            let rewritten = try CBOREncoder().encode(entry)
            try db.run("UPDATE audit_log SET entry = ?, leaf = ? WHERE seq = 3", [rewritten, MerkleTree.leafHash(rewritten)])
        }
        let result = try AuditLog(db).verify(against: checkpoint)
        #expect(!result.sound, "\(how) went unnoticed")
        let first = result.problems.first ?? ""
        switch how {
        case "edit": #expect(first == "entry 12 was changed: its contents no longer hash to its stored leaf")
        case "delete": #expect(first == "entry 7 is missing: the next stored entry is 8")
        case "swap": #expect(first == "entry 4 holds entry 5: entries were moved or swapped")
        default: #expect(result.problems.contains { $0.hasPrefix("the log does not extend the checkpoint \(checkpoint)") }, "\(result.problems)")
        }
    }
}
