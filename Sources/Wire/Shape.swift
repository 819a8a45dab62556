import Foundation

/// Describes the shape of a `Decodable` message for reflection, by decoding it once with a
/// decoder that records every field asked for instead of reading data.
///
/// `{code: text, asOf?: date, kinds: [enum(commune|ward)]}`: `?` marks an optional field,
/// `[...]` an array, `enum(...)` a ``WireEnum``'s values.
public enum Shape {
    public static func describe<T: Decodable>(_ type: T.Type) -> String {
        if type == Empty.self { return "{}" }  // it asks its decoder for nothing, not even a map
        let node = ShapeNode()
        do {
            _ = try ShapeDecoder(node: node, depth: 0).decodeValue(type)
        } catch {
            return node.rendered.isEmpty ? "\(type)" : node.rendered
        }
        return node.rendered
    }

    /// A value of `type` with every field filled in: optionals present, one element in every
    /// array, the first value of every enumeration, each scalar's example. For trying a method
    /// and for tests that must reach every field.
    public static func example<T: Decodable>(_ type: T.Type) throws -> T {
        try ShapeDecoder(node: ShapeNode(), depth: 0).decodeValue(type)
    }
}

final class ShapeNode {
    var scalar: String?
    var fields: [(name: String, optional: Bool, node: ShapeNode)] = []
    var isMap = false
    var element: ShapeNode?

    var rendered: String {
        if let scalar { return scalar }
        if let element { return "[\(element.rendered)]" }
        if isMap {
            return "{" + fields.map { "\($0.name)\($0.optional ? "?" : ""): \($0.node.rendered)" }.joined(separator: ", ") + "}"
        }
        return "any"
    }
}

private func enumPlaceholder<E: WireEnum>(_ type: E.Type) -> (Any, String) {
    (E.allCases.first!, "enum(" + E.allCases.map(\.rawValue).joined(separator: "|") + ")")
}

struct ShapeDecoder: Decoder, SingleValueDecodingContainer {
    let node: ShapeNode
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let e = type as? any WireEnum.Type {
            let (value, text) = enumPlaceholder(e)
            node.scalar = text
            return value as! T
        }
        if let scalar = type as? any WireScalar.Type {
            node.scalar = scalar.wireName
            return scalar.wireExample as! T
        }
        switch type {
        case is Data.Type: node.scalar = "bytes"; return Data() as! T
        case is Date.Type: node.scalar = "date"; return Date(timeIntervalSince1970: 0) as! T
        default: break
        }
        guard depth < 12 else {
            node.scalar = "…"
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "recursive shape"))
        }
        return try T(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        node.isMap = true
        return KeyedDecodingContainer(ShapeKeyed<Key>(node: node, depth: depth))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let element = ShapeNode()
        node.element = element
        return ShapeUnkeyed(element: element, depth: depth)
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    private func scalar<T>(_ name: String, _ value: T) -> T {
        node.scalar = name
        return value
    }
    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { scalar("bool", false) }
    func decode(_ type: String.Type) throws -> String { scalar("text", "") }
    func decode(_ type: Double.Type) throws -> Double { scalar("float", 0) }
    func decode(_ type: Float.Type) throws -> Float { scalar("float", 0) }
    func decode(_ type: Int.Type) throws -> Int { scalar("int", 0) }
    func decode(_ type: Int8.Type) throws -> Int8 { scalar("int", 0) }
    func decode(_ type: Int16.Type) throws -> Int16 { scalar("int", 0) }
    func decode(_ type: Int32.Type) throws -> Int32 { scalar("int", 0) }
    func decode(_ type: Int64.Type) throws -> Int64 { scalar("int", 0) }
    func decode(_ type: UInt.Type) throws -> UInt { scalar("uint", 0) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { scalar("uint", 0) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { scalar("uint", 0) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { scalar("uint", 0) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { scalar("uint", 0) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

struct ShapeKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: ShapeNode
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }
    func contains(_ key: Key) -> Bool { true }

    private func field(_ key: Key, optional: Bool) -> ShapeDecoder {
        let child = ShapeNode()
        if let i = node.fields.firstIndex(where: { $0.name == key.stringValue }) {
            node.fields[i] = (key.stringValue, optional, child)
        } else {
            node.fields.append((key.stringValue, optional, child))
        }
        return ShapeDecoder(node: child, depth: depth + 1)
    }

    func decodeNil(forKey key: Key) throws -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try field(key, optional: false).decodeValue(type)
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try field(key, optional: true).decodeValue(type)
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try field(key, optional: false).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try field(key, optional: false).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try field(key, optional: false).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try field(key, optional: false).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try field(key, optional: false).decode(type) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try field(key, optional: true).decode(type) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try field(key, optional: true).decode(type) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try field(key, optional: true).decode(type) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try field(key, optional: true).decode(type) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try field(key, optional: true).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try field(key, optional: false).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try field(key, optional: false).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder { ShapeDecoder(node: node, depth: depth) }
    func superDecoder(forKey key: Key) throws -> any Decoder { field(key, optional: false) }
}

struct ShapeUnkeyed: UnkeyedDecodingContainer {
    let element: ShapeNode
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    init(element: ShapeNode, depth: Int) {
        self.element = element
        self.depth = depth
    }

    private mutating func next() -> ShapeDecoder {
        currentIndex += 1
        return ShapeDecoder(node: element, depth: depth + 1)
    }
    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decode(type) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { next() }
}
