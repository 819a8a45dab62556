import Wire

/// The Merkle tree of RFC 9162 §2.1 over a list of leaf hashes: a leaf is SHA-256(0x00 ‖ entry),
/// a node SHA-256(0x01 ‖ left ‖ right), and the tree over n > 1 leaves splits at the largest
/// power of two below n. Proofs follow §2.1.3 (inclusion) and §2.1.4 (consistency).
public enum MerkleTree {
    public typealias Hash = [UInt8]

    public static func leafHash(_ entry: [UInt8]) -> Hash { SHA256.hash([0] + entry) }

    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var input = [UInt8](repeating: 1, count: 1)
        input.reserveCapacity(65)
        input += left
        input += right
        return SHA256.hash(input)
    }

    /// The root over `leaves` (the hash of nothing for none).
    public static func root(_ leaves: ArraySlice<Hash>) -> Hash {
        guard !leaves.isEmpty else { return SHA256.hash([]) }
        // Level by level: pairing adjacent hashes gives the same tree as the recursive split,
        // a lone last hash rising unchanged.
        var level = Array(leaves)
        while level.count > 1 {
            var next: [Hash] = []
            next.reserveCapacity((level.count + 1) / 2)
            var i = 0
            while i + 1 < level.count {
                next.append(nodeHash(level[i], level[i + 1]))
                i += 2
            }
            if i < level.count { next.append(level[i]) }
            level = next
        }
        return level[0]
    }

    public static func root(_ leaves: [Hash]) -> Hash { root(leaves[...]) }

    /// The largest power of two below n (n > 1): where RFC 9162 splits a tree of n leaves.
    public static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The audit path of leaf `index` in the tree over `leaves` (RFC 9162 §2.1.3.1).
    public static func inclusionProof(_ index: Int, _ leaves: ArraySlice<Hash>) -> [Hash] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        let start = leaves.startIndex
        if index < k {
            return inclusionProof(index, leaves[start..<start + k]) + [root(leaves[(start + k)...])]
        }
        return inclusionProof(index - k, leaves[(start + k)...]) + [root(leaves[start..<start + k])]
    }

    /// Whether `proof` shows the leaf `leaf` at `index` in the tree of `size` leaves with `root`
    /// (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(leaf: Hash, index: Int, size: Int, proof: [Hash], root: Hash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// The proof that the tree over the first `m` of `leaves` is a prefix of the tree over all
    /// of them (RFC 9162 §2.1.4.1).
    public static func consistencyProof(_ m: Int, _ leaves: ArraySlice<Hash>) -> [Hash] {
        guard m > 0, m < leaves.count else { return [] }
        return subproof(m, leaves, complete: true)
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<Hash>, complete: Bool) -> [Hash] {
        let n = leaves.count
        if m == n { return complete ? [] : [root(leaves)] }
        let k = split(n)
        let start = leaves.startIndex
        if m <= k {
            return subproof(m, leaves[start..<start + k], complete: complete) + [root(leaves[(start + k)...])]
        }
        return subproof(m - k, leaves[(start + k)...], complete: false) + [root(leaves[start..<start + k])]
    }

    /// Whether `proof` shows that the tree of `newSize` leaves with `newRoot` extends the tree
    /// of `oldSize` leaves with `oldRoot` (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(oldSize: Int, oldRoot: Hash, newSize: Int, newRoot: Hash, proof: [Hash]) -> Bool {
        guard oldSize > 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }  // a power of two: the old root is a node of the new tree
        guard !path.isEmpty else { return false }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
