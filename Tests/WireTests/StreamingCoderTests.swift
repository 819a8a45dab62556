import Foundation
import Testing
@testable import Wire

/// The coder writes and reads in place (the streaming path) and keeps the tree coder for what
/// the streaming path does not take; these tests hold the two to the same bytes and values.
@Suite("CBOR coder: streaming and tree paths agree")
struct StreamingCoderTests {
    /// The tree encoder's bytes for a value.
    func treeBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        CBORWriter.encode(try CBOREncoder().encodeToItem(value))
    }

    func randomText(_ g: inout some RandomNumberGenerator) -> String {
        let alphabet = Array("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặ0123456789 _-")
        return String((0..<Int.random(in: 0...40, using: &g)).map { _ in alphabet.randomElement(using: &g)! })
    }

    @Test("random messages: the same bytes as the tree encoder, and decoded back equal")
    func randomMessages() throws {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let items = (0..<Int.random(in: 0...30, using: &g)).map { _ in
                Item(
                    topic: randomText(&g), weight: Double.random(in: -1e6...1e6, using: &g), count: Int.random(in: Int.min...Int.max, using: &g),
                    tags: (0..<Int.random(in: 0...3, using: &g)).map { _ in randomText(&g) }, note: Bool.random(using: &g) ? randomText(&g) : nil)
            }
            // Maps of 0 to 300 entries: heads of one, two and three bytes, keys of many lengths.
            var nested: [String: Int] = [:]
            for _ in 0..<[0, 1, 23, 24, 25, 300].randomElement(using: &g)! { nested[randomText(&g)] = Int.random(in: -1000...1000, using: &g) }
            let report = Report(
                unit: randomText(&g), when: Date(timeIntervalSince1970: Double(Int.random(in: 0...2_000_000_000, using: &g))),
                raw: Data((0..<Int.random(in: 0...300, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }),
                items: items, nested: nested, flag: Bool.random(using: &g), small: Int8.random(in: .min ... .max, using: &g), big: UInt64.random(in: 0...UInt64.max, using: &g))
            let bytes = try CBOREncoder().encode(report)
            #expect(bytes == (try treeBytes(report)))
            #expect(try CBORDecoder().decode(Report.self, from: bytes) == report)
            #expect(try CBORDecoder().decode(Report.self, from: CBORReader.decode(bytes)) == report)
        }
    }

    /// Written in orders the streaming path does not take; the tree encoder must take over.
    struct Unusual: Encodable {
        enum Keys: String, CodingKey { case a, b, c, zz }
        var variant: Int
        func encode(to encoder: any Encoder) throws {
            var outer = encoder.container(keyedBy: Keys.self)
            switch variant {
            case 0:  // a nested container written to after a sibling entry
                var inner = outer.nestedContainer(keyedBy: Keys.self, forKey: .a)
                try outer.encode(1, forKey: .b)
                try inner.encode("late", forKey: .c)
            case 1:  // a key given twice: the last value stands
                try outer.encode(1, forKey: .zz)
                try outer.encode(2, forKey: .a)
                try outer.encode(3, forKey: .zz)
            case 2:  // a super encoder
                try outer.encode(1, forKey: .a)
                var single = outer.superEncoder(forKey: .b).singleValueContainer()
                try single.encode("via super")
            default:  // an unkeyed container appended to after its sibling was written
                var list = outer.nestedUnkeyedContainer(forKey: .a)
                try list.encode(1)
                try outer.encode(true, forKey: .b)
                try list.encode(2)
            }
        }
    }

    @Test("values written out of order fall back to the tree encoder", arguments: 0..<4)
    func unusualOrders(_ variant: Int) throws {
        let value = Unusual(variant: variant)
        let bytes = try CBOREncoder().encode(value)
        #expect(bytes == (try treeBytes(value)))
        try bytes.withUnsafeBytes { try CBORReader.validate($0) }
    }

    /// Types with single-value encodings, a second container request, and nothing at all.
    struct Shapes: Codable, Equatable {
        enum Color: String, Codable { case red, green }
        struct Nothing: Codable, Equatable {
            init() {}
            init(from decoder: any Decoder) throws {}
            func encode(to encoder: any Encoder) throws {}
        }
        var color: Color
        var colors: [Color]
        var optionalColor: Color?
        var nothing: Nothing
        var url: URL
        var matrix: [[Int]]
        var floats: [Double]
    }

    @Test("single values, enums, empty encodings, URLs and nested arrays")
    func shapes() throws {
        let value = Shapes(
            color: .green, colors: [.red, .green], optionalColor: nil, nothing: .init(), url: URL(string: "https://example.vn/a?b=c")!,
            matrix: [[], [1], [2, 3]], floats: [0, -0.0, 1.5, 65504, 1e300, .infinity, 0.1])
        let bytes = try CBOREncoder().encode(value)
        #expect(bytes == (try treeBytes(value)))
        #expect(try CBORDecoder().decode(Shapes.self, from: bytes) == value)
        #expect(try CBOREncoder().encode("plain") == [0x65] + Array("plain".utf8))
        #expect(try CBOREncoder().encode(Shapes.Nothing()) == [0xA0])
    }

    @Test("hostile input is refused by the in-place validator as by the tree reader")
    func validatorAgrees() {
        var g = SystemRandomNumberGenerator()
        let valid = try! CBOREncoder().encode(Item(topic: "đất đai", weight: 2.5, count: -7, tags: ["x", "yz"], note: "n"))
        for _ in 0..<20_000 {
            // Mutations of a valid message, and random bytes.
            var bytes = valid
            if Bool.random(using: &g) {
                for _ in 0..<Int.random(in: 1...3, using: &g) { bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g) }
                if Bool.random(using: &g) { bytes.removeLast(Int.random(in: 0...bytes.count, using: &g)) }
            } else {
                bytes = (0..<Int.random(in: 0...24, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            }
            let treeOK = (try? CBORReader.decode(bytes)) != nil
            let validOK = (try? bytes.withUnsafeBytes { try CBORReader.validate($0) }) != nil
            #expect(treeOK == validOK, "bytes \(bytes)")
            // Both decoders give the same value (compared as bytes, since NaN is not equal to
            // itself) or both fail.
            let streamed = (try? CBORDecoder().decode(Item.self, from: bytes)).map { try? CBOREncoder().encode($0) }
            let tree = (try? CBORReader.decode(bytes)).flatMap { try? CBORDecoder().decode(Item.self, from: $0) }.map { try? CBOREncoder().encode($0) }
            #expect(streamed == tree, "bytes \(bytes)")
        }
    }

    @Test("errors name the field's path through arrays and nested maps")
    func errorPaths() throws {
        struct Outer: Codable { var rows: [[String: Inner]] }
        struct Inner: Codable { var values: [UInt8] }
        let bytes = CBORWriter.encode(.map([.init(.text("rows"), .array([
            .map([]),
            .map([.init(.text("k"), .map([.init(.text("values"), .array([.unsigned(1), .unsigned(256)]))]))]),
        ]))]))
        do {
            _ = try CBORDecoder().decode(Outer.self, from: bytes)
            Issue.record("decoded 256 into UInt8")
        } catch {
            #expect(CBORDecoder.describe(error) == "rows[1].k.values[1]: number does not fit UInt8")
        }
    }
}
