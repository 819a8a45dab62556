import CSHA256

/// SHA-256 (FIPS 180-4), for content hashes of deterministic CBOR (idempotency, dedup).
public struct SHA256 {
    public static func hash(_ message: [UInt8]) -> [UInt8] { hash(message, compress: pulse_sha256_blocks) }

    /// `compress` runs the rounds (CSHA256); tests pass each of its two ways.
    static func hash(_ message: [UInt8], compress: (UnsafeMutablePointer<UInt32>, UnsafePointer<UInt8>, Int) -> Void) -> [UInt8] {
        var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        let bitLength = UInt64(message.count) * 8
        let whole = message.count / 64
        var tail = [UInt8](message[(whole * 64)...])
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        state.withUnsafeMutableBufferPointer { state in
            if whole > 0 { message.withUnsafeBufferPointer { compress(state.baseAddress!, $0.baseAddress!, whole) } }
            tail.withUnsafeBufferPointer { compress(state.baseAddress!, $0.baseAddress!, tail.count / 64) }
        }
        return state.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - $0 * 8)) } }
    }

    /// The digest of `message` as hexadecimal text.
    public static func hex(_ message: [UInt8]) -> String { hash(message).hexString }

    /// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
    public static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = hash(block.map { $0 ^ 0x36 } + message)
        return hash(block.map { $0 ^ 0x5c } + inner)
    }

    /// SHA-256 over data that arrives in pieces (a file read in blocks), with constant memory.
    public struct Hasher {
        var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var pending: [UInt8] = []
        var length: UInt64 = 0

        public init() {}

        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            length &+= UInt64(bytes.count)
            var input = bytes[...]
            if !pending.isEmpty {
                let take = min(64 - pending.count, input.count)
                pending += input.prefix(take)
                input = input.dropFirst(take)
                guard pending.count == 64 else { return }
                compress(pending)
                pending = []
            }
            let whole = input.count / 64 * 64
            if whole > 0 { compress(UnsafeRawBufferPointer(rebasing: input.prefix(whole))) }
            pending = Array(input.dropFirst(whole))
        }

        mutating func compress(_ blocks: [UInt8]) {
            blocks.withUnsafeBytes { compress($0) }
        }

        mutating func compress(_ raw: UnsafeRawBufferPointer) {
            guard raw.count >= 64, let base = raw.bindMemory(to: UInt8.self).baseAddress else { return }
            state.withUnsafeMutableBufferPointer { s in
                guard let state = s.baseAddress else { return }
                pulse_sha256_blocks(state, base, raw.count / 64)
            }
        }

        public mutating func finalize() -> [UInt8] {
            let bitLength = length &* 8
            var tail = pending
            tail.append(0x80)
            while tail.count % 64 != 56 { tail.append(0) }
            for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
            compress(tail)
            return state.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - $0 * 8)) } }
        }
    }
}
