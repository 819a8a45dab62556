/// Reads one CBOR data item from untrusted bytes.
///
/// The reader is defensive: every declared length is checked against the bytes that remain
/// before anything is allocated, nesting is bounded, text must be valid UTF-8, and indefinite
/// lengths are refused (Pulse speaks only the deterministic encoding, which forbids them).
public struct CBORReader {
    public struct Limits: Sendable {
        /// How deep arrays, maps and tags may nest.
        public var maxDepth: Int
        public init(maxDepth: Int = 128) { self.maxDepth = maxDepth }
    }

    private let base: UnsafeRawBufferPointer
    private var index: Int
    private let limits: Limits

    private init(_ base: UnsafeRawBufferPointer, limits: Limits) {
        self.base = base
        self.index = 0
        self.limits = limits
    }

    /// Decodes exactly one item spanning all of `bytes`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, limits: Limits = Limits()) throws(CBORError) -> CBOR {
        var reader = CBORReader(bytes, limits: limits)
        let item = try reader.readItem(depth: 0)
        guard reader.index == bytes.count else {
            throw CBORError("\(bytes.count - reader.index) bytes follow the data item", offset: reader.index)
        }
        return item
    }

    /// Decodes the first item of `bytes` and says how many bytes it took.
    public static func decodePrefix(_ bytes: UnsafeRawBufferPointer, limits: Limits = Limits()) throws(CBORError) -> (item: CBOR, length: Int) {
        var reader = CBORReader(bytes, limits: limits)
        let item = try reader.readItem(depth: 0)
        return (item, reader.index)
    }

    /// Checks that `bytes` hold exactly one well-formed item within `limits` (lengths, nesting,
    /// UTF-8, no indefinite lengths), without building anything: afterwards the item can be
    /// read in place with no further checks.
    public static func validate(_ bytes: UnsafeRawBufferPointer, limits: Limits = Limits()) throws(CBORError) {
        var reader = CBORReader(bytes, limits: limits)
        try reader.skipItem(depth: 0)
        guard reader.index == bytes.count else {
            throw CBORError("\(bytes.count - reader.index) bytes follow the data item", offset: reader.index)
        }
    }

    public static func decode(_ bytes: [UInt8], limits: Limits = Limits()) throws(CBORError) -> CBOR {
        do {
            return try bytes.withUnsafeBytes { try decode($0, limits: limits) }
        } catch let error as CBORError {
            throw error
        } catch {
            fatalError("unreachable: \(error)")
        }
    }

    private var remaining: Int { base.count - index }

    private mutating func readByte() throws(CBORError) -> UInt8 {
        guard index < base.count else { throw CBORError("unexpected end of input", offset: index) }
        defer { index += 1 }
        return base[index]
    }

    private mutating func readBigEndian(_ size: Int) throws(CBORError) -> UInt64 {
        guard remaining >= size else { throw CBORError("unexpected end of input", offset: index) }
        var value: UInt64 = 0
        for i in 0..<size { value = (value << 8) | UInt64(base[index + i]) }
        index += size
        return value
    }

    private mutating func readArgument(_ info: UInt8, at start: Int) throws(CBORError) -> UInt64 {
        switch info {
        case 0..<24: return UInt64(info)
        case 24: return try readBigEndian(1)
        case 25: return try readBigEndian(2)
        case 26: return try readBigEndian(4)
        case 27: return try readBigEndian(8)
        case 31: throw CBORError("indefinite-length items are not allowed", offset: start)
        default: throw CBORError("reserved additional information \(info)", offset: start)
        }
    }

    /// A declared length, checked against what remains (each element needs at least `minimumSize` bytes).
    private func checkedLength(_ declared: UInt64, minimumSize: Int, at start: Int) throws(CBORError) -> Int {
        guard declared <= UInt64(remaining / minimumSize) else {
            throw CBORError("declares \(declared) items or bytes but only \(remaining) bytes remain", offset: start)
        }
        return Int(declared)
    }

    /// Reads an item's initial byte, refusing nesting past the limit: where the item starts,
    /// its major type and its additional information.
    private mutating func readInitialByte(depth: Int) throws(CBORError) -> (start: Int, major: UInt8, info: UInt8) {
        let start = index
        guard depth <= limits.maxDepth else {
            throw CBORError("nesting deeper than \(limits.maxDepth)", offset: start)
        }
        let initial = try readByte()
        return (start, initial >> 5, initial & 0x1F)
    }

    private mutating func readItem(depth: Int) throws(CBORError) -> CBOR {
        let (start, major, info) = try readInitialByte(depth: depth)
        if major == 7 { return try readSimple(info, at: start) }
        let argument = try readArgument(info, at: start)
        switch major {
        case 0:
            return .unsigned(argument)
        case 1:
            return .negative(argument)
        case 2:
            let count = try checkedLength(argument, minimumSize: 1, at: start)
            let slice = UnsafeRawBufferPointer(rebasing: base[index..<index + count])
            index += count
            return .bytes([UInt8](slice))
        case 3:
            let count = try checkedLength(argument, minimumSize: 1, at: start)
            let slice = UnsafeRawBufferPointer(rebasing: base[index..<index + count])
            guard let text = String(validating: slice, as: UTF8.self) else {
                throw CBORError("text is not valid UTF-8", offset: start)
            }
            index += count
            return .text(text)
        case 4:
            let count = try checkedLength(argument, minimumSize: 1, at: start)
            var items: [CBOR] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try readItem(depth: depth + 1)) }
            return .array(items)
        case 5:
            let count = try checkedLength(argument, minimumSize: 2, at: start)
            var pairs: [CBOR.Pair] = []
            pairs.reserveCapacity(count)
            for _ in 0..<count {
                let key = try readItem(depth: depth + 1)
                let value = try readItem(depth: depth + 1)
                pairs.append(CBOR.Pair(key, value))
            }
            return .map(pairs)
        default:  // 6: tag
            return .tagged(argument, try readItem(depth: depth + 1))
        }
    }

    /// What `readItem` checks, without building the item.
    private mutating func skipItem(depth: Int) throws(CBORError) {
        let (start, major, info) = try readInitialByte(depth: depth)
        if major == 7 {
            _ = try readSimple(info, at: start)
            return
        }
        let argument = try readArgument(info, at: start)
        switch major {
        case 0, 1:
            return
        case 2:
            index += try checkedLength(argument, minimumSize: 1, at: start)
        case 3:
            let count = try checkedLength(argument, minimumSize: 1, at: start)
            let slice = UnsafeRawBufferPointer(rebasing: base[index..<index + count])
            // ASCII, the common case, needs no decoding; the rest is checked without making a String.
            if !CBORReader.isASCII(slice) {
                guard (try? UTF8Span(validating: slice.assumingMemoryBound(to: UInt8.self).span)) != nil else {
                    throw CBORError("text is not valid UTF-8", offset: start)
                }
            }
            index += count
        case 4:
            let count = try checkedLength(argument, minimumSize: 1, at: start)
            for _ in 0..<count { try skipItem(depth: depth + 1) }
        case 5:
            let count = try checkedLength(argument, minimumSize: 2, at: start)
            for _ in 0..<count {
                try skipItem(depth: depth + 1)
                try skipItem(depth: depth + 1)
            }
        default:  // 6: tag
            try skipItem(depth: depth + 1)
        }
    }

    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n {
            if bytes[i] & 0x80 != 0 { return false }
            i += 1
        }
        return true
    }

    private mutating func readSimple(_ info: UInt8, at start: Int) throws(CBORError) -> CBOR {
        switch info {
        case 0..<20: return .simple(info)
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 23: return .undefined
        case 24:
            let value = try readByte()
            guard value >= 32 else { throw CBORError("simple value \(value) in two bytes", offset: start) }
            return .simple(value)
        case 25:
            let bits = UInt16(try readBigEndian(2))
            return .float(CBORReader.halfToDouble(bits))
        case 26:
            return .float(Double(Float(bitPattern: UInt32(try readBigEndian(4)))))
        case 27:
            return .float(Double(bitPattern: try readBigEndian(8)))
        case 31:
            throw CBORError("unexpected break", offset: start)
        default:
            throw CBORError("reserved simple value \(info)", offset: start)
        }
    }

    /// IEEE 754 half precision to Double, written out so it works where Float16 does not exist.
    static func halfToDouble(_ bits: UInt16) -> Double {
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = Double(bits & 0x3FF)
        let magnitude: Double
        switch exponent {
        case 0: magnitude = mantissa * 0x1p-24
        case 31: magnitude = mantissa == 0 ? .infinity : .nan
        default: magnitude = (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
        return bits & 0x8000 != 0 ? -magnitude : magnitude
    }
}
