import Testing
@testable import Wire

/// Refused by the tree reader, by the in-place validator, and by the Codable decoder.
func expectRefused(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(throws: CBORError.self, sourceLocation: sourceLocation) { try CBORReader.decode(bytes) }
    #expect(throws: CBORError.self, sourceLocation: sourceLocation) { try bytes.withUnsafeBytes { try CBORReader.validate($0) } }
    #expect(throws: CBORError.self, sourceLocation: sourceLocation) { try CBORDecoder().decode([String: [Int]].self, from: bytes) }
}

@Suite("Hostile input to the decoder and the framer")
struct HostileInputTests {
    @Test("truncated items are errors", arguments: ["18", "19 03", "1a 00 0f 42", "44 01 02", "62 61", "83 01 02", "a2 01 02 03", "c1", "fb 3f f1"])
    func truncated(_ spaced: String) {
        let bytes = spaced.split(separator: " ").flatMap { s -> [UInt8] in
            stride(from: 0, to: s.count, by: 2).map { UInt8(s.dropFirst($0).prefix(2), radix: 16)! }
        }
        expectRefused(bytes)
    }

    @Test("huge declared lengths with little data fail without allocating")
    func hugeLengths() {
        for head: [UInt8] in [[0x5B], [0x7B], [0x9B], [0xBB]] {
            let bytes = head + [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]
            expectRefused(bytes)
        }
        expectRefused([0x9A, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 100))
    }

    @Test("map keys that are not text (huge integers, floats, negative numbers, tags) match no field and never trap")
    func nonTextKeys() throws {
        struct Message: Codable, Equatable { var a: Int? }
        let keys: [[UInt8]] = [
            [0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],  // 2^64 - 1
            [0xFB, 0x3F, 0xF8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],  // 1.5, whose bits do not fit an Int
            [0x3B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],  // -2^63
            [0x01], [0xC1, 0x00],
        ]
        for key in keys {
            let bytes = [0xA2] + key + [0x00] + [0x61, 0x61, 0x07]  // {key: 0, "a": 7}
            // Refused with an error (a server answers INVALID_ARGUMENT), never a trap: the key's
            // head argument (a float's bits, 2^64 - 1) once went through Int() and stopped the process.
            #expect(throws: DecodingError.self) { try CBORDecoder().decode(Message.self, from: bytes) }
            #expect(throws: DecodingError.self) { try CBORDecoder().decode([String: Int].self, from: bytes) }
        }
    }

    @Test("nesting 10,000 deep is an error, not a stack overflow")
    func deepNesting() {
        let arrays = [UInt8](repeating: 0x81, count: 10_000) + [0x00]
        expectRefused(arrays)
        let tags = [UInt8](repeating: 0xC6, count: 10_000) + [0x00]
        expectRefused(tags)
        let maps = [UInt8]((0..<10_000).flatMap { _ in [0xA1, 0x00] }) + [0x00]
        expectRefused(maps)
    }

    @Test("invalid UTF-8 in text is an error")
    func invalidUTF8() {
        expectRefused([0x62, 0xC3, 0x28])
        expectRefused([0x61, 0xFF])
        expectRefused([0x63, 0xED, 0xA0, 0x80])  // a surrogate
    }

    @Test("indefinite lengths, reserved values, stray breaks and trailing bytes are errors")
    func otherMalformations() {
        for bytes: [UInt8] in [[0x5F, 0xFF], [0x9F, 0x01], [0xBF], [0x1C], [0x3D], [0xFC], [0xFF], [0xF8, 0x10], [0x01, 0x02]] {
            expectRefused(bytes)
        }
    }

    @Test("wrong types decode to errors that name the field")
    func wrongTypes() {
        struct Message: Codable { var id: UInt64; var names: [String] }
        let bytes = CBORWriter.encode(.map([.init(.text("id"), .text("7")), .init(.text("names"), .array([]))]))
        do {
            _ = try CBORDecoder().decode(Message.self, from: bytes)
            Issue.record("decoded")
        } catch {
            #expect(CBORDecoder.describe(error).hasPrefix("id: expected an integer"))
        }
    }

    @Test("random bytes never crash the decoder")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? CBORReader.decode(bytes)
            var frames = FrameBuffer(maxFrameSize: 64)
            frames.write(bytes)
            _ = try? frames.readFrame { RequestEnvelope.decodeOrNil($0) }
        }
    }

    @Test("frames: length 0 and lengths over the limit are refused at the header")
    func frameLimits() throws {
        var zero = FrameBuffer(maxFrameSize: 1024)
        zero.write([0, 0, 0, 0])
        #expect(throws: FrameError.self) { try zero.readFrame { _ in () } }

        var big = FrameBuffer(maxFrameSize: 1024)
        big.write([0, 0, 4, 1])  // 1025, before any body arrives
        #expect(throws: FrameError.self) { try big.readFrame { _ in () } }

        var huge = FrameBuffer()
        huge.write([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: FrameError.self) { try huge.readFrame { _ in () } }
    }

    @Test("frames: a split frame waits for the rest without consuming, then reads whole")
    func splitFrame() throws {
        let frame = RequestEnvelope(id: 9, method: "pulse.x.v1.X/Y", body: [0xA0]).frame()
        var buffer = FrameBuffer()
        for byte in frame.dropLast() {
            buffer.write([byte])
            #expect(try buffer.readFrame { _ in () } == nil)
        }
        buffer.write([frame.last!])
        let decoded = try buffer.readFrame { try RequestEnvelope.decode($0) }
        #expect(decoded == RequestEnvelope(id: 9, method: "pulse.x.v1.X/Y", body: [0xA0]))
        #expect(buffer.bufferedByteCount == 0)
    }

    @Test("frames: many frames in one read come out in order")
    func manyFrames() throws {
        var buffer = FrameBuffer(initialCapacity: 16)
        for i in 0..<100 { buffer.write(ResponseEnvelope(id: UInt64(i), status: 0, body: [UInt8](repeating: 1, count: i)).frame()) }
        var ids: [UInt64] = []
        while let r = try buffer.readFrame({ try ResponseEnvelope.decode($0) }) { ids.append(r.id) }
        #expect(ids == Array(0..<100))
    }
}

extension RequestEnvelope {
    static func decodeOrNil(_ raw: UnsafeRawBufferPointer) -> RequestEnvelope? { try? decode(raw) }
}
