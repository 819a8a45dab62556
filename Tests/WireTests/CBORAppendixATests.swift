import Testing
@testable import Wire

private func hex(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(s)
    if chars.count % 2 == 1 { chars.insert("0", at: 0) }
    for i in stride(from: 0, to: chars.count, by: 2) { out.append(UInt8(String(chars[i...i + 1]), radix: 16)!) }
    return out
}

/// RFC 8949 Appendix A: every example that the deterministic encoding produces, in both directions.
private let roundTrips: [(CBOR, String)] = [
    (.unsigned(0), "00"), (.unsigned(1), "01"), (.unsigned(10), "0a"), (.unsigned(23), "17"), (.unsigned(24), "1818"),
    (.unsigned(25), "1819"), (.unsigned(100), "1864"), (.unsigned(1000), "1903e8"), (.unsigned(1_000_000), "1a000f4240"),
    (.unsigned(1_000_000_000_000), "1b000000e8d4a51000"), (.unsigned(18_446_744_073_709_551_615), "1bffffffffffffffff"),
    (.tagged(2, .bytes(hex("010000000000000000"))), "c249010000000000000000"),
    (.negative(18_446_744_073_709_551_615), "3bffffffffffffffff"),
    (.tagged(3, .bytes(hex("010000000000000000"))), "c349010000000000000000"),
    (.integer(-1), "20"), (.integer(-10), "29"), (.integer(-100), "3863"), (.integer(-1000), "3903e7"),
    (.float(0.0), "f90000"), (.float(-0.0), "f98000"), (.float(1.0), "f93c00"), (.float(1.1), "fb3ff199999999999a"),
    (.float(1.5), "f93e00"), (.float(65504.0), "f97bff"), (.float(100000.0), "fa47c35000"),
    (.float(3.4028234663852886e+38), "fa7f7fffff"), (.float(1.0e+300), "fb7e37e43c8800759c"),
    (.float(5.960464477539063e-8), "f90001"), (.float(0.00006103515625), "f90400"), (.float(-4.0), "f9c400"),
    (.float(-4.1), "fbc010666666666666"), (.float(.infinity), "f97c00"), (.float(-.infinity), "f9fc00"),
    (.bool(false), "f4"), (.bool(true), "f5"), (.null, "f6"), (.undefined, "f7"), (.simple(16), "f0"),
    (.simple(255), "f8ff"),
    (.tagged(0, .text("2013-03-21T20:04:00Z")), "c074323031332d30332d32315432303a30343a30305a"),
    (.tagged(1, .unsigned(1_363_896_240)), "c11a514b67b0"), (.tagged(1, .float(1363896240.5)), "c1fb41d452d9ec200000"),
    (.tagged(23, .bytes(hex("01020304"))), "d74401020304"), (.tagged(24, .bytes(hex("6449455446"))), "d818456449455446"),
    (.tagged(32, .text("http://www.example.com")), "d82076687474703a2f2f7777772e6578616d706c652e636f6d"),
    (.bytes([]), "40"), (.bytes(hex("01020304")), "4401020304"), (.text(""), "60"), (.text("a"), "6161"),
    (.text("IETF"), "6449455446"), (.text("\"\\"), "62225c"), (.text("\u{00fc}"), "62c3bc"), (.text("\u{6c34}"), "63e6b0b4"),
    (.text("\u{10151}"), "64f0908591"), (.array([]), "80"), (.array([.unsigned(1), .unsigned(2), .unsigned(3)]), "83010203"),
    (.array([.unsigned(1), .array([.unsigned(2), .unsigned(3)]), .array([.unsigned(4), .unsigned(5)])]), "8301820203820405"),
    (.array((1...25).map { .unsigned($0) }), "98190102030405060708090a0b0c0d0e0f101112131415161718181819"),
    (.map([]), "a0"), (.map([.init(.unsigned(1), .unsigned(2)), .init(.unsigned(3), .unsigned(4))]), "a201020304"),
    (.map([.init(.text("a"), .unsigned(1)), .init(.text("b"), .array([.unsigned(2), .unsigned(3)]))]), "a26161016162820203"),
    (.array([.text("a"), .map([.init(.text("b"), .text("c"))])]), "826161a161626163"),
    (
        .map(["a", "b", "c", "d", "e"].map { .init(.text($0), .text($0.uppercased())) }),
        "a56161614161626142616361436164614461656145"
    ),
]

@Suite("CBOR: RFC 8949 Appendix A")
struct CBORAppendixATests {
    @Test("encodes each example to its bytes", arguments: roundTrips.indices)
    func encodes(_ i: Int) {
        let (item, expected) = roundTrips[i]
        #expect(CBORWriter.encode(item) == hex(expected), "example \(expected)")
    }

    @Test("decodes each example's bytes to its value", arguments: roundTrips.indices)
    func decodes(_ i: Int) throws {
        let (item, bytes) = roundTrips[i]
        let decoded = try CBORReader.decode(hex(bytes))
        if case .float(let d) = item, d == 0 {
            guard case .float(let e) = decoded else { Issue.record("not a float"); return }
            #expect(e.bitPattern == d.bitPattern)
        } else {
            #expect(decoded == item, "example \(bytes)")
        }
    }

    @Test("decodes the non-shortest float forms and NaN")
    func decodesOtherFloats() throws {
        #expect(try CBORReader.decode(hex("fa7f800000")) == .float(.infinity))
        #expect(try CBORReader.decode(hex("fb7ff0000000000000")) == .float(.infinity))
        #expect(try CBORReader.decode(hex("faff800000")) == .float(-.infinity))
        for nan in ["f97e00", "fa7fc00000", "fb7ff8000000000000"] {
            guard case .float(let d) = try CBORReader.decode(hex(nan)) else { Issue.record("not a float"); continue }
            #expect(d.isNaN)
        }
        #expect(CBORWriter.encode(.float(.nan)) == hex("f97e00"))
    }

    @Test("refuses the indefinite-length examples, which the deterministic profile forbids")
    func refusesIndefinite() {
        for example in ["5f42010243030405ff", "7f657374726561646d696e67ff", "9fff", "9f018202039f0405ffff", "bf61610161629f0203ffff"] {
            #expect(throws: CBORError.self) { try CBORReader.decode(hex(example)) }
        }
    }

    @Test("sorts map keys by their encoded bytes")
    func sortsKeys() {
        let map = CBOR.map([
            .init(.text("bb"), .unsigned(1)), .init(.text("a"), .unsigned(2)), .init(.unsigned(10), .unsigned(3)),
            .init(.integer(-1), .unsigned(4)), .init(.text("b"), .unsigned(5)),
        ])
        // 0a < 20 < 6161 < 6162 < 626262
        #expect(CBORWriter.encode(map) == hex("a50a03200461610261620562626201"))
    }
}
