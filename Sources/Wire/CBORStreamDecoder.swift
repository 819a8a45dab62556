import Foundation

/// Bytes already checked by ``CBORReader/validate(_:limits:)``, read in place: heads are
/// parsed where they lie and no tree is built. Valid only during one `decode` call.
struct ValidatedCBOR {
    let base: UnsafeRawBufferPointer

    struct Head {
        var major: UInt8
        var info: UInt8
        /// The argument: a count, a length, a value, a tag, or a float's bits.
        var argument: UInt64
        /// Where the content (or the next item) begins.
        var next: Int
    }

    @inline(__always)
    func head(_ at: Int) -> Head {
        let initial = base[at]
        let info = initial & 0x1F
        var h = Head(major: initial >> 5, info: info, argument: UInt64(info), next: at + 1)
        let size: Int
        switch info {
        case 0..<24: return h
        case 24: size = 1
        case 25: size = 2
        case 26: size = 4
        default: size = 8
        }
        var value: UInt64 = 0
        for i in 0..<size { value = value << 8 | UInt64(base[at + 1 + i]) }
        h.argument = value
        h.next = at + 1 + size
        return h
    }

    /// Where the item after the one at `at` begins.
    func skip(_ at: Int) -> Int {
        let h = head(at)
        switch h.major {
        case 2, 3: return h.next + Int(h.argument)
        case 4:
            var i = h.next
            for _ in 0..<h.argument { i = skip(i) }
            return i
        case 5:
            var i = h.next
            for _ in 0..<h.argument { i = skip(skip(i)) }
            return i
        case 6: return skip(h.next)
        default: return h.next
        }
    }

    /// Text the validator has already checked is UTF-8, so it is copied without checking again.
    func text(_ h: Head) -> String {
        let bytes = UnsafeRawBufferPointer(rebasing: base[h.next..<h.next + Int(h.argument)]).assumingMemoryBound(to: UInt8.self)
        return String(copying: UTF8Span(unchecked: bytes.span))
    }

    func isNull(_ at: Int) -> Bool { base[at] == 0xF6 || base[at] == 0xF7 }

    /// What the item is, for error messages (the same words as the tree decoder's).
    func kind(_ at: Int) -> String {
        let h = head(at)
        switch h.major {
        case 0, 1: return "an integer"
        case 2: return "a byte string"
        case 3: return "text"
        case 4: return "an array"
        case 5: return "a map"
        case 6: return "tag \(h.argument)"
        default:
            switch h.info {
            case 20, 21: return "a boolean"
            case 22, 23: return "null"
            case 25, 26, 27: return "a float"
            default: return "a simple value"
            }
        }
    }

    func double(_ at: Int) -> Double? {
        let h = head(at)
        switch (h.major, h.info) {
        case (0, _): return Double(h.argument)
        case (1, _): return -1 - Double(h.argument)
        case (7, 25): return CBORReader.halfToDouble(UInt16(h.argument))
        case (7, 26): return Double(Float(bitPattern: UInt32(h.argument)))
        case (7, 27): return Double(bitPattern: h.argument)
        default: return nil
        }
    }
}

/// A coding path kept as links to parents, turned into an array only for an error.
final class PathNode {
    let parent: PathNode?
    let key: any CodingKey
    init(parent: PathNode?, key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    static func array(_ node: PathNode?, then last: (any CodingKey)? = nil) -> [any CodingKey] {
        var keys: [any CodingKey] = last.map { [$0] } ?? []
        var n = node
        while let current = n {
            keys.append(current.key)
            n = current.parent
        }
        return keys.reversed()
    }
}

/// Decodes the value at one offset. Its own key (if any) is kept apart from its parent's
/// path, so a field needs no allocation for its path unless it opens a container.
struct StreamDecoder: Decoder {
    let input: ValidatedCBOR
    let offset: Int
    let parent: PathNode?
    let key: (any CodingKey)?
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var codingPath: [any CodingKey] { PathNode.array(parent, then: key) }

    private var path: PathNode? { key.map { PathNode(parent: parent, key: $0) } ?? parent }

    func mismatch(_ expected: String, _ type: Any.Type = Any.self) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(input.kind(offset))"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let h = input.head(offset)
        guard h.major == 5 else { throw mismatch("a map") }
        let fields = MapFields(input: input, head: h)
        guard fields.allKeysText else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "map key is not text"))
        }
        return KeyedDecodingContainer(KeyedStreamDecoder<Key>(input: input, fields: fields, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let h = input.head(offset)
        guard h.major == 4 else { throw mismatch("an array") }
        return UnkeyedStreamDecoder(input: input, count: Int(h.argument), cursor: h.next, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Data.self {
            let h = input.head(offset)
            guard h.major == 2 else { throw mismatch("a byte string", type) }
            return Data(UnsafeRawBufferPointer(rebasing: input.base[h.next..<h.next + Int(h.argument)])) as! T
        }
        if type == Date.self {
            let h = input.head(offset)
            guard h.major == 6, h.argument == 1 else { throw mismatch("a date (tag 1)", type) }
            guard let seconds = input.double(h.next) else {
                throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected epoch seconds in tag 1, found \(input.kind(h.next))"))
            }
            return Date(timeIntervalSince1970: seconds) as! T
        }
        if type == URL.self {
            let h = input.head(offset)
            guard h.major == 3, let url = URL(string: input.text(h)) else { throw mismatch("a URL", type) }
            return url as! T
        }
        return try T(from: self)
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let h = input.head(offset)
        switch h.major {
        case 0:
            if let v = T(exactly: h.argument) { return v }
        case 1:
            if h.argument < UInt64(Int64.max), let v = T(exactly: -1 - Int64(h.argument)) { return v }
        default:
            throw mismatch("an integer", type)
        }
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "number does not fit \(type)"))
    }
}

extension StreamDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { input.isNull(offset) }
    func decode(_ type: Bool.Type) throws -> Bool {
        switch input.base[offset] {
        case 0xF5: return true
        case 0xF4: return false
        default: throw mismatch("a boolean", type)
        }
    }
    func decode(_ type: String.Type) throws -> String {
        let h = input.head(offset)
        guard h.major == 3 else { throw mismatch("text", type) }
        return input.text(h)
    }
    func decode(_ type: Double.Type) throws -> Double {
        guard let d = input.double(offset) else { throw mismatch("a number", type) }
        return d
    }
    func decode(_ type: Float.Type) throws -> Float {
        guard let d = input.double(offset) else { throw mismatch("a number", Double.self) }
        return Float(d)
    }
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

/// A map's entries: where each key's bytes and value lie. Lookups start after the last hit,
/// so fields read in their stored order (and dictionaries read through `allKeys`) cost one
/// comparison each.
final class MapFields {
    struct Entry {
        var keyStart: Int
        var keyLength: Int
        var value: Int
    }
    let input: ValidatedCBOR
    // Constants, so reading them needs no dynamic exclusivity check.
    let entries: [Entry]
    let allKeysText: Bool
    @exclusivity(unchecked) private var hint = 0

    init(input: ValidatedCBOR, head: ValidatedCBOR.Head) {
        self.input = input
        var entries: [Entry] = []
        var allKeysText = true
        entries.reserveCapacity(Int(head.argument))
        var at = head.next
        for _ in 0..<head.argument {
            let k = input.head(at)
            if k.major != 3 { allKeysText = false }
            let value = input.skip(at)
            // A key that is not text (an integer, a float, a tag) matches no field name: its
            // length is -1, whatever its head's argument holds (a float's bits do not fit an Int).
            entries.append(Entry(keyStart: k.next, keyLength: k.major == 3 ? Int(k.argument) : -1, value: value))
            at = input.skip(value)
        }
        self.entries = entries
        self.allKeysText = allKeysText
    }

    /// The offset of the value under `key`, if present. (Deterministic CBOR has no key twice;
    /// if a peer sends one twice, which of them is read is not specified.)
    func value(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { utf8 -> Int? in
            let n = entries.count
            guard n > 0 else { return nil }
            var i = hint < n ? hint : 0
            for _ in 0..<n {
                let e = entries[i]
                if e.keyLength == utf8.count
                    && (utf8.count == 0 || memcmp(input.base.baseAddress! + e.keyStart, utf8.baseAddress!, utf8.count) == 0)
                {
                    hint = i + 1
                    return e.value
                }
                i = i + 1 == n ? 0 : i + 1
            }
            return nil
        }
    }

    var keys: [String] {
        entries.filter { $0.keyLength >= 0 }.map {
            String(decoding: UnsafeRawBufferPointer(rebasing: input.base[$0.keyStart..<$0.keyStart + $0.keyLength]), as: UTF8.self)
        }
    }
}

struct KeyedStreamDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let input: ValidatedCBOR
    let fields: MapFields
    let path: PathNode?

    var codingPath: [any CodingKey] { PathNode.array(path) }
    var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { fields.value(key.stringValue) != nil }

    private func missing(_ key: Key) -> DecodingError {
        .keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required field is missing"))
    }

    private func child(_ key: Key) throws -> StreamDecoder {
        guard let at = fields.value(key.stringValue) else { throw missing(key) }
        return StreamDecoder(input: input, offset: at, parent: path, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let at = fields.value(key.stringValue) else { return true }
        return input.isNull(at)
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        guard let at = fields.value(key.stringValue) else { throw missing(key) }
        let h = input.head(at)
        if h.major == 3 { return input.text(h) }
        return try StreamDecoder(input: input, offset: at, parent: path, key: key).decode(type)
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        guard let at = fields.value(key.stringValue) else { throw missing(key) }
        let h = input.head(at)
        if h.major == 0, h.argument <= UInt64(Int.max) { return Int(h.argument) }
        if h.major == 1, h.argument < UInt64(Int.max) { return -1 - Int(h.argument) }
        return try StreamDecoder(input: input, offset: at, parent: path, key: key).decode(type)
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let at = fields.value(key.stringValue), !input.isNull(at) else { return nil }
        let h = input.head(at)
        if h.major == 3 { return input.text(h) }
        return try StreamDecoder(input: input, offset: at, parent: path, key: key).decode(type)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let at = fields.value(key.stringValue), !input.isNull(at) else { return nil }
        return try StreamDecoder(input: input, offset: at, parent: path, key: key).decode(type)
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let at = fields.value(key.stringValue), !input.isNull(at) else { return nil }
        return try StreamDecoder(input: input, offset: at, parent: path, key: key).decodeValue(type)
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
        guard let at = fields.value("super") else {
            throw DecodingError.keyNotFound(IndexKey(0), .init(codingPath: codingPath, debugDescription: "no \"super\" field"))
        }
        return StreamDecoder(input: input, offset: at, parent: path, key: nil)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

struct UnkeyedStreamDecoder: UnkeyedDecodingContainer {
    let input: ValidatedCBOR
    let total: Int
    var cursor: Int
    let path: PathNode?
    var currentIndex = 0

    init(input: ValidatedCBOR, count: Int, cursor: Int, path: PathNode?) {
        self.input = input
        self.total = count
        self.cursor = cursor
        self.path = path
    }

    var codingPath: [any CodingKey] { PathNode.array(path) }
    var count: Int? { total }
    var isAtEnd: Bool { currentIndex >= total }

    private mutating func next() throws -> StreamDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: PathNode.array(path, then: IndexKey(currentIndex)), debugDescription: "array ended early"))
        }
        let decoder = StreamDecoder(input: input, offset: cursor, parent: path, key: IndexKey(currentIndex))
        cursor = input.skip(cursor)
        currentIndex += 1
        return decoder
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, input.isNull(cursor) else { return false }
        cursor += 1
        currentIndex += 1
        return true
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String {
        if !isAtEnd {
            let h = input.head(cursor)
            if h.major == 3 {
                cursor = h.next + Int(h.argument)
                currentIndex += 1
                return input.text(h)
            }
        }
        return try next().decode(type)
    }
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
