import Foundation

/// The fast path of ``CBOREncoder``: writes each value straight into one byte buffer, in the
/// order `encode(to:)` produces it, instead of building a tree first.
///
/// Containers are written in place: a one-byte head is reserved when a container opens and
/// completed when it closes (a container closes when its parent, or an ancestor, is written to
/// again, or at the end). On close a map's entries are put in the deterministic order of
/// RFC 8949 §4.2.1, so the bytes are exactly what the tree encoder writes.
///
/// Synthesised and ordinary hand-written `Codable` code writes depth first, which is all this
/// path supports. Anything else — writing to a container after one of its siblings was
/// written, a key given twice, two values for one single-value container, `superEncoder` —
/// marks the attempt as failed, and ``CBOREncoder`` encodes that value again with the tree
/// encoder, which takes any order.
final class StreamEncoding {
    // One encode call owns all of this and no access spans a call into user code, so dynamic
    // exclusivity checks (a fifth of the encoding time) would guard nothing.
    @exclusivity(unchecked) var writer: CBORWriter
    /// Containers still open, outermost first.
    @exclusivity(unchecked) private var open: [StreamSlot] = []
    /// Where each entry of the open maps begins (its key), as a stack shared by all of them.
    @exclusivity(unchecked) private var entryStarts: [Int] = []
    @exclusivity(unchecked) private(set) var failed = false

    init(capacity: Int) {
        writer = CBORWriter(reservingCapacity: capacity)
    }

    func fail() { failed = true }

    /// Closes every container opened inside `parent`, so that the next entry goes after them.
    /// False (and failed) if `parent` itself was closed already.
    func prepareWrite(into parent: StreamSlot) -> Bool {
        if failed { return false }
        guard parent.state == .open else {
            failed = true
            return false
        }
        while let last = open.last, last !== parent { close(last) }
        return !failed
    }

    /// Starts a map entry of `parent`: its key. The value follows.
    func beginEntry(of parent: StreamSlot, key: String) -> Bool {
        guard prepareWrite(into: parent) else { return false }
        parent.count += 1
        entryStarts.append(writer.bytes.count)
        writer.writeText(key)
        return true
    }

    /// Starts an array element of `parent`.
    func beginElement(of parent: StreamSlot) -> Bool {
        guard prepareWrite(into: parent) else { return false }
        parent.count += 1
        return true
    }

    /// Makes `slot` a container written from here on.
    func open(_ slot: StreamSlot, map: Bool) {
        slot.state = .open
        slot.isMap = map
        slot.start = writer.bytes.count
        slot.entryBase = entryStarts.count
        writer.bytes.append(0)  // the head, completed on close
        open.append(slot)
    }

    func finish() -> [UInt8]? {
        while let last = open.last, !failed { close(last) }
        return failed ? nil : writer.bytes
    }

    private func close(_ slot: StreamSlot) {
        open.removeLast()
        slot.state = .closed
        let major: UInt8 = slot.isMap ? 5 : 4
        if slot.isMap && slot.count > 1 { sortEntries(of: slot) }
        entryStarts.removeSubrange(slot.entryBase...)
        if slot.count < 24 {
            writer.bytes[slot.start] = major << 5 | UInt8(slot.count)
        } else {
            var head = CBORWriter(reservingCapacity: 9)
            head.writeHead(major: major, UInt64(slot.count))
            writer.bytes.replaceSubrange(slot.start..<slot.start + 1, with: head.bytes)
        }
    }

    /// Puts a map's entries in order of their encoded keys: shorter text first, then bytewise.
    private func sortEntries(of slot: StreamSlot) {
        let end = writer.bytes.count
        let starts = entryStarts[slot.entryBase...]
        writer.bytes.withUnsafeMutableBytes { buffer in
            func key(_ start: Int) -> UnsafeRawBufferPointer {
                // A key is text this encoder wrote: a head of one, two or three bytes.
                let info = buffer[start] & 0x1F
                switch info {
                case 0..<24: return UnsafeRawBufferPointer(rebasing: buffer[(start + 1)..<(start + 1 + Int(info))])
                case 24: return UnsafeRawBufferPointer(rebasing: buffer[(start + 2)..<(start + 2 + Int(buffer[start + 1]))])
                default:
                    let length = Int(buffer[start + 1]) << 8 | Int(buffer[start + 2])
                    return UnsafeRawBufferPointer(rebasing: buffer[(start + 3)..<(start + 3 + length)])
                }
            }
            func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
                if a.count != b.count { return a.count < b.count }
                return memcmp(a.baseAddress!, b.baseAddress!, a.count) < 0
            }
            func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
                a.count == b.count && memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
            }
            var sorted = true
            var previous = key(starts.first!)
            for s in starts.dropFirst() {
                let k = key(s)
                if !precedes(previous, k) {
                    sorted = false
                    break
                }
                previous = k
            }
            if sorted { return }
            var entries: [(start: Int, end: Int)] = []
            entries.reserveCapacity(starts.count)
            for (i, s) in starts.enumerated() {
                let next = starts.index(starts.startIndex, offsetBy: i + 1)
                entries.append((s, next < starts.endIndex ? starts[next] : end))
            }
            entries.sort { precedes(key($0.start), key($1.start)) }
            for i in entries.indices.dropFirst() where equal(key(entries[i - 1].start), key(entries[i].start)) {
                failed = true  // a key given twice: the tree encoder keeps the last value
                return
            }
            let first = starts.first!
            let copy = [UInt8](UnsafeRawBufferPointer(rebasing: buffer[first..<end]))
            var at = first
            copy.withUnsafeBytes { source in
                for entry in entries {
                    let length = entry.end - entry.start
                    (buffer.baseAddress! + at).copyMemory(from: source.baseAddress! + (entry.start - first), byteCount: length)
                    at += length
                }
            }
        }
    }

    /// Writes a value where the output stands: the whole output, or the entry or element
    /// just begun.
    func encode<T: Encodable>(_ value: T) throws {
        if let item = EncodingBox.primitive(value) {
            writer.write(item)
            return
        }
        let slot = StreamSlot()
        try value.encode(to: StreamEncoder(encoding: self, slot: slot))
        switch slot.state {
        case .empty: writer.writeHead(major: 5, 0)  // no container asked for: an empty map, as the tree encoder
        case .open, .closed, .single: break
        }
    }
}

/// One value's place in the output: nothing yet, a single value, or a container.
final class StreamSlot {
    enum State { case empty, single, open, closed }
    // Touched only by the one encode call that made the slot, never across a call into
    // user code, so dynamic exclusivity checks would guard nothing.
    @exclusivity(unchecked) var state = State.empty
    @exclusivity(unchecked) var isMap = false
    @exclusivity(unchecked) var start = 0
    @exclusivity(unchecked) var count = 0
    @exclusivity(unchecked) var entryBase = 0
}

struct StreamEncoder: Encoder {
    let encoding: StreamEncoding
    let slot: StreamSlot
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        switch slot.state {
        case .empty: encoding.open(slot, map: true)
        case .open where slot.isMap: break
        default: encoding.fail()
        }
        return KeyedEncodingContainer(KeyedStreamEncoder<Key>(encoding: encoding, slot: slot))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        switch slot.state {
        case .empty: encoding.open(slot, map: false)
        case .open where !slot.isMap: break
        default: encoding.fail()
        }
        return UnkeyedStreamEncoder(encoding: encoding, slot: slot)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleStreamEncoder(encoding: encoding, slot: slot)
    }
}

struct KeyedStreamEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoding: StreamEncoding
    let slot: StreamSlot
    var codingPath: [any CodingKey] { [] }

    private func entry(_ key: Key) -> Bool { encoding.beginEntry(of: slot, key: key.stringValue) }
    private func put(_ item: CBOR, _ key: Key) {
        if entry(key) { encoding.writer.write(item) }
    }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws {
        if entry(key) { encoding.writer.writeText(value) }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        if entry(key) { encoding.writer.writeFloat(value) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        if entry(key) { encoding.writer.writeFloat(Double(value)) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.unsigned(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        if entry(key) { try encoding.encode(value) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = StreamSlot()
        if entry(key) { encoding.open(child, map: true) }
        return KeyedEncodingContainer(KeyedStreamEncoder<NestedKey>(encoding: encoding, slot: child))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = StreamSlot()
        if entry(key) { encoding.open(child, map: false) }
        return UnkeyedStreamEncoder(encoding: encoding, slot: child)
    }

    mutating func superEncoder() -> any Encoder {
        encoding.fail()
        return StreamEncoder(encoding: encoding, slot: StreamSlot())
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoding.fail()
        return StreamEncoder(encoding: encoding, slot: StreamSlot())
    }
}

struct UnkeyedStreamEncoder: UnkeyedEncodingContainer {
    let encoding: StreamEncoding
    let slot: StreamSlot
    var codingPath: [any CodingKey] { [] }
    var count: Int { slot.count }

    private func element() -> Bool { encoding.beginElement(of: slot) }
    private func put(_ item: CBOR) {
        if element() { encoding.writer.write(item) }
    }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws {
        if element() { encoding.writer.writeText(value) }
    }
    mutating func encode(_ value: Double) throws {
        if element() { encoding.writer.writeFloat(value) }
    }
    mutating func encode(_ value: Float) throws {
        if element() { encoding.writer.writeFloat(Double(value)) }
    }
    mutating func encode(_ value: Int) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { put(.integer(value)) }
    mutating func encode(_ value: UInt) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { put(.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        if element() { try encoding.encode(value) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = StreamSlot()
        if element() { encoding.open(child, map: true) }
        return KeyedEncodingContainer(KeyedStreamEncoder<NestedKey>(encoding: encoding, slot: child))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = StreamSlot()
        if element() { encoding.open(child, map: false) }
        return UnkeyedStreamEncoder(encoding: encoding, slot: child)
    }

    mutating func superEncoder() -> any Encoder {
        encoding.fail()
        return StreamEncoder(encoding: encoding, slot: StreamSlot())
    }
}

struct SingleStreamEncoder: SingleValueEncodingContainer {
    let encoding: StreamEncoding
    let slot: StreamSlot
    var codingPath: [any CodingKey] { [] }

    /// A single value container holds one value; a second is a use this path does not take.
    private func claim() -> Bool {
        guard slot.state == .empty, !encoding.failed else {
            encoding.fail()
            return false
        }
        slot.state = .single
        return true
    }
    private func put(_ item: CBOR) {
        if claim() { encoding.writer.write(item) }
    }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws {
        if claim() { encoding.writer.writeText(value) }
    }
    mutating func encode(_ value: Double) throws {
        if claim() { encoding.writer.writeFloat(value) }
    }
    mutating func encode(_ value: Float) throws {
        if claim() { encoding.writer.writeFloat(Double(value)) }
    }
    mutating func encode(_ value: Int) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { put(.integer(value)) }
    mutating func encode(_ value: UInt) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { put(.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        if claim() { try encoding.encode(value) }
    }
}
