import Foundation
import Messages
import Testing
@testable import Wire

/// The hand-written CBOR forms of the report must be the Codable forms exactly: the same
/// bytes written, the same values read, and for bad input the same error naming the field.
/// What a decode gave: a value, or the message its error would put in an RPC status.
enum Decoded<T: Equatable>: Equatable {
    case value(T)
    case error(String)
}

@Suite("Hand-written CBOR of the monthly report agrees with Codable")
struct FastCodableTests {
    /// Codable's bytes, through the tree encoder (never the hand-written form).
    func codableBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        CBORWriter.encode(try CBOREncoder().encodeToItem(value))
    }

    /// Codable's reading, through the tree decoder (never the hand-written form).
    func codableDecode<T: Decodable & Equatable>(_ type: T.Type, _ bytes: [UInt8]) -> Decoded<T> {
        do { return .value(try CBORDecoder().decode(type, from: CBORReader.decode(bytes))) } catch { return .error(CBORDecoder.describe(error)) }
    }

    func fastDecode<T: Decodable & Equatable>(_ type: T.Type, _ bytes: [UInt8]) -> Decoded<T> {
        do { return .value(try CBORDecoder().decode(type, from: bytes)) } catch { return .error(CBORDecoder.describe(error)) }
    }

    func randomDraft(_ g: inout some RandomNumberGenerator) -> ReportDraft {
        let words = ["đất đai", "giá cả", "việc làm", "Nội dung", "người dân", "bồi thường", "0912 345 678", "", "x"]
        func text() -> String { (0..<Int.random(in: 0...6, using: &g)).map { _ in words.randomElement(using: &g)! }.joined(separator: " ") }
        let items = (0..<Int.random(in: 0...6, using: &g)).map { _ in
            OpinionItem(
                topic: text(), summary: text(), prevalence: Prevalence.allCases.randomElement(using: &g)!, trend: Trend.allCases.randomElement(using: &g)!,
                sentiment: Int.random(in: -1000...1000, using: &g), channels: (0..<Int.random(in: 0...3, using: &g)).map { _ in Channel.allCases.randomElement(using: &g)! },
                localities: (0..<Int.random(in: 0...3, using: &g)).map { _ in text() }, proposal: Bool.random(using: &g) ? text() : nil)
        }
        return ReportDraft(
            unit: text(), period: Period(year: Int.random(in: 1900...9999, using: &g), month: Int.random(in: 1...12, using: &g))!,
            submitter: Int.random(in: Int.min...Int.max, using: &g), assessment: text(), items: items, idempotencyKey: text())
    }

    @Test("random reports: the same bytes as Codable, read back equal by both")
    func sameBytes() throws {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let draft = randomDraft(&g)
            let bytes = try CBOREncoder().encode(draft)
            #expect(bytes == (try codableBytes(draft)))
            #expect(try CBORDecoder().decode(ReportDraft.self, from: bytes) == draft)
            #expect(try CBOREncoder().encode(draft.items) == (try codableBytes(draft.items)))
            #expect(try CBORDecoder().decode([OpinionItem].self, from: CBOREncoder().encode(draft.items)) == draft.items)
        }
    }

    @Test("damaged reports: the same value or the same error naming the field as Codable")
    func sameErrors() throws {
        var g = SystemRandomNumberGenerator()
        var differentErrors = 0
        for _ in 0..<3000 {
            var bytes = try CBOREncoder().encode(randomDraft(&g))
            for _ in 0..<Int.random(in: 1...2, using: &g) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
            }
            let fast = fastDecode(ReportDraft.self, bytes), codable = codableDecode(ReportDraft.self, bytes)
            if fast != codable {
                differentErrors += 1
                Issue.record("\(fast) vs \(codable)")
            }
        }
        #expect(differentErrors == 0)
    }

    @Test("a wrong field is named, as for every other message")
    func namedField() throws {
        var item = try CBOREncoder().encodeToItem(ReportDraft(
            unit: "18073", period: Period("2026-11")!, submitter: 7, assessment: "Ổn định.",
            items: [OpinionItem(topic: "dat-dai", summary: "x", prevalence: .some, trend: .rising, sentiment: 0)], idempotencyKey: "k"))
        guard case .map(var pairs) = item, let i = pairs.firstIndex(where: { $0.key == .text("items") }),
            case .array(var items) = pairs[i].value, case .map(var inner) = items[0]
        else { Issue.record("unexpected shape"); return }
        inner.removeAll { $0.key == .text("prevalence") }
        inner.append(.init(.text("prevalence"), .text("everywhere")))
        items[0] = .map(inner)
        pairs[i] = .init(.text("items"), .array(items))
        item = .map(pairs)
        do {
            _ = try CBORDecoder().decode(ReportDraft.self, from: CBORWriter.encode(item))
            Issue.record("decoded an unknown prevalence")
        } catch {
            #expect(CBORDecoder.describe(error).hasPrefix("items[0].prevalence:"))
        }
    }

    func randomResponse(_ g: inout some RandomNumberGenerator) -> SubmitReportResponse {
        // Whole seconds (written as integers) and fractional ones (as floats), either side of 1970.
        func date() -> Date {
            let seconds = Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &g))
            return Date(timeIntervalSince1970: Bool.random(using: &g) ? seconds : seconds + Double.random(in: 0..<1, using: &g))
        }
        let kinds = ["phone", "email", "citizen-id", "profile-link", "handle", "số điện thoại", ""]
        return SubmitReportResponse(
            report: ReportReceipt(
                unit: kinds.randomElement(using: &g)!, period: Period(year: Int.random(in: 1900...9999, using: &g), month: Int.random(in: 1...12, using: &g))!,
                version: Int.random(in: Int.min...Int.max, using: &g), items: Int.random(in: 0...50, using: &g), receivedAt: date(),
                timeliness: Bool.random(using: &g) ? .onTime : .late, firstReceivedAt: date()),
            scrubbed: (0..<Int.random(in: 0...5, using: &g)).map { _ in ScrubCount(kind: kinds.randomElement(using: &g)!, count: Int.random(in: -5...1000, using: &g)) },
            replayed: Bool.random(using: &g))
    }

    @Test("random receipts: the same bytes as Codable; damaged ones read the same value or error as Codable")
    func receipts() throws {
        var g = SystemRandomNumberGenerator()
        var different = 0
        for _ in 0..<3000 {
            let response = randomResponse(&g)
            var bytes = try CBOREncoder().encode(response)
            #expect(bytes == (try codableBytes(response)))
            #expect(fastDecode(SubmitReportResponse.self, bytes) == codableDecode(SubmitReportResponse.self, bytes))
            #expect(try CBORDecoder().decode(SubmitReportResponse.self, from: bytes) == response)
            bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
            if fastDecode(SubmitReportResponse.self, bytes) != codableDecode(SubmitReportResponse.self, bytes) {
                different += 1
                Issue.record("\(fastDecode(SubmitReportResponse.self, bytes)) vs \(codableDecode(SubmitReportResponse.self, bytes)) for \(bytes.map { String($0, radix: 16) })")
            }
        }
        #expect(different == 0)
    }
}
