/// Writes CBOR items in the deterministic encoding of RFC 8949 §4.2.1: shortest heads,
/// definite lengths, map keys sorted by their encoded bytes, and floats in the shortest
/// form that keeps their value.
public struct CBORWriter {
    public internal(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public static func encode(_ item: CBOR) -> [UInt8] {
        var writer = CBORWriter()
        writer.write(item)
        return writer.bytes
    }

    public mutating func writeHead(major: UInt8, _ value: UInt64) {
        let m = major << 5
        switch value {
        case 0..<24:
            bytes.append(m | UInt8(value))
        case 24...0xFF:
            bytes.append(m | 24)
            bytes.append(UInt8(value))
        case 0x100...0xFFFF:
            bytes.append(m | 25)
            appendBigEndian(UInt16(value))
        case 0x1_0000...0xFFFF_FFFF:
            bytes.append(m | 26)
            appendBigEndian(UInt32(value))
        default:
            bytes.append(m | 27)
            appendBigEndian(value)
        }
    }

    @inline(__always)
    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        var be = value.bigEndian
        withUnsafeBytes(of: &be) { bytes.append(contentsOf: $0) }
    }

    public mutating func writeText(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            writeHead(major: 3, UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func writeBytes<C: Collection>(_ data: C) where C.Element == UInt8 {
        writeHead(major: 2, UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    public mutating func writeFloat(_ value: Double) {
        if value.isNaN {
            bytes.append(contentsOf: [0xF9, 0x7E, 0x00])
            return
        }
        #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        let half = Float16(value)
        if Double(half) == value {
            bytes.append(0xF9)
            appendBigEndian(half.bitPattern)
            return
        }
        #endif
        let single = Float(value)
        if Double(single) == value {
            bytes.append(0xFA)
            appendBigEndian(single.bitPattern)
            return
        }
        bytes.append(0xFB)
        appendBigEndian(value.bitPattern)
    }

    public mutating func write(_ item: CBOR) {
        switch item {
        case .unsigned(let n): writeHead(major: 0, n)
        case .negative(let n): writeHead(major: 1, n)
        case .bytes(let b): writeBytes(b)
        case .text(let s): writeText(s)
        case .array(let items):
            writeHead(major: 4, UInt64(items.count))
            for element in items { write(element) }
        case .map(let pairs):
            writeHead(major: 5, UInt64(pairs.count))
            for pair in CBORWriter.sortedDeterministically(pairs) {
                write(pair.key)
                write(pair.value)
            }
        case .tagged(let tag, let inner):
            writeHead(major: 6, tag)
            write(inner)
        case .simple(let v):
            if v < 24 {
                bytes.append(0xE0 | v)
            } else {
                bytes.append(0xF8)
                bytes.append(v)
            }
        case .bool(let b): bytes.append(b ? 0xF5 : 0xF4)
        case .null: bytes.append(0xF6)
        case .undefined: bytes.append(0xF7)
        case .float(let d): writeFloat(d)
        }
    }

    /// Map pairs in RFC 8949 §4.2.1 order: bytewise lexicographic order of the encoded keys.
    /// Text keys (the common case) compare without encoding: a shorter text has a smaller head.
    static func sortedDeterministically(_ pairs: [CBOR.Pair]) -> [CBOR.Pair] {
        if pairs.count < 2 { return pairs }
        return pairs.sorted { a, b in
            if case .text(let x) = a.key, case .text(let y) = b.key {
                let xu = x.utf8, yu = y.utf8
                if xu.count != yu.count { return xu.count < yu.count }
                return xu.lexicographicallyPrecedes(yu)
            }
            return CBORWriter.encode(a.key).lexicographicallyPrecedes(CBORWriter.encode(b.key))
        }
    }
}
