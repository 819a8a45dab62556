import Foundation
import Wire

/// The CPU cost of one call's encoding work, without sockets: what the RPC adds per call.
enum CodecBench {
    static func run(iterations: Int) throws {
        let blob = Blob(data: Data(repeating: 7, count: 64))
        let encoder = CBOREncoder()
        let decoder = CBORDecoder()
        let start = ContinuousClock.now
        for i in 0..<iterations {
            let body = try encoder.encode(blob)
            let frame = RequestEnvelope(id: UInt64(i), method: "pulse.bench.v1.Bench/Echo", body: body).frame()
            let request = try frame.withUnsafeBytes { try RequestEnvelope.decode(UnsafeRawBufferPointer(rebasing: $0[4...])) }
            let decoded = try decoder.decode(Blob.self, from: request.body)
            let responseBody = try encoder.encode(decoded)
            let responseFrame = ResponseEnvelope(id: request.id, status: 0, body: responseBody).frame()
            let response = try responseFrame.withUnsafeBytes { try ResponseEnvelope.decode(UnsafeRawBufferPointer(rebasing: $0[4...])) }
            let final = try decoder.decode(Blob.self, from: response.body!)
            precondition(final.data.count == 64)
        }
        let elapsed = ContinuousClock.now - start
        print("codec: \(format(seconds(elapsed) / Double(iterations) * 1e6, decimals: 2)) µs of encoding and decoding per call (64-byte body)")
    }
}
