import Base
import Foundation
import Localization
import Messages
import RPC
import Store
import Wire

/// Intake's configuration: when reports are due, and the clock that decides.
public struct IntakeConfiguration: Sendable {
    /// Reports are due before this day of the period's month (the 25th), Asia/Ho_Chi_Minh time.
    public var dueDay: Int
    public var clock: @Sendable () -> Date

    public init(dueDay: Int = 25, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.dueDay = dueDay
        self.clock = clock
    }

    /// The instant a period's reports stop being on time: 00:00 on the due day, local time.
    public func deadline(of period: Period) -> Date {
        period.deadline(dueDay: dueDay)
    }
}

/// Reports and surveys on intake's SQLite file. A report is committed (WAL, synchronous=FULL,
/// group commit) before it is acknowledged; every commit adds to the ordered change feed.
public final class IntakeStore: Sendable {
    let queue: DatabaseQueue
    public let roster: RosterLookup
    public let configuration: IntakeConfiguration

    /// Writes announced to group commit and not yet queued or withdrawn: zero whenever no
    /// submission is in progress.
    public var announcedWrites: Int { queue.announcedWrites }

    /// How many commits group commit made, and how many writes they carried.
    public var groupCommitStatistics: (transactions: Int, writes: Int, busy: Duration) { queue.groupCommitStatistics }

    /// The key of idempotency keys' digests: 32 random bytes in `<database>.secret` (0600).
    let secret: [UInt8]

    public init(path: String, roster: RosterLookup, configuration: IntakeConfiguration = IntakeConfiguration()) throws {
        secret = try IntakeStore.secret(beside: path)
        queue = try DatabaseQueue(path: path, migrator: IntakeSchema.migrator(secret: secret))
        self.roster = roster
        self.configuration = configuration
    }

    /// Reads the store's secret, creating it (0600, from the system's random source) the first time.
    static func secret(beside database: String) throws -> [UInt8] {
        let path = database + ".secret"
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw RPCError(.failedPrecondition, "\(path) is not a 32-byte secret; restore it, or remove it only if no retry of an earlier submission is pending") }
            return [UInt8](data)
        }
        var random = SystemRandomNumberGenerator()  // getrandom(2): the kernel's CSPRNG
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError.last("creating \(path)") }
        defer { close(fd) }
        guard write(fd, bytes, 32) == 32, fsync(fd) == 0 else { throw SystemError.last("writing \(path)") }
        return bytes
    }

    static let reportColumns = "r.unit, r.period, r.version, r.submitter, r.assessment, r.items, r.received_at, first.timeliness, first.received_at"
    static let reportFrom = "reports r JOIN reports first ON first.unit = r.unit AND first.period = r.period AND first.version = 1"

    static func report(_ row: Row) throws -> Report {
        try Report(
            unit: row.get(0), period: row.get(1, parsing: Period.init), version: row.get(2), submitter: row.get(3), assessment: row.get(4),
            items: CBORDecoder().decode([OpinionItem].self, from: row.get(5, as: [UInt8]?.self) ?? []), receivedAt: Date(timeIntervalSince1970: row.get(6)),
            timeliness: Timeliness(rawValue: row.get(7)) ?? .late, firstReceivedAt: Date(timeIntervalSince1970: row.get(8)))
    }

    static func loadReport(_ db: Database, id: Int64) throws -> Report {
        guard let row = try db.query("SELECT \(reportColumns) FROM \(reportFrom) WHERE r.id = ?", [id]).first else {
            throw RPCError(.internal, "report \(id) is referenced but not stored")
        }
        return try report(row)
    }

    /// Validates, scrubs and durably stores a report; a retry with the same key and content
    /// returns the first result and stores nothing new.
    public func submit(_ draft: ReportDraft) async throws -> SubmitReportResponse {
        try await submit(draft, receivedAt: configuration.clock())
    }

    /// Reports from earlier records, each validated and timed as on the day it was received.
    /// Every report is checked before any is stored; then they are stored as they come.
    public func importArchive(_ request: ImportArchiveRequest) async throws -> ImportArchiveResult {
        let now = configuration.clock()
        guard request.reports.count <= 5000 else { throw RPCError(.invalidArgument, tr("reports: tối đa 5.000 mỗi lần gọi", en: "reports: at most 5,000 per call")) }
        let earliest = Date(timeIntervalSince1970: 946_684_800)  // 1 January 2000: older records are not the office's
        for (i, r) in request.reports.enumerated() {
            guard r.receivedAt.timeIntervalSince1970.isFinite, r.receivedAt >= earliest else {
                throw RPCError(.invalidArgument, tr("reports[\(i)].receivedAt: hãy cho thời điểm nhận, từ 01/01/2000 trở đi", en: "reports[\(i)].receivedAt: give when it was received, from 01/01/2000 on"))
            }
            guard r.receivedAt <= now else { throw RPCError(.invalidArgument, tr("reports[\(i)].receivedAt: \(r.receivedAt) là ở tương lai", en: "reports[\(i)].receivedAt: \(r.receivedAt) is in the future")) }
        }
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            var replayed = 0
            var next = 0
            // Sixteen at a time: enough for group commit, not so many that one call floods the store.
            while next < min(16, request.reports.count) {
                let r = request.reports[next]
                group.addTask { try await self.submit(r.draft, receivedAt: r.receivedAt).replayed }
                next += 1
            }
            while let wasReplay = try await group.next() {
                if wasReplay { replayed += 1 }
                if next < request.reports.count {
                    let r = request.reports[next]
                    group.addTask { try await self.submit(r.draft, receivedAt: r.receivedAt).replayed }
                    next += 1
                }
            }
            return replayed
        }
        return ImportArchiveResult(stored: request.reports.count - results, replayed: results)
    }

    func submit(_ draft: ReportDraft, receivedAt: Date) async throws -> SubmitReportResponse {
        queue.announceWrite()
        var announced = true
        defer { if announced { queue.withdrawWrite() } }
        let prepared = try ReportValidation.prepare(draft)
        let hash = prepared.fingerprint
        let key = ReportValidation.keyDigest(unit: prepared.draft.unit, key: draft.idempotencyKey, secret: secret)
        do {
            try await ReportValidation(roster: roster).check(draft, now: receivedAt)
        } catch {
            // A retry of a stored report is answered even when it would no longer pass (roster
            // down, the submitter since left): the first answer stands.
            if let replay = try await queue.read({ db in try IntakeStore.replay(db, key: key, given: draft.idempotencyKey, hash: hash) }) { return replay }
            throw error
        }
        let items = prepared.items
        let scrubbed = try CBOREncoder().encode(prepared.scrubbed)
        let deadline = configuration.deadline(of: draft.period)
        announced = false  // writeGrouped takes the announcement over
        return try await queue.writeGrouped(announced: true) { db in
            // Replays are decided here, in the same transaction as the insert, so concurrent
            // retries of one key can never store twice.
            if let replay = try IntakeStore.replay(db, key: key, given: draft.idempotencyKey, hash: hash) { return replay }
            let d = prepared.draft
            let version = (try db.scalar("SELECT max(version) FROM reports WHERE unit = ? AND period = ?", [d.unit, d.period.description], as: Int.self) ?? 0) + 1
            // A version returned for correction sent again unchanged corrects nothing.
            if version > 1, let last = try db.query("SELECT state, version FROM reviews WHERE unit = ? AND period = ? ORDER BY id DESC LIMIT 1", [d.unit, d.period.description]).first,
                try last.get(0, as: String.self) == ReviewState.returned.rawValue, try last.get(1, as: Int.self) == version - 1,
                let previous = try db.query("SELECT items, assessment FROM reports WHERE unit = ? AND period = ? AND version = ?", [d.unit, d.period.description, version - 1]).first,
                try previous.get(0, as: [UInt8].self) == items, try previous.get(1, as: String.self) == d.assessment
            {
                throw RPCError(
                    .failedPrecondition,
                    tr("báo cáo này giống hệt phiên bản \(version - 1) đã bị trả lại để sửa; hãy sửa theo lý do Ban nêu (pulse report show \(d.unit) \(d.period.text)) rồi gửi lại",
                       en: "this report is the same as version \(version - 1), which was returned for correction; correct what the commission asked (pulse report show \(d.unit) \(d.period.text)) and send it again"))
            }
            let timeliness: Timeliness = receivedAt < deadline ? .onTime : .late
            try db.run(
                "INSERT INTO reports (unit, period, version, submitter, assessment, items, item_count, received_at, timeliness) VALUES (?,?,?,?,?,?,?,?,?)",
                [d.unit, d.period.description, version, d.submitter, d.assessment, items, d.items.count, receivedAt.timeIntervalSince1970, timeliness.rawValue])
            let id = db.lastInsertRowID
            try db.run("INSERT INTO submissions (idempotency_key, content_hash, report_id, scrubbed) VALUES (?,?,?,?)", [key, hash, id, scrubbed])
            try db.run("INSERT INTO changes (kind, report_id) VALUES ('report', ?)", [id])
            var first = (timeliness, receivedAt)
            if version > 1, let row = try db.query("SELECT timeliness, received_at FROM reports WHERE unit = ? AND period = ? AND version = 1", [d.unit, d.period.description]).first {
                first = try (Timeliness(rawValue: row.get(0)) ?? .late, Date(timeIntervalSince1970: row.get(1)))
            }
            let receipt = ReportReceipt(
                unit: d.unit, period: d.period, version: version, items: d.items.count, receivedAt: receivedAt, timeliness: first.0, firstReceivedAt: first.1)
            return SubmitReportResponse(report: receipt, scrubbed: prepared.scrubbed, replayed: false)
        }
    }

    static func replay(_ db: Database, key: String, given: String, hash: String) throws -> SubmitReportResponse? {
        guard let row = try db.query("SELECT content_hash, report_id, scrubbed FROM submissions WHERE idempotency_key = ?", [key]).first else { return nil }
        let report = try loadReport(db, id: row.get(1))
        guard try row.get(0, as: String?.self) == hash else {
            throw RPCError(.alreadyExists, tr("idempotencyKey: \"\(given)\" đã dùng cho một lần gửi khác (\(report.unit) \(report.period.text) phiên bản \(report.version)); hãy dùng khóa mới cho nội dung mới", en: "idempotencyKey: \"\(given)\" was already used for a different submission (\(report.unit) \(report.period) version \(report.version)); use a new key for new content"))
        }
        let scrubbed = try CBORDecoder().decode([ScrubCount].self, from: row.get(2, as: [UInt8]?.self) ?? [])
        return SubmitReportResponse(report: ReportReceipt(report), scrubbed: scrubbed, replayed: true)
    }

    public func report(_ request: GetReportRequest) async throws -> Report {
        try await queue.read { db in
            let rows: [Row]
            if let version = request.version {
                rows = try db.query("SELECT \(IntakeStore.reportColumns) FROM \(IntakeStore.reportFrom) WHERE r.unit = ? AND r.period = ? AND r.version = ?", [request.unit, request.period.description, version])
            } else {
                rows = try db.query("SELECT \(IntakeStore.reportColumns) FROM \(IntakeStore.reportFrom) WHERE r.unit = ? AND r.period = ? ORDER BY r.version DESC LIMIT 1", [request.unit, request.period.description])
            }
            guard let row = rows.first else {
                throw RPCError(
                    .notFound,
                    tr("chưa có báo cáo của \(request.unit) tháng \(request.period.text)", en: "no report from \(request.unit) for \(request.period.text)")
                        + (request.version.map { tr(" phiên bản \($0)", en: " version \($0)") } ?? ""))
            }
            return try IntakeStore.report(row)
        }
    }

    public func history(unit: String) async throws -> ReportHistory {
        try await queue.read { db in
            let versions = try db.query(
                "SELECT r.period, r.version, r.item_count, r.received_at, first.timeliness FROM \(IntakeStore.reportFrom) WHERE r.unit = ? ORDER BY r.period DESC, r.version DESC",
                [unit]
            ).map {
                try ReportVersionInfo(period: $0.get(0, parsing: Period.init), version: $0.get(1), items: $0.get(2), receivedAt: Date(timeIntervalSince1970: $0.get(3)), timeliness: Timeliness(rawValue: $0.get(4)) ?? .late)
            }
            return ReportHistory(unit: unit, versions: versions)
        }
    }

    /// Committed events after `cursor`, in commit order.
    public func changes(after cursor: UInt64, limit: Int) async throws -> ChangeBatch {
        let limit = max(1, min(limit, 5000))
        return try await queue.read { db in
            var changes: [Change] = []
            let rows = try db.query("SELECT cursor, kind, report_id, survey_id, response_id, review_id FROM changes WHERE cursor > ? ORDER BY cursor LIMIT ?", [Int64(clamping: cursor), limit + 1])
            for row in rows.prefix(limit) {
                let kind = try ChangeKind(rawValue: row.get(1)) ?? .report
                var change = try Change(cursor: UInt64(clamping: row.get(0, as: Int64.self)), kind: kind)
                if let id = try row.get(2, as: Int64?.self) { change.report = try IntakeStore.loadReport(db, id: id) }
                change.survey = try row.get(3, as: Int?.self)
                if let id = try row.get(4, as: Int64?.self) { change.response = try IntakeStore.loadResponse(db, id: id) }
                if let id = try row.get(5, as: Int64?.self) { change.review = try IntakeStore.loadReview(db, id: id) }
                changes.append(change)
            }
            return ChangeBatch(changes: changes, cursor: changes.last?.cursor ?? cursor, more: rows.count > limit)
        }
    }
}

