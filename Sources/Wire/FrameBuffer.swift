/// A frame that breaks the wire rules; the connection that sent it is closed.
public struct FrameError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The receive side of the framing: bytes go in as they arrive, whole frames come out.
///
/// A frame is a 4-byte unsigned big-endian length N followed by N bytes. N = 0 or N above
/// `maxFrameSize` is refused as soon as the four length bytes are in, before any of the body
/// is buffered. Frames are handed out as views into the buffer, never copied. This is an
/// I/O-free state machine: the caller reads from its socket in ``write(minimum:_:)``, straight
/// into the buffer's free space.
public struct FrameBuffer {
    public static let defaultMaxFrameSize = 4 << 20

    public let maxFrameSize: Int
    private var storage: [UInt8]
    private var readIndex = 0
    private var writeIndex = 0

    public init(maxFrameSize: Int = FrameBuffer.defaultMaxFrameSize, initialCapacity: Int = 16 << 10) {
        self.maxFrameSize = maxFrameSize
        self.storage = [UInt8](repeating: 0, count: initialCapacity)
    }

    /// How many received bytes have not yet been handed out as frames.
    public var bufferedByteCount: Int { writeIndex - readIndex }

    /// Lets `fill` write up to the free space at the end of the buffer, growing or compacting
    /// first so that at least `minimum` bytes are free; `fill` returns how many it wrote.
    public mutating func write(minimum: Int = 4096, _ fill: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> Int {
        if storage.count - writeIndex < minimum {
            if readIndex > 0 {
                let pending = writeIndex - readIndex
                if pending > 0 {
                    storage.withUnsafeMutableBytes { raw in
                        raw.baseAddress!.copyMemory(from: raw.baseAddress! + readIndex, byteCount: pending)
                    }
                }
                readIndex = 0
                writeIndex = pending
            }
            if storage.count - writeIndex < minimum {
                // Doubling as bytes arrive, but never past what one incomplete frame and one
                // read can need: a peer that declares a large frame and sends it slowly holds
                // only what it has sent.
                let ceiling = max(maxFrameSize + 4 + minimum, writeIndex + minimum)
                let grown = min(max(writeIndex + minimum, storage.count * 2), ceiling)
                storage += [UInt8](repeating: 0, count: grown - storage.count)
            }
        }
        let start = writeIndex
        let written = try storage.withUnsafeMutableBytes { raw in
            try fill(UnsafeMutableRawBufferPointer(rebasing: raw[start...]))
        }
        writeIndex += max(0, written)
        return written
    }

    public mutating func write(_ bytes: some Collection<UInt8>) {
        _ = write(minimum: bytes.count) { free in
            free.copyBytes(from: bytes)
            return bytes.count
        }
    }

    /// Hands the next complete frame's body to `body` and consumes it; returns nil, consuming
    /// nothing, while the frame is incomplete.
    public mutating func readFrame<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        let available = writeIndex - readIndex
        guard available >= 4 else { return nil }
        let length = storage.withUnsafeBytes { raw in
            (Int(raw[readIndex]) << 24) | (Int(raw[readIndex + 1]) << 16) | (Int(raw[readIndex + 2]) << 8)
                | Int(raw[readIndex + 3])
        }
        guard length > 0 else { throw FrameError("frame of length 0") }
        guard length <= maxFrameSize else {
            throw FrameError("frame of \(length) bytes exceeds the limit of \(maxFrameSize)")
        }
        guard available >= 4 + length else { return nil }
        let start = readIndex + 4
        let result = try storage.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<start + length]))
        }
        readIndex = start + length
        if readIndex == writeIndex {
            readIndex = 0
            writeIndex = 0
        }
        return result
    }
}

extension CBORWriter {
    /// Writes one frame: the 4-byte big-endian length, then what `fill` writes.
    public static func frame(capacity: Int = 128, _ fill: (inout CBORWriter) -> Void) -> [UInt8] {
        var writer = CBORWriter(reservingCapacity: capacity)
        writer.bytes.append(contentsOf: [0, 0, 0, 0])
        fill(&writer)
        let length = writer.bytes.count - 4
        writer.bytes[0] = UInt8(truncatingIfNeeded: length >> 24)
        writer.bytes[1] = UInt8(truncatingIfNeeded: length >> 16)
        writer.bytes[2] = UInt8(truncatingIfNeeded: length >> 8)
        writer.bytes[3] = UInt8(truncatingIfNeeded: length)
        return writer.bytes
    }
}
