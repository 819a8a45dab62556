/// A read-mostly map from 64-bit hashes to small integers: open addressing with linear probing
/// and a multiplicative hash. The models look up millions of syllable and pair hashes a second;
/// `Dictionary`'s seeded SipHash costs several times more per lookup than this, and the keys
/// are hashes already.
struct HashIndex: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0
    private static let empty = UInt64.max

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: HashIndex.empty, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// The one key the table cannot hold is moved to its neighbour.
    @inline(__always) private static func stored(_ key: UInt64) -> UInt64 { key == empty ? empty - 1 : key }

    @inline(__always) private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    subscript(key: UInt64) -> Int32? {
        let k = HashIndex.stored(key)
        var i = slot(k)
        while true {
            let found = keys[i]
            if found == k { return values[i] }
            if found == HashIndex.empty { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func set(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let k = HashIndex.stored(key)
        var i = slot(k)
        while true {
            if keys[i] == k {
                values[i] = value
                return
            }
            if keys[i] == HashIndex.empty {
                keys[i] = k
                values[i] = value
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = zip(keys, values).filter { $0.0 != HashIndex.empty }
        self = HashIndex(capacity: keys.count)
        for (k, v) in old { set(k, v) }
    }
}

/// A set of hashes on ``HashIndex``.
struct HashSet: Sendable {
    private var index = HashIndex()

    init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        for k in keys { index.set(k, 0) }
    }

    @inline(__always) func contains(_ key: UInt64) -> Bool { index[key] != nil }
}

/// A map from hashes to numbers on ``HashIndex``, built once.
struct HashMap: Sendable {
    private var index = HashIndex()
    private var values: [Double] = []

    init(_ dictionary: [UInt64: Double] = [:]) {
        index = HashIndex(capacity: dictionary.count)
        for (k, v) in dictionary {
            index.set(k, Int32(values.count))
            values.append(v)
        }
    }

    @inline(__always) subscript(key: UInt64) -> Double? {
        guard let i = index[key] else { return nil }
        return values[Int(i)]
    }
}
