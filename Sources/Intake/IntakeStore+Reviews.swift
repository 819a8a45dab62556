import Base
import Foundation
import Localization
import Messages
import RPC
import Store
import Text

/// The commission's review of reports: received, or returned to the unit for correction. A
/// review is of the latest version at the time; every review is kept, and goes out on the change
/// feed so that analytics counts a returned month as not yet complete and notification tells
/// the unit's official.
extension IntakeStore {
    /// The longest reason a return may give, in characters.
    static let maxReason = 2_000

    public func review(_ request: ReviewRequest) async throws -> Review {
        var reason: String?
        switch request.state {
        case .returned:
            let text = Folding.nfc(Folding.trimmed(request.reason ?? ""))
            // What is left once identifiers are out must say something: a few letters at least.
            let scrubbed = Scrubber.scrub(text).text
            let words = Scrubber.Kind.allCases.reduce(scrubbed) { $0.replacingOccurrences(of: $1.marker, with: " ") }
            guard words.unicodeScalars.filter({ $0.properties.isAlphabetic }).count >= 6 else {
                throw RPCError(.invalidArgument, tr("reason: hãy nói rõ đơn vị cần sửa gì (--reason \"Thiếu số hộ bị ảnh hưởng …\")", en: "reason: say what the unit must correct (--reason \"The number of households affected is missing …\")"))
            }
            guard text.count <= IntakeStore.maxReason else {
                throw RPCError(.invalidArgument, tr("reason: \(text.count) ký tự; tối đa \(IntakeStore.maxReason)", en: "reason: \(text.count) characters; at most \(IntakeStore.maxReason)"))
            }
            // A reason is free text like any other: no one's identifiers are kept.
            reason = scrubbed
        case .received:
            guard request.reason == nil || request.reason?.isEmpty == true else {
                throw RPCError(.invalidArgument, tr("reason: chỉ khi trả lại báo cáo", en: "reason: only for returning a report"))
            }
        }
        let at = configuration.clock()
        let scrubbedReason = reason
        return try await queue.write { db in
            guard let version = try db.scalar("SELECT max(version) FROM reports WHERE unit = ? AND period = ?", [request.unit, request.period.description], as: Int.self) else {
                throw RPCError(.notFound, tr("chưa có báo cáo của \(request.unit) tháng \(request.period.text) để xem xét", en: "no report from \(request.unit) for \(request.period.text) to review"))
            }
            let last = try IntakeStore.reviews(db, unit: request.unit, period: request.period).last
            // Receiving the very version just returned would quietly undo the return.
            if let last, last.version == version, last.state == .returned, request.state == .received {
                throw RPCError(
                    .failedPrecondition,
                    tr("phiên bản \(version) của báo cáo \(request.unit) tháng \(request.period.text) đã bị trả lại để sửa; hãy tiếp nhận bản sửa khi đơn vị gửi đến",
                       en: "version \(version) of \(request.unit)'s report for \(request.period.text) was returned for correction; receive the corrected version when the unit sends it"))
            }
            if let last, last.version == version, last.state == request.state {
                throw RPCError(
                    .failedPrecondition,
                    tr("phiên bản \(version) của báo cáo \(request.unit) tháng \(request.period.text) đã \(last.state == .received ? "được Ban tiếp nhận" : "bị trả lại để sửa") lúc \(IntakeStore.shown(last.at))",
                       en: "version \(version) of \(request.unit)'s report for \(request.period.text) was already \(last.state.word) at \(IntakeStore.shown(last.at))"))
            }
            try db.run(
                "INSERT INTO reviews (unit, period, version, state, reason, at) VALUES (?,?,?,?,?,?)",
                [request.unit, request.period.description, version, request.state.rawValue, scrubbedReason, at.timeIntervalSince1970])
            try db.run("INSERT INTO changes (kind, review_id) VALUES ('reportReviewed', ?)", [db.lastInsertRowID])
            return Review(unit: request.unit, period: request.period, version: version, state: request.state, reason: scrubbedReason, at: at)
        }
    }

    public func reviews(_ request: ReviewsRequest) async throws -> ReviewList {
        try await queue.read { db in ReviewList(reviews: try IntakeStore.reviews(db, unit: request.unit, period: request.period)) }
    }

    static func reviews(_ db: Database, unit: String, period: Period?) throws -> [Review] {
        let rows = period.map { try? db.query("SELECT \(reviewColumns) FROM reviews WHERE unit = ? AND period = ? ORDER BY id", [unit, $0.description]) }
            ?? (try? db.query("SELECT \(reviewColumns) FROM reviews WHERE unit = ? ORDER BY id", [unit]))
        return try (rows ?? []).map(review)
    }

    static let reviewColumns = "unit, period, version, state, reason, at"

    static func review(_ row: Row) throws -> Review {
        try Review(
            unit: row.get(0), period: row.get(1, parsing: Period.init), version: row.get(2), state: ReviewState(rawValue: row.get(3)) ?? .received,
            reason: row.get(4), at: Date(timeIntervalSince1970: row.get(5)))
    }

    static func loadReview(_ db: Database, id: Int64) throws -> Review {
        guard let row = try db.query("SELECT \(reviewColumns) FROM reviews WHERE id = ?", [id]).first else {
            throw RPCError(.internal, "review \(id) is referenced but not stored")
        }
        return try review(row)
    }

    /// An instant as the province reads it, for messages.
    static func shown(_ date: Date) -> String {
        let day = Day(date)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.timeZone
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return day.text + String(format: " %02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }
}
