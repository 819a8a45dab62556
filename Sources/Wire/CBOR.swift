/// One CBOR data item (RFC 8949), as read from or written to the wire.
///
/// Maps keep their pairs in an array; ``CBORWriter`` sorts them into the deterministic
/// order of RFC 8949 §4.2.1 when it writes, so equal values are equal bytes.
public enum CBOR: Hashable, Sendable {
    case unsigned(UInt64)
    /// The negative integer `-1 - n`.
    case negative(UInt64)
    case bytes([UInt8])
    case text(String)
    case array([CBOR])
    case map([Pair])
    indirect case tagged(UInt64, CBOR)
    case simple(UInt8)
    case bool(Bool)
    case null
    case undefined
    case float(Double)

    public struct Pair: Hashable, Sendable {
        public var key: CBOR
        public var value: CBOR
        public init(_ key: CBOR, _ value: CBOR) {
            self.key = key
            self.value = value
        }
    }

    /// An integer as CBOR: unsigned for 0 and above, negative below.
    public static func integer(_ value: Int64) -> CBOR {
        value >= 0 ? .unsigned(UInt64(value)) : .negative(UInt64(-1 - value))
    }

    /// The value under a text key of a map, if this is a map holding it.
    public subscript(key: String) -> CBOR? {
        guard case .map(let pairs) = self else { return nil }
        for pair in pairs where pair.key == .text(key) { return pair.value }
        return nil
    }
}

/// A CBOR input that cannot be read: what is wrong and at which byte offset.
public struct CBORError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at byte \(offset))" }
}
