import Foundation

/// Decodes `Decodable` values from CBOR written by ``CBOREncoder`` (or any peer that follows
/// the mapping in proto-docs). Errors are `DecodingError`s; ``CBORDecoder/describe(_:)`` turns
/// one into a message that names the failing field's path, such as `items[3].topic`.
public struct CBORDecoder: Sendable {
    public var limits: CBORReader.Limits

    public init(limits: CBORReader.Limits = CBORReader.Limits()) {
        self.limits = limits
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }

    /// Checks the whole input first (``CBORReader/validate(_:limits:)``), then decodes in place.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        try CBORReader.validate(bytes, limits: limits)
        if let fast = T.self as? any CBORFastCodable.Type, let value = fast.init(cbor: CBORItem(input: ValidatedCBOR(base: bytes), offset: 0)) {
            return value as! T
        }
        return try StreamDecoder(input: ValidatedCBOR(base: bytes), offset: 0, parent: nil, key: nil).decodeValue(type)
    }

    public func decode<T: Decodable>(_ type: T.Type, from item: CBOR) throws -> T {
        try CBORDecoderImpl(item: item, codingPath: []).decodeValue(type)
    }

    /// A coding path as a field path: `items[3].topic`.
    public static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let i = key.intValue, key.stringValue == "\(i)" || key.stringValue.hasPrefix("Index") {
                out += "[\(i)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out
    }

    /// A one-line description of a decoding failure that names the field.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let e as CBORError:
            return "body is not valid CBOR: \(e)"
        case DecodingError.keyNotFound(let key, let context):
            let path = CBORDecoder.path(context.codingPath + [key])
            return "\(path): required field is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let path = CBORDecoder.path(context.codingPath)
            return "\(path.isEmpty ? "body" : path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

private func kind(_ item: CBOR) -> String {
    switch item {
    case .unsigned, .negative: return "an integer"
    case .bytes: return "a byte string"
    case .text: return "text"
    case .array: return "an array"
    case .map: return "a map"
    case .tagged(let t, _): return "tag \(t)"
    case .simple: return "a simple value"
    case .bool: return "a boolean"
    case .null, .undefined: return "null"
    case .float: return "a float"
    }
}

struct CBORDecoderImpl: Decoder {
    let item: CBOR
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ expected: String, _ type: Any.Type = Any.self) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(kind(item))"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .map(let pairs) = item else { throw mismatch("a map") }
        for pair in pairs {
            guard case .text = pair.key else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "map key is not text"))
            }
        }
        return KeyedDecodingContainer(KeyedCBORDecoder<Key>(fields: Fields(pairs), codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = item else { throw mismatch("an array") }
        return UnkeyedCBORDecoder(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Data.self {
            guard case .bytes(let b) = item else { throw mismatch("a byte string", type) }
            return Data(b) as! T
        }
        if type == Date.self {
            guard case .tagged(1, let inner) = item else { throw mismatch("a date (tag 1)", type) }
            let seconds: Double
            switch inner {
            case .unsigned(let n): seconds = Double(n)
            case .negative(let n): seconds = -1 - Double(n)
            case .float(let d): seconds = d
            default:
                // Names what is inside the tag, as the streaming decoder does.
                throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected epoch seconds in tag 1, found \(kind(inner))"))
            }
            return Date(timeIntervalSince1970: seconds) as! T
        }
        if type == URL.self {
            guard case .text(let s) = item, let url = URL(string: s) else { throw mismatch("a URL", type) }
            return url as! T
        }
        return try T(from: self)
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch item {
        case .unsigned(let n):
            if let v = T(exactly: n) { return v }
        case .negative(let n):
            if n < UInt64(Int64.max), let v = T(exactly: -1 - Int64(n)) { return v }
        default:
            throw mismatch("an integer", type)
        }
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "number does not fit \(type)"))
    }

    func double() throws -> Double {
        switch item {
        case .float(let d): return d
        case .unsigned(let n): return Double(n)
        case .negative(let n): return -1 - Double(n)
        default: throw mismatch("a number", Double.self)
        }
    }
}

extension CBORDecoderImpl: SingleValueDecodingContainer {
    func decodeNil() -> Bool { item == .null || item == .undefined }
    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = item else { throw mismatch("a boolean", type) }
        return b
    }
    func decode(_ type: String.Type) throws -> String {
        guard case .text(let s) = item else { throw mismatch("text", type) }
        return s
    }
    func decode(_ type: Double.Type) throws -> Double { try double() }
    func decode(_ type: Float.Type) throws -> Float { Float(try double()) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

/// A map's fields by text key: a linear search for the small maps messages are made of, a
/// dictionary for large ones.
struct Fields {
    let pairs: [CBOR.Pair]
    let index: [String: Int]?

    init(_ pairs: [CBOR.Pair]) {
        self.pairs = pairs
        if pairs.count > 16 {
            var index: [String: Int] = [:]
            for (i, pair) in pairs.enumerated() { if case .text(let k) = pair.key { index[k] = i } }
            self.index = index
        } else {
            self.index = nil
        }
    }

    subscript(key: String) -> CBOR? {
        if let index { return index[key].map { pairs[$0].value } }
        for pair in pairs { if case .text(let k) = pair.key, k == key { return pair.value } }
        return nil
    }

    var keys: [String] { pairs.compactMap { if case .text(let k) = $0.key { return k } else { return nil } } }
}

struct KeyedCBORDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: Fields
    let codingPath: [any CodingKey]

    var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

    private func child(_ key: Key) throws -> CBORDecoderImpl {
        guard let value = fields[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required field is missing"))
        }
        return CBORDecoderImpl(item: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = fields[key.stringValue] else { return true }
        return value == .null || value == .undefined
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        if case .bool(let b)? = fields[key.stringValue] { return b }
        return try child(key).decode(type)
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        if case .text(let s)? = fields[key.stringValue] { return s }
        return try child(key).decode(type)
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        switch fields[key.stringValue] {
        case .unsigned(let n)? where n <= UInt64(Int.max): return Int(n)
        case .negative(let n)? where n < UInt64(Int.max): return -1 - Int(n)
        default: return try child(key).decode(type)
        }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        switch fields[key.stringValue] {
        case nil, .null?, .undefined?: return nil
        case .text(let s)?: return s
        default: return try child(key).decode(type)
        }
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try child(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).decode(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decodeValue(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try child(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder {
        CBORDecoderImpl(item: fields["super"] ?? .null, codingPath: codingPath)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

struct UnkeyedCBORDecoder: UnkeyedDecodingContainer {
    let items: [CBOR]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [CBOR], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> CBORDecoderImpl {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "array ended early"))
        }
        defer { currentIndex += 1 }
        return CBORDecoderImpl(item: items[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null || items[currentIndex] == .undefined else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decode(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}
