import Foundation

/// Reads the envelope's few fields straight from the frame, without building a tree.
/// Unknown keys are skipped with the full, defensive ``CBORReader``.
struct CBORCursor {
    let base: UnsafeRawBufferPointer
    var index = 0

    init(_ base: UnsafeRawBufferPointer) { self.base = base }

    var atEnd: Bool { index >= base.count }

    mutating func head() throws(FrameError) -> (major: UInt8, value: UInt64) {
        guard index < base.count else { throw FrameError("truncated envelope") }
        let initial = base[index]
        index += 1
        let info = initial & 0x1F
        let size: Int
        switch info {
        case 0..<24: return (initial >> 5, UInt64(info))
        case 24: size = 1
        case 25: size = 2
        case 26: size = 4
        case 27: size = 8
        default: throw FrameError("envelope uses an indefinite or reserved length")
        }
        guard base.count - index >= size else { throw FrameError("truncated envelope") }
        var value: UInt64 = 0
        for i in 0..<size { value = value << 8 | UInt64(base[index + i]) }
        index += size
        return (initial >> 5, value)
    }

    private mutating func span(_ length: UInt64) throws(FrameError) -> UnsafeRawBufferPointer {
        guard length <= UInt64(base.count - index) else { throw FrameError("envelope declares more bytes than it has") }
        let slice = UnsafeRawBufferPointer(rebasing: base[index..<index + Int(length)])
        index += Int(length)
        return slice
    }

    mutating func mapCount() throws(FrameError) -> Int {
        let (major, value) = try head()
        guard major == 5, value <= UInt64(base.count) else { throw FrameError("envelope is not a map") }
        return Int(value)
    }

    mutating func text(_ field: String) throws(FrameError) -> String {
        let (major, length) = try head()
        guard major == 3 else { throw FrameError("\(field) is not text") }
        guard let s = String(validating: try span(length), as: UTF8.self) else { throw FrameError("\(field) is not valid UTF-8") }
        return s
    }

    /// A text key compared in place, without making a String.
    mutating func key() throws(FrameError) -> UnsafeRawBufferPointer {
        let (major, length) = try head()
        guard major == 3 else { throw FrameError("envelope key is not text") }
        return try span(length)
    }

    mutating func unsigned(_ field: String) throws(FrameError) -> UInt64 {
        let (major, value) = try head()
        guard major == 0 else { throw FrameError("\(field) is not an unsigned integer") }
        return value
    }

    mutating func bytes(_ field: String) throws(FrameError) -> [UInt8] {
        let (major, length) = try head()
        guard major == 2 else { throw FrameError("\(field) is not a byte string") }
        return [UInt8](try span(length))
    }

    mutating func skip() throws(FrameError) {
        do {
            index += try CBORReader.decodePrefix(UnsafeRawBufferPointer(rebasing: base[index...])).length
        } catch {
            throw FrameError("envelope holds an invalid item: \(error)")
        }
    }
}

@inline(__always)
func equals(_ key: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    key.count == literal.utf8CodeUnitCount && memcmp(key.baseAddress!, literal.utf8Start, key.count) == 0
}
