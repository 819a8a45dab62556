import Base
import Foundation
import Localization
import Messages
import RPC
import Text
import Wire

/// Checks a draft against its rules and roster (`check`), and prepares its free text for
/// storage (`prepare`). Every problem is
/// named by its field path and rule; a draft with any problem is rejected whole.
struct ReportValidation {
    let roster: RosterLookup

    static let maxItems = 50

    /// Characters of a text, counting only when its bytes could exceed a limit (counting
    /// grapheme clusters is slow, and most texts are far below 4,000).
    static func length(_ text: String) -> Int {
        text.utf8.count <= maxSummary ? text.utf8.count : text.count
    }
    static let maxSummary = 4000

    /// Checks the rules and roster; throws INVALID_ARGUMENT naming every problem.
    func check(_ original: ReportDraft, now: Date) async throws {
        var draft = original
        var problems: [String] = []
        draft.unit = Folding.trimmed(draft.unit)
        if draft.idempotencyKey.isEmpty || draft.idempotencyKey.count > 128 {
            problems.append(tr("idempotencyKey: phải dài 1 đến 128 ký tự, giống nhau cho mọi lần gửi lại của một lần gửi", en: "idempotencyKey: must be 1 to 128 characters, the same for every retry of one submission"))
        }
        if draft.items.isEmpty || draft.items.count > ReportValidation.maxItems {
            problems.append(tr("items: một báo cáo có từ 1 đến \(ReportValidation.maxItems) nội dung, không phải \(draft.items.count)", en: "items: a report has 1 to \(ReportValidation.maxItems) opinion items, not \(draft.items.count)"))
        }
        let today = Day(now)
        if draft.period > today.period {
            problems.append(tr("period: \(draft.period.text) là ở tương lai (tháng này là \(today.period.text))", en: "period: \(draft.period) is in the future (this month is \(today.period))"))
        }
        if ReportValidation.length(draft.assessment) > ReportValidation.maxSummary {
            problems.append(tr("assessment: \(draft.assessment.count) ký tự; tối đa \(ReportValidation.maxSummary)", en: "assessment: \(draft.assessment.count) characters; at most \(ReportValidation.maxSummary)"))
        }

        let unit = try await roster.unit(draft.unit)
        if let unit {
            let overlaps = unit.validFrom <= draft.period.last && (unit.validTo.map { $0 > draft.period.first } ?? true)
            if !overlaps {
                problems.append("unit: \(unit.code) (\(unit.fullName)) did not exist in \(draft.period): valid from \(unit.validFrom)" + (unit.validTo.map { " until \($0)" } ?? ""))
            }
        } else {
            problems.append(tr("unit: roster không có đơn vị \"\(draft.unit)\"", en: "unit: no unit \"\(draft.unit)\" in roster"))
        }
        if let person = try await roster.person(draft.submitter) {
            if person.unit != draft.unit {
                problems.append(tr("submitter: người số \(draft.submitter) thuộc đơn vị \(person.unit), không phải \(draft.unit)", en: "submitter: person \(draft.submitter) belongs to unit \(person.unit), not \(draft.unit)"))
            } else if !person.isActive(on: today) {
                problems.append(tr("submitter: người số \(draft.submitter) không còn hoạt động (rời ngày \(person.left.map(\.text) ?? "?"))", en: "submitter: person \(draft.submitter) is no longer active (left \(person.left.map(\.description) ?? "?"))"))
            }
        } else {
            problems.append(tr("submitter: roster không có người số \(draft.submitter)", en: "submitter: no person \(draft.submitter) in roster"))
        }
        let topics = try await roster.topics()
        let under = unit == nil ? [] : try await roster.subtree(draft.unit)
        for (i, item) in draft.items.enumerated() {
            let at = "items[\(i)]"
            switch topics[item.topic] {
            case nil: problems.append(tr("\(at).topic: không có chủ đề \"\(item.topic)\"; `pulse topics list` liệt kê các chủ đề", en: "\(at).topic: unknown topic \"\(item.topic)\""))
            case let topic? where !topic.active: problems.append(tr("\(at).topic: chủ đề \"\(item.topic)\" đã ngừng dùng", en: "\(at).topic: topic \"\(item.topic)\" is retired"))
            default: break
            }
            let summary = Folding.trimmed(item.summary)
            if summary.isEmpty { problems.append(tr("\(at).summary: bắt buộc", en: "\(at).summary: required")) }
            if ReportValidation.length(summary) > ReportValidation.maxSummary {
                problems.append(tr("\(at).summary: \(summary.count) ký tự; tối đa \(ReportValidation.maxSummary)", en: "\(at).summary: \(summary.count) characters; at most \(ReportValidation.maxSummary)"))
            }
            if !(-2...2).contains(item.sentiment) { problems.append(tr("\(at).sentiment: \(item.sentiment) nằm ngoài −2…+2", en: "\(at).sentiment: \(item.sentiment) is outside −2…+2")) }
            if Set(item.channels).count != item.channels.count { problems.append(tr("\(at).channels: một kênh được nêu hai lần", en: "\(at).channels: a channel is listed twice")) }
            for (j, locality) in item.localities.enumerated() where !under.contains(locality) {
                problems.append(tr("\(at).localities[\(j)]: \"\(locality)\" không phải đơn vị trực thuộc \(draft.unit)", en: "\(at).localities[\(j)]: \"\(locality)\" is not a unit under \(draft.unit)"))
            }
            if let p = item.proposal, ReportValidation.length(p) > ReportValidation.maxSummary {
                problems.append(tr("\(at).proposal: \(p.count) ký tự; tối đa \(ReportValidation.maxSummary)", en: "\(at).proposal: \(p.count) characters; at most \(ReportValidation.maxSummary)"))
            }
        }
        guard problems.isEmpty else {
            throw RPCError(.invalidArgument, problems.joined(separator: "; "))
        }
    }

    /// The draft as it will be stored (free text in NFC, scrubbed), its items' encoding, and a
    /// fingerprint for idempotency. Needs no roster, so a retry can be
    /// recognised even when roster is down. The fingerprint covers the report as stored, after
    /// scrubbing, and nothing of what was removed: a digest that included a removed phone
    /// number could be searched for it, since everything else it covers is in the same file.
    /// Two drafts that differ only in an identifier store the same report, and are one.
    struct Prepared {
        var draft: ReportDraft
        var scrubbed: [ScrubCount]
        var items: [UInt8]
        var fingerprint: String
    }

    static func prepare(_ original: ReportDraft) throws -> Prepared {
        var draft = original
        var removals: [Scrubber.Removal] = []
        func clean(_ text: String) -> String {
            let result = Scrubber.scrub(Folding.nfc(Folding.trimmed(text)))
            removals += result.removals
            return result.text
        }
        draft.unit = Folding.trimmed(draft.unit)
        draft.assessment = clean(draft.assessment)
        for i in draft.items.indices {
            draft.items[i].summary = clean(draft.items[i].summary)
            draft.items[i].proposal = draft.items[i].proposal.map(clean)
        }
        let items = try CBOREncoder().encode(draft.items)
        var content = Array("\(draft.unit)\u{0}\(draft.period)\u{0}\(draft.submitter)\u{0}\(draft.assessment)\u{0}".utf8)
        content += items
        return Prepared(draft: draft, scrubbed: counts(removals), items: items, fingerprint: SHA256.hex(content))
    }

    /// What is stored of an idempotency key: HMAC-SHA-256 of the unit and the key under the
    /// store's secret (kept in its own file beside the database, never in it), so that a key
    /// that is a phone number or an e-mail address is never on disk nor can be searched for
    /// in a copy of the database, and one unit's keys never collide with another's.
    static func keyDigest(unit: String, key: String, secret: [UInt8]) -> String {
        SHA256.hmac(key: secret, Array("\(unit)\u{0}\(key)".utf8)).hexString
    }

    static func counts(_ removals: [Scrubber.Removal]) -> [ScrubCount] {
        Scrubber.counts(removals).map { ScrubCount(kind: $0.kind.rawValue, count: $0.count) }
    }
}
