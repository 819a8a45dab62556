import Foundation

/// Encodes `Encodable` values as deterministic CBOR: keyed containers as maps with text keys,
/// unkeyed as arrays, integers as CBOR integers, floating point as floats, `Data` as byte
/// strings, `Date` as tag 1 (epoch seconds), and `nil` as an absent key.
public struct CBOREncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let fast = value as? any CBORFastCodable {
            var writer = CBORWriter(reservingCapacity: 512)
            fast.writeCBOR(to: &writer)
            return writer.bytes
        }
        let stream = StreamEncoding(capacity: 256)
        try stream.encode(value)
        if let bytes = stream.finish() { return bytes }
        // Written in an order the streaming path does not follow: build the tree instead.
        let root = EncodingNode()
        try EncodingBox.encode(value, into: root, codingPath: [])
        var writer = CBORWriter(reservingCapacity: 256)
        root.write(to: &writer)
        return writer.bytes
    }

    public func encodeToItem<T: Encodable>(_ value: T) throws -> CBOR {
        let root = EncodingNode()
        try EncodingBox.encode(value, into: root, codingPath: [])
        return root.item
    }
}

/// A slot in the tree being built; containers fill it in place so nested containers
/// can be written after their parent was handed out.
final class EncodingNode {
    enum Content {
        case empty
        case item(CBOR)
        case map([(String, EncodingNode)])
        case array([EncodingNode])
    }
    var content: Content = .empty

    /// Writes the tree as deterministic CBOR without building a `CBOR` value first.
    func write(to writer: inout CBORWriter) {
        switch content {
        case .empty: writer.writeHead(major: 5, 0)
        case .item(let item): writer.write(item)
        case .map(let entries):
            writer.writeHead(major: 5, UInt64(entries.count))
            let sorted = entries.count < 2 ? entries : entries.sorted { a, b in
                let x = a.0.utf8, y = b.0.utf8
                return x.count != y.count ? x.count < y.count : x.lexicographicallyPrecedes(y)
            }
            for (key, node) in sorted {
                writer.writeText(key)
                node.write(to: &writer)
            }
        case .array(let nodes):
            writer.writeHead(major: 4, UInt64(nodes.count))
            for node in nodes { node.write(to: &writer) }
        }
    }

    var item: CBOR {
        switch content {
        case .empty: return .map([])
        case .item(let item): return item
        case .map(let entries): return .map(entries.map { CBOR.Pair(.text($0.0), $0.1.item) })
        case .array(let nodes): return .array(nodes.map(\.item))
        }
    }
}

enum EncodingBox {
    /// Types with a mapping of their own; compared by type, not cast, to keep the common path cheap.
    static func primitive<T: Encodable>(_ value: T) -> CBOR? {
        if T.self == Data.self { return .bytes([UInt8](value as! Data)) }
        if T.self == Date.self {
            let seconds = (value as! Date).timeIntervalSince1970
            if seconds.rounded() == seconds, abs(seconds) < 9.0e15 { return .tagged(1, .integer(Int64(seconds))) }
            return .tagged(1, .float(seconds))
        }
        if T.self == URL.self { return .text((value as! URL).absoluteString) }
        return nil
    }

    static func encode<T: Encodable>(_ value: T, into node: EncodingNode, codingPath: [any CodingKey]) throws {
        if let item = primitive(value) {
            node.content = .item(item)
            return
        }
        try value.encode(to: CBOREncoderImpl(node: node, codingPath: codingPath))
    }
}

struct CBOREncoderImpl: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .map = node.content {} else { node.content = .map([]) }
        return KeyedEncodingContainer(KeyedCBOREncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return UnkeyedCBOREncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleCBOREncoder(node: node, codingPath: codingPath)
    }
}

private func integerItem<T: BinaryInteger>(_ v: T) -> CBOR {
    v >= 0 ? .unsigned(UInt64(v)) : .negative(UInt64(-1 - Int64(v)))
}

struct KeyedCBOREncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func slot(_ key: Key) -> EncodingNode {
        let child = EncodingNode()
        guard case .map(var entries) = node.content else { fatalError("keyed container over a non-map node") }
        node.content = .empty  // release the array so the append below does not copy it
        if let i = entries.firstIndex(where: { $0.0 == key.stringValue }) {
            entries[i].1 = child
        } else {
            entries.append((key.stringValue, child))
        }
        node.content = .map(entries)
        return child
    }

    private func put(_ item: CBOR, _ key: Key) { slot(key).content = .item(item) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.text(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(.float(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(.float(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(integerItem(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(integerItem(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(integerItem(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(integerItem(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(integerItem(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.unsigned(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try EncodingBox.encode(value, into: slot(key), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = slot(key)
        child.content = .map([])
        return KeyedEncodingContainer(KeyedCBOREncoder<NestedKey>(node: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = slot(key)
        child.content = .array([])
        return UnkeyedCBOREncoder(node: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        CBOREncoderImpl(node: slot(Key(stringValue: "super")!), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        CBOREncoderImpl(node: slot(key), codingPath: codingPath)
    }
}

struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

struct UnkeyedCBOREncoder: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let nodes) = node.content { return nodes.count }
        return 0
    }

    private func next() -> EncodingNode {
        let child = EncodingNode()
        guard case .array(var nodes) = node.content else { fatalError("unkeyed container over a non-array node") }
        node.content = .empty
        nodes.append(child)
        node.content = .array(nodes)
        return child
    }

    private func put(_ item: CBOR) { next().content = .item(item) }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.text(value)) }
    mutating func encode(_ value: Double) throws { put(.float(value)) }
    mutating func encode(_ value: Float) throws { put(.float(Double(value))) }
    mutating func encode(_ value: Int) throws { put(integerItem(value)) }
    mutating func encode(_ value: Int8) throws { put(integerItem(value)) }
    mutating func encode(_ value: Int16) throws { put(integerItem(value)) }
    mutating func encode(_ value: Int32) throws { put(integerItem(value)) }
    mutating func encode(_ value: Int64) throws { put(integerItem(value)) }
    mutating func encode(_ value: UInt) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { put(.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try EncodingBox.encode(value, into: next(), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = next()
        child.content = .map([])
        return KeyedEncodingContainer(KeyedCBOREncoder<NestedKey>(node: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = next()
        child.content = .array([])
        return UnkeyedCBOREncoder(node: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        CBOREncoderImpl(node: next(), codingPath: codingPath)
    }
}

struct SingleCBOREncoder: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func put(_ item: CBOR) { node.content = .item(item) }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.text(value)) }
    mutating func encode(_ value: Double) throws { put(.float(value)) }
    mutating func encode(_ value: Float) throws { put(.float(Double(value))) }
    mutating func encode(_ value: Int) throws { put(integerItem(value)) }
    mutating func encode(_ value: Int8) throws { put(integerItem(value)) }
    mutating func encode(_ value: Int16) throws { put(integerItem(value)) }
    mutating func encode(_ value: Int32) throws { put(integerItem(value)) }
    mutating func encode(_ value: Int64) throws { put(integerItem(value)) }
    mutating func encode(_ value: UInt) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { put(.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try EncodingBox.encode(value, into: node, codingPath: codingPath)
    }
}
