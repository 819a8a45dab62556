import CSHA256
import Foundation
import Testing
@testable import Wire

struct Item: Codable, Equatable {
    var topic: String
    var weight: Double
    var count: Int
    var tags: [String]
    var note: String?
}

struct Report: Codable, Equatable {
    var unit: String
    var when: Date
    var raw: Data
    var items: [Item]
    var nested: [String: Int]
    var flag: Bool
    var small: Int8
    var big: UInt64
}

@Suite("CBOR Codable coder")
struct CodableTests {
    let sample = Report(
        unit: "Kỳ Anh", when: Date(timeIntervalSince1970: 1_751_328_000), raw: Data([0, 1, 255]),
        items: [Item(topic: "đất đai", weight: 0.5, count: -3, tags: ["a", "b"], note: nil),
                Item(topic: "giá cả", weight: 1.1, count: 7, tags: [], note: "x")],
        nested: ["z": 1, "a": 2], flag: true, small: -128, big: .max)

    @Test("round-trips a nested message")
    func roundTrip() throws {
        let bytes = try CBOREncoder().encode(sample)
        #expect(try CBORDecoder().decode(Report.self, from: bytes) == sample)
    }

    @Test("maps types as the wire document says")
    func mapping() throws {
        let item = try CBOREncoder().encodeToItem(sample)
        #expect(item["unit"] == .text("Kỳ Anh"))
        #expect(item["when"] == .tagged(1, .unsigned(1_751_328_000)))
        #expect(item["raw"] == .bytes([0, 1, 255]))
        #expect(item["small"] == .negative(127))
        guard case .array(let items)? = item["items"] else { Issue.record("items not an array"); return }
        #expect(items[0]["note"] == nil, "nil is an absent key")
        #expect(items[0]["count"] == .integer(-3))
        #expect(items[1]["weight"] == .float(1.1))
    }

    @Test("is deterministic: equal values are equal bytes whatever the dictionary order")
    func deterministic() throws {
        var other = sample
        other.nested = [:]
        other.nested["a"] = 2
        other.nested["z"] = 1
        #expect(try CBOREncoder().encode(sample) == CBOREncoder().encode(other))
        #expect(try CBOREncoder().encode(sample) == CBOREncoder().encode(sample))
    }

    @Test("names the failing field's path")
    func errorPath() throws {
        var item = try CBOREncoder().encodeToItem(sample)
        guard case .map(var pairs) = item else { return }
        let i = pairs.firstIndex { $0.key == .text("items") }!
        guard case .array(var items) = pairs[i].value, case .map(var inner) = items[1] else { return }
        inner.removeAll { $0.key == .text("topic") }
        inner.append(.init(.text("topic"), .unsigned(5)))
        items[1] = .map(inner)
        pairs[i] = .init(.text("items"), .array(items))
        item = .map(pairs)
        do {
            _ = try CBORDecoder().decode(Report.self, from: CBORWriter.encode(item))
            Issue.record("decoded a wrong type")
        } catch {
            #expect(CBORDecoder.describe(error) == "items[1].topic: expected text, found an integer")
        }
        let missing = CBOR.map([.init(.text("unit"), .text("x"))])
        do {
            _ = try CBORDecoder().decode(Report.self, from: CBORWriter.encode(missing))
        } catch {
            #expect(CBORDecoder.describe(error).hasSuffix(": required field is missing"))
        }
    }

    @Test("refuses numbers that do not fit the field")
    func ranges() throws {
        let bytes = CBORWriter.encode(.map([.init(.text("v"), .unsigned(300))]))
        struct Small: Codable { var v: UInt8 }
        #expect(throws: DecodingError.self) { try CBORDecoder().decode(Small.self, from: bytes) }
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 test vectors, and lengths around the block boundary")
    func vectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // 55, 56 and 64 bytes need one, two and two padding blocks.
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test("the SHA-extension path and the portable one agree on every length up to 300 bytes and on 100 random messages")
    func hardwareAgreesWithPortable() {
        let portableABC = SHA256.hash(Array("abc".utf8), compress: pulse_sha256_blocks_portable)
        #expect(portableABC == SHA256.hash(Array("abc".utf8)))
        guard pulse_sha256_hardware() == 1 else { return }  // nothing else to compare on a CPU without them
        var generator = SystemRandomNumberGenerator()
        var lengths = Array(0...300)
        for _ in 0..<100 { lengths.append(Int.random(in: 301...5_000, using: &generator)) }
        for length in lengths {
            let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let hardware = SHA256.hash(message, compress: pulse_sha256_blocks_hardware)
            let portable = SHA256.hash(message, compress: pulse_sha256_blocks_portable)
            #expect(hardware == portable, "length \(length)")
            if hardware != portable { break }
        }
    }
}
