import Foundation

/// A message with a hand-written CBOR form beside its `Codable` one, for the few messages hot
/// enough for `Codable`'s generality to show (a monthly report: five to fifty items of eight
/// fields, encoded by the client, decoded and re-encoded by intake). ``CBOREncoder`` and
/// ``CBORDecoder`` use it for a top-level value (or an array of them) and `Codable` for all
/// else.
///
/// The two forms must agree exactly — equal bytes, equal values — and a test holds every
/// conforming type to it. The reader only has to accept well-formed input: on anything it
/// does not expect it returns nil, and the `Codable` decoder decides, so a bad field is named
/// in the error just as for any other message.
public protocol CBORFastCodable: Codable {
    /// Writes the value as deterministic CBOR: map keys in RFC 8949 §4.2.1 order (shorter
    /// first, then bytewise), nil fields left out, exactly as ``CBOREncoder`` would.
    func writeCBOR(to writer: inout CBORWriter)
    /// Reads the value from `item`; nil for anything the `Codable` decoder should judge.
    init?(cbor item: CBORItem)
}

extension Array: CBORFastCodable where Element: CBORFastCodable {
    public func writeCBOR(to writer: inout CBORWriter) {
        writer.writeHead(major: 4, UInt64(count))
        for element in self { element.writeCBOR(to: &writer) }
    }

    public init?(cbor item: CBORItem) {
        var elements: [Element] = []
        guard item.forEachElement({ element in
            guard let e = Element(cbor: element) else { return false }
            elements.append(e)
            return true
        }) else { return nil }
        self = elements
    }
}

/// One data item inside input that ``CBORReader/validate(_:limits:)`` accepted, read in place.
public struct CBORItem {
    let input: ValidatedCBOR
    let offset: Int

    init(input: ValidatedCBOR, offset: Int) {
        self.input = input
        self.offset = offset
    }

    public var text: String? {
        let h = input.head(offset)
        return h.major == 3 ? input.text(h) : nil
    }

    public var int: Int? {
        let h = input.head(offset)
        switch h.major {
        case 0: return h.argument <= UInt64(Int.max) ? Int(h.argument) : nil
        case 1: return h.argument < UInt64(Int.max) ? -1 - Int(h.argument) : nil
        default: return nil
        }
    }

    public var bool: Bool? {
        switch input.base[offset] {
        case 0xF4: return false
        case 0xF5: return true
        default: return nil
        }
    }

    /// A `Date` as ``CBOREncoder`` writes one: tag 1 around epoch seconds.
    public var date: Date? {
        let h = input.head(offset)
        guard h.major == 6, h.argument == 1, let seconds = input.double(h.next) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// True for null and undefined, which `Codable` reads as an absent optional.
    public var isNull: Bool { input.isNull(offset) }

    /// Calls `body` with each element of an array until it returns false; false if this is
    /// not an array or `body` refused an element.
    public func forEachElement(_ body: (CBORItem) -> Bool) -> Bool {
        let h = input.head(offset)
        guard h.major == 4 else { return false }
        var at = h.next
        for _ in 0..<h.argument {
            guard body(CBORItem(input: input, offset: at)) else { return false }
            at = input.skip(at)
        }
        return true
    }

    /// Calls `body` with each key and value of a map until it returns false; false if this is
    /// not a map, a key is not text, or `body` refused a field.
    public func forEachField(_ body: (CBORKey, CBORItem) -> Bool) -> Bool {
        let h = input.head(offset)
        guard h.major == 5 else { return false }
        var at = h.next
        for _ in 0..<h.argument {
            let k = input.head(at)
            guard k.major == 3 else { return false }
            let key = CBORKey(bytes: UnsafeRawBufferPointer(rebasing: input.base[k.next..<k.next + Int(k.argument)]))
            let value = k.next + Int(k.argument)
            guard body(key, CBORItem(input: input, offset: value)) else { return false }
            at = input.skip(value)
        }
        return true
    }
}

/// A map key read in place, matched against literals without making a String:
/// `switch key { case "topic": … }`.
public struct CBORKey {
    let bytes: UnsafeRawBufferPointer

    public static func ~= (pattern: StaticString, key: CBORKey) -> Bool {
        key.bytes.count == pattern.utf8CodeUnitCount
            && (key.bytes.count == 0 || memcmp(key.bytes.baseAddress!, pattern.utf8Start, key.bytes.count) == 0)
    }
}

extension CBORWriter {
    /// A `Date` exactly as ``CBOREncoder`` writes one (tag 1, whole seconds as an integer).
    public mutating func writeDate(_ date: Date) {
        write(EncodingBox.primitive(date)!)
    }

    public mutating func writeBool(_ value: Bool) {
        write(.bool(value))
    }

    /// A map entry's key; keys must be written in deterministic order.
    public mutating func writeKey(_ key: StaticString) {
        writeHead(major: 3, UInt64(key.utf8CodeUnitCount))
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }
}
