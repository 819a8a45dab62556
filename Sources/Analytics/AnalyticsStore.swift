import Foundation
import Messages
import RPC
import Store
import Synchronization
import Text

/// Analytics owns nothing original: it derives its tables from intake's change feed and
/// roster's units, and can always be rebuilt from them. The feed cursor is stored in the
/// same transaction as what it applied, so a restart continues exactly where it stopped.
public final class AnalyticsStore: Sendable {
    let queue: DatabaseQueue
    public let dueDay: Int
    private let lastError = Mutex<String?>(nil)

    public init(path: String, dueDay: Int = 25) throws {
        queue = try DatabaseQueue(path: path, migrator: AnalyticsSchema.migrator)
        self.dueDay = dueDay
    }

    public func cursor() async throws -> UInt64 {
        try await queue.read { db in UInt64(try db.scalar("SELECT cursor FROM feed_cursor WHERE name = 'intake'")?.int64 ?? 0) }
    }

    /// Applies a batch of changes and moves the cursor, in one transaction.
    public func apply(_ batch: ChangeBatch) async throws {
        try await queue.write { db in
            try db.transaction {
                for change in batch.changes {
                    if let report = change.report {
                        try db.run(
                            "INSERT OR REPLACE INTO report_versions (unit, period, version, received_at, items) VALUES (?,?,?,?,?)",
                            [report.unit, report.period.description, report.version, report.receivedAt.timeIntervalSince1970, report.items.count])
                    }
                }
                try db.run(
                    "INSERT INTO feed_cursor (name, cursor) VALUES ('intake', ?) ON CONFLICT(name) DO UPDATE SET cursor = excluded.cursor",
                    [Int64(clamping: batch.cursor)])
            }
        }
    }

    public func replaceUnits(_ units: [OrgUnit]) async throws {
        try await queue.write { db in
            try db.transaction {
                try db.run("DELETE FROM units")
                for u in units {
                    try db.run(
                        "INSERT INTO units (code, parent, kind, name, valid_from, valid_to, population) VALUES (?,?,?,?,?,?,?)",
                        [u.code, u.parent, u.kind.rawValue, u.fullName, u.validFrom.description, u.validTo?.description, u.population])
                }
            }
        }
    }

    /// Whether every one of `codes` is a known unit.
    public func knowsUnits(_ codes: Set<String>) async throws -> Bool {
        try await queue.read { db in
            for code in codes where try db.scalar("SELECT 1 FROM units WHERE code = ?", [code]) == nil { return false }
            return true
        }
    }

    func noteError(_ message: String?) { lastError.withLock { $0 = message } }

    public func status() async throws -> IngestStatus {
        let error = lastError.withLock { $0 }
        return try await queue.read { db in
            IngestStatus(
                cursor: UInt64(try db.scalar("SELECT cursor FROM feed_cursor WHERE name = 'intake'")?.int64 ?? 0),
                reports: try db.scalar("SELECT count(*) FROM report_versions")?.int ?? 0,
                items: try db.scalar("SELECT coalesce(sum(items), 0) FROM report_versions")?.int ?? 0,
                units: try db.scalar("SELECT count(*) FROM units")?.int ?? 0, lastError: error)
        }
    }

    static let reportingKinds: Set<String> = ["subordinateCommittee", "commune", "ward", "front"]

    /// Who reported for a period: on time, late or missing, for the units expected then.
    public func completeness(_ request: CompletenessRequest) async throws -> Completeness {
        let deadline = Day(year: request.period.year, month: request.period.month, day: min(dueDay, Day.daysIn(request.period.year, request.period.month)))!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.timeZone
        let deadlineInstant = calendar.date(from: DateComponents(year: deadline.year, month: deadline.month, day: deadline.day))!.timeIntervalSince1970
        return try await queue.read { db in
            struct U { var code: String; var parent: String?; var kind: String; var name: String; var from: Day; var to: Day? }
            let units = try db.query("SELECT code, parent, kind, name, valid_from, valid_to FROM units").map {
                U(code: $0[0].string!, parent: $0[1].string, kind: $0[2].string!, name: $0[3].string!, from: Day($0[4].string!)!, to: $0[5].string.flatMap(Day.init))
            }
            let root = request.unit ?? units.first(where: { $0.parent == nil && $0.kind == "province" })?.code ?? ""
            guard units.contains(where: { $0.code == root }) else {
                throw RPCError(.notFound, "unit: no unit \"\(root)\" known to analytics (roster has it? analytics refreshes units every 30 s)")
            }
            var children: [String: [String]] = [:]
            for u in units { if let p = u.parent { children[p, default: []].append(u.code) } }
            var inside: Set<String> = [root]
            var stack = [root]
            while let next = stack.popLast() { for c in children[next] ?? [] where inside.insert(c).inserted { stack.append(c) } }
            let expected = units.filter {
                inside.contains($0.code) && AnalyticsStore.reportingKinds.contains($0.kind) && $0.from <= deadline && ($0.to.map { deadline < $0 } ?? true)
            }
            var versions: [String: [(version: Int, at: Double, items: Int)]] = [:]
            for row in try db.query("SELECT unit, version, received_at, items FROM report_versions WHERE period = ? ORDER BY version", [request.period.description]) {
                versions[row[0].string!, default: []].append((row[1].int!, row[2].double!, row[3].int!))
            }
            var rows: [CompletenessRow] = []
            for u in expected {
                let all = versions[u.code] ?? []
                let seen = request.asOfDeadline ?? false ? all.filter { $0.at < deadlineInstant } : all
                guard let first = seen.first, let latest = seen.last else {
                    rows.append(CompletenessRow(unit: u.code, name: u.name, kind: UnitKind(rawValue: u.kind) ?? .agency, state: .missing))
                    continue
                }
                let onTime = first.at < deadlineInstant && latest.items > 0
                rows.append(
                    CompletenessRow(
                        unit: u.code, name: u.name, kind: UnitKind(rawValue: u.kind) ?? .agency, state: onTime ? .onTime : .late, version: latest.version,
                        items: latest.items, receivedAt: Date(timeIntervalSince1970: latest.at)))
            }
            let order: [ReportState: Int] = [.missing: 0, .late: 1, .onTime: 2]
            rows.sort { (order[$0.state]!, Folding.fold($0.name)) < (order[$1.state]!, Folding.fold($1.name)) }
            let reported = rows.filter { $0.state != .missing }.count
            let onTime = rows.filter { $0.state == .onTime }.count
            let n = Double(max(1, rows.count))
            return Completeness(
                period: request.period, root: root, expected: rows.count, reported: reported, onTime: onTime,
                reportingRate: rows.isEmpty ? 0 : Double(reported) / n, timelinessRate: rows.isEmpty ? 0 : Double(onTime) / n, rows: rows)
        }
    }
}
