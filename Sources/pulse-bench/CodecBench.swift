import Base
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
        print("codec: \(format(elapsed.inSeconds / Double(iterations) * 1e6, decimals: 2)) µs of encoding and decoding per call (64-byte body)")
    }
}

import Messages

extension CodecBench {
    /// The CBOR work of one report submission: the client's encode, the server's decode, the
    /// stored items' encode, and the receipt both ways.
    static func report(iterations: Int) throws {
        let items = (0..<5).map { i in
            OpinionItem(topic: "dat-dai", summary: "Nội dung dư luận số \(i): người dân quan tâm giá cả, việc làm và bồi thường giải phóng mặt bằng; đề nghị chính quyền sớm có phương án giải quyết.", prevalence: .some, trend: .rising, sentiment: -1, channels: [.inPerson, .meetings], proposal: "Đề nghị cấp trên quan tâm chỉ đạo.")
        }
        let draft = ReportDraft(unit: "18073", period: Period("2026-11")!, submitter: 7, assessment: "Ổn định.", items: items, idempotencyKey: "k")
        let receipt = SubmitReportResponse(report: ReportReceipt(unit: "18073", period: Period("2026-11")!, version: 1, items: 5, receivedAt: Date(), timeliness: .onTime, firstReceivedAt: Date()), scrubbed: [], replayed: false)
        let start = ContinuousClock.now
        for _ in 0..<iterations {
            let body = try CBOREncoder().encode(draft)
            let decoded = try CBORDecoder().decode(ReportDraft.self, from: body)
            _ = try CBOREncoder().encode(decoded.items)
            let r = try CBOREncoder().encode(receipt)
            _ = try CBORDecoder().decode(SubmitReportResponse.self, from: r)
        }
        let elapsed = ContinuousClock.now - start
        print("codec: \(format(elapsed.inSeconds / Double(iterations) * 1e6, decimals: 1)) µs of CBOR work per report submission (5 items)")
    }
}
