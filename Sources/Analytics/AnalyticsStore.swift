import Base
import Dispatch
import Feeds
import Foundation
import Localization
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

    let aggregates = Aggregates()
    /// The same figures as each month's deadline left them: a report received later, or a
    /// correction, does not change them. Partner agencies see these, so that a figure looked
    /// at twice never moves by one unit's late report.
    let deadlineAggregates = Aggregates()

    /// The units as analytics last had them from roster, parsed once.
    struct KnownUnit: Sendable {
        var code: String
        var parent: String?
        var kind: String
        var name: String
        var from: Day
        var to: Day?
    }
    let unitList = Mutex<[KnownUnit]>([])
    /// The units as roster last sent them.
    private let lastUnits = Mutex<[OrgUnit]>([])
    public let configuration: AnalyticsConfiguration

    public init(path: String, configuration: AnalyticsConfiguration = AnalyticsConfiguration()) throws {
        queue = try DatabaseQueue(path: path, migrator: AnalyticsSchema.migrator)
        self.dueDay = configuration.dueDay
        self.configuration = configuration
        try rebuild()
    }

    /// Loads the units and items already stored into the in-memory aggregates.
    func rebuild() throws {
        try queue.writeNow { db in
            let known = try db.query("SELECT code, parent, kind, name, valid_from, valid_to FROM units").map {
                try KnownUnit(code: $0.get(0), parent: $0.get(1, as: String?.self), kind: $0.get(2), name: $0.get(3), from: $0.get(4, parsing: Day.init), to: $0.get(5, parsing: Day.init))
            }
            unitList.withLock { $0 = known }
            _ = aggregates.setUnits(known.map { ($0.code, $0.parent) })
            _ = deadlineAggregates.setUnits(known.map { ($0.code, $0.parent) })
            try AnalyticsStore.load(db, AnalyticsSchema.deadlineItems, into: deadlineAggregates)
            try AnalyticsStore.load(db, "SELECT * FROM items", into: aggregates)
        }
    }

    /// Fills `aggregates` from a query of items (all, or as the deadlines left them).
    static func load(_ db: Database, _ source: String, into aggregates: Aggregates) throws {
        var current: (String, String)?
        var items: [(topic: String, prevalence: Prevalence, assessed: Double, computed: Double)] = []
        func flush() {
            if let (unit, period) = current, let p = Period(period) { aggregates.replace(unit: unit, period: p, with: items) }
            items = []
        }
        try db.forEach("SELECT unit, period, topic, prevalence, assessed, computed FROM (\(source)) ORDER BY unit, period") { row in
            let key = try (row.get(0, as: String.self), row.get(1, as: String.self))
            if current.map({ $0 != key }) ?? true {
                flush()
                current = key
            }
            let weight = try row.get(3, as: Int.self)
            let prevalence: Prevalence = weight == 3 ? .widespread : weight == 2 ? .some : .isolated
            try items.append((row.get(2), prevalence, row.get(4), row.get(5)))
        }
        flush()
    }

    /// How far intake's feed has been applied.
    public func cursor() async throws -> UInt64 {
        try await FeedCursors.read(FeedName.intakeChanges, from: queue)
    }

    /// One item as analytics keeps it.
    struct Derived: Sendable {
        var topic: String
        var prevalence: Prevalence
        var trend: Trend
        var assessed: Double
        var computed: Double
        var summary: String
        var folded: String
    }

    /// Applies a batch of intake's changes and moves the feed's cursor past it, in one transaction.
    public func apply(_ batch: ChangeBatch) async throws {
        let commit = FeedCommit(feed: FeedName.intakeChanges, cursor: batch.cursor, queue: queue)
        try await apply(FeedPage(batch), commit: commit)
    }

    /// Applies a page of intake's changes through `commit` (which moves the cursor in the same
    /// transaction): a corrected report replaces its earlier version everywhere. Text sentiment
    /// is computed on both cores first.
    public func apply(_ page: FeedPage<Change>, commit: FeedCommit) async throws {
        let reports = page.events.compactMap(\.report)
        // Sentiment and search keys run on both cores through Dispatch, off Swift's cooperative
        // pool, a part of the page at a time: the transaction writes each part while the next
        // is derived.
        // The first part is small: the transaction waits for it alone.
        let bounds = [0] + Array(stride(from: 50, to: reports.count, by: 250)) + [reports.count]
        let parts = zip(bounds, bounds.dropFirst()).filter { $0 < $1 }.map { Array(reports[$0..<$1]) }
        let pending = DerivedParts(count: parts.count)
        DispatchQueue.global().async { for (i, part) in parts.enumerated() { pending.put(i, AnalyticsStore.derive(part)) } }
        if let first = parts.first, !first.isEmpty {
            // The first part before the transaction begins, so that it never waits holding the lock.
            _ = await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: pending.take(0)) }
            }
        }
        let responses = page.events.compactMap(\.response)
        let reviews = page.events.compactMap(\.review)
        try await commit { db in
            for (report, items) in zip(reports, parts.indices.lazy.flatMap { pending.take($0) }) {
                let unit = report.unit, period = report.period.description
                let beforeDeadline = report.receivedAt < report.period.deadline(dueDay: self.dueDay)
                let replacing = try report.version > 1 || db.exists("SELECT 1 FROM items WHERE unit = ? AND period = ? LIMIT 1", [unit, period])
                if replacing {
                    if beforeDeadline {
                        try db.run("DELETE FROM deadline_items WHERE unit = ? AND period = ?", [unit, period])
                    } else {
                        // What the deadline saw stays: the replaced on-time items move aside.
                        try db.run(
                            "INSERT INTO deadline_items (unit, period, topic, prevalence, assessed, computed, summary) SELECT unit, period, topic, prevalence, assessed, computed, summary FROM items WHERE unit = ? AND period = ? AND at_deadline = 1",
                            [unit, period])
                    }
                    try db.run("DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE unit = ? AND period = ?)", [unit, period])
                    try db.run("DELETE FROM items WHERE unit = ? AND period = ?", [unit, period])
                }
                for item in items {
                    try db.run(
                        "INSERT INTO items (unit, period, topic, prevalence, trend, assessed, computed, summary, at_deadline) VALUES (?,?,?,?,?,?,?,?,?)",
                        [unit, period, item.topic, Int(item.prevalence.weight), item.trend.rawValue, item.assessed, item.computed, item.summary, beforeDeadline ? 1 : 0])
                    try db.run("INSERT INTO items_fts (rowid, folded) VALUES (?, ?)", [db.lastInsertRowID, item.folded])
                }
                try db.run(
                    "INSERT OR REPLACE INTO report_versions (unit, period, version, received_at, items) VALUES (?,?,?,?,?)",
                    [unit, period, report.version, report.receivedAt.timeIntervalSince1970, report.items.count])
            }
            for r in responses {
                try db.run("INSERT INTO survey_responses (survey, unit, day) VALUES (?,?,?)", [r.survey, r.unit, r.day.description])
            }
            // The latest review decides: a month returned for correction is open again until a
            // version after the returned one arrives.
            for review in reviews {
                try db.run(
                    "INSERT OR REPLACE INTO reviews (unit, period, version, state, at) VALUES (?,?,?,?,?)",
                    [review.unit, review.period.description, review.version, review.state.rawValue, review.at.timeIntervalSince1970])
            }
        }
        // The aggregates follow the committed state.
        let derived = parts.indices.flatMap { pending.take($0) }
        var touched: Set<Aggregates.Key> = []
        for (report, items) in zip(reports, derived) {
            let figures = items.map { ($0.topic, $0.prevalence, $0.assessed, $0.computed) }
            touched.formUnion(aggregates.replace(unit: report.unit, period: report.period, with: figures))
            if report.receivedAt < report.period.deadline(dueDay: dueDay) { deadlineAggregates.replace(unit: report.unit, period: report.period, with: figures) }
        }
        if !touched.isEmpty { try await detectSpikes(touched) }
    }

    static func derive(_ reports: [Report]) -> [[Derived]] {
        let flat = reports.flatMap { $0.items }
        // Sentiment and the search key of every item, on every core.
        var scores = [Double](repeating: 0, count: flat.count)
        var folded = [String](repeating: "", count: flat.count)
        scores.withUnsafeMutableBufferPointer { scoresOut in
            folded.withUnsafeMutableBufferPointer { foldedOut in
                let scoreBuffer = SendableBuffer(scoresOut)
                let foldedBuffer = SendableBuffer(foldedOut)
                let chunk = max(64, flat.count / 8)
                DispatchQueue.concurrentPerform(iterations: (flat.count + chunk - 1) / chunk) { part in
                    for i in (part * chunk)..<min(flat.count, (part + 1) * chunk) {
                        scoreBuffer.pointer[i] = SentimentAnalyzer.shared.score(flat[i].summary)
                        foldedBuffer.pointer[i] = Folding.fold(flat[i].summary)
                    }
                }
            }
        }
        var i = 0
        return reports.map { report in
            report.items.map { item in
                defer { i += 1 }
                return Derived(
                    topic: item.topic, prevalence: item.prevalence, trend: item.trend, assessed: Double(item.sentiment) / 2, computed: scores[i],
                    summary: item.summary, folded: folded[i])
            }
        }
    }

    /// Units as analytics rolls them up: a unit replaced in a merger counts under the unit that
    /// took it (wholly, or its main part) rather than under its abolished district, so that a new
    /// unit's trends carry its predecessors' history and the province's stay whole.
    static func rolledIntoSuccessors(_ units: [OrgUnit]) -> [OrgUnit] {
        var successor: [String: String] = [:]
        for unit in units { for p in unit.predecessors { successor[p] = unit.code } }
        guard !successor.isEmpty else { return units }
        return units.map { unit in
            var unit = unit
            if let next = successor[unit.code] { unit.parent = next }
            return unit
        }
    }

    public func replaceUnits(_ given: [OrgUnit]) async throws {
        // Roster is asked every 30 s; most times nothing changed and nothing is written.
        guard lastUnits.withLock({ $0 != given }) else { return }
        let units = AnalyticsStore.rolledIntoSuccessors(given)
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
        unitList.withLock { list in
            list = units.map { KnownUnit(code: $0.code, parent: $0.parent, kind: $0.kind.rawValue, name: $0.fullName, from: $0.validFrom, to: $0.validTo) }
        }
        if aggregates.setUnits(units.map { ($0.code, $0.parent) }) { aggregates.rebuildRollups() }
        if deadlineAggregates.setUnits(units.map { ($0.code, $0.parent) }) { deadlineAggregates.rebuildRollups() }
        lastUnits.withLock { $0 = given }
    }

    /// Whether every one of `codes` is a known unit.
    public func knowsUnits(_ codes: Set<String>) async throws -> Bool {
        try await queue.read { db in
            for code in codes where try !db.exists("SELECT 1 FROM units WHERE code = ?", [code]) { return false }
            return true
        }
    }

    func noteError(_ message: String?) { lastError.withLock { $0 = message } }

    public func status() async throws -> IngestStatus {
        let error = lastError.withLock { $0 }
        return try await queue.read { db in
            IngestStatus(
                cursor: try FeedCursors.read(FeedName.intakeChanges, in: db),
                reports: try db.scalar("SELECT count(*) FROM report_versions", as: Int.self) ?? 0,
                items: try db.scalar("SELECT coalesce(sum(items), 0) FROM report_versions", as: Int.self) ?? 0,
                units: try db.scalar("SELECT count(*) FROM units", as: Int.self) ?? 0, lastError: error)
        }
    }

    /// A name's key for Vietnamese alphabetical order, without Foundation on the common path.
    static func sortKey(_ name: String) -> String {
        name.unicodeScalars.allSatisfy({ $0.isASCII }) ? name.lowercased() : Folding.fold(name)
    }

    static let reportingKinds: Set<String> = Set(UnitKind.reporting.map(\.rawValue))

    /// Who reported for a period: on time, late or missing, for the units expected then.
    public func completeness(_ request: CompletenessRequest) async throws -> Completeness {
        let deadline = request.period.dueDate(dueDay: dueDay)
        let deadlineInstant = request.period.deadline(dueDay: dueDay).timeIntervalSince1970
        let units = unitList.withLock { $0 }
        return try await queue.read { db in
            let root = request.unit ?? units.first(where: { $0.parent == nil && $0.kind == "province" })?.code ?? ""
            guard units.contains(where: { $0.code == root }) else {
                throw RPCError(.notFound, tr("unit: analytics không biết đơn vị \"\(root)\" (roster có đơn vị này không? analytics cập nhật đơn vị mỗi 30 giây)", en: "unit: no unit \"\(root)\" known to analytics (roster has it? analytics refreshes units every 30 s)"))
            }
            let inside = try self.subtree(root) ?? []
            let expected = units.filter {
                inside.contains($0.code) && AnalyticsStore.reportingKinds.contains($0.kind) && $0.from <= deadline && ($0.to.map { deadline < $0 } ?? true)
            }
            var versions: [String: [(version: Int, at: Double, items: Int)]] = [:]
            for row in try db.query("SELECT unit, version, received_at, items FROM report_versions WHERE period = ? ORDER BY version", [request.period.description]) {
                try versions[row.get(0), default: []].append((row.get(1), row.get(2), row.get(3)))
            }
            var returned: [String: Int] = [:]
            // As of the deadline, only a return made before it counts.
            let reviewedBefore = request.asOfDeadline ?? false ? deadlineInstant : Double.infinity
            for row in try db.query("SELECT unit, version FROM reviews WHERE period = ? AND state = 'returned' AND at < ?", [request.period.description, reviewedBefore]) {
                try returned[row.get(0)] = row.get(1)
            }
            var rows: [CompletenessRow] = []
            rows.reserveCapacity(expected.count)
            for u in expected {
                let all = versions[u.code] ?? []
                let seen = request.asOfDeadline ?? false ? all.filter { $0.at < deadlineInstant } : all
                guard let first = seen.first, let latest = seen.last else {
                    rows.append(CompletenessRow(unit: u.code, name: u.name, kind: UnitKind(rawValue: u.kind) ?? .agency, state: .missing))
                    continue
                }
                let onTime = first.at < deadlineInstant && latest.items > 0
                // Returned for correction and not corrected yet: not complete (services.md).
                let awaitingCorrection = returned[u.code].map { latest.version <= $0 } ?? false
                rows.append(
                    CompletenessRow(
                        unit: u.code, name: u.name, kind: UnitKind(rawValue: u.kind) ?? .agency, state: awaitingCorrection ? .returned : onTime ? .onTime : .late,
                        version: latest.version, items: latest.items, receivedAt: Date(timeIntervalSince1970: latest.at)))
            }
            // Fold each name once, not in every comparison.
            let keyed = rows.map { ($0.state.urgency, AnalyticsStore.sortKey($0.name), $0) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            rows = keyed.map(\.2)
            let reported = rows.filter { $0.state == .onTime || $0.state == .late }.count
            let onTime = rows.filter { $0.state == .onTime }.count
            let n = Double(max(1, rows.count))
            return Completeness(
                period: request.period, root: root, expected: rows.count, reported: reported, onTime: onTime,
                reportingRate: rows.isEmpty ? 0 : Double(reported) / n, timelinessRate: rows.isEmpty ? 0 : Double(onTime) / n, rows: rows)
        }
    }
}

/// A buffer written from `concurrentPerform`, each index by one iteration only.
/// The derived parts of a page, handed from the thread that derives them to the transaction
/// that writes them; `take` waits for a part not derived yet.
final class DerivedParts: @unchecked Sendable {  // all state behind `lock`
    private var parts: [[[AnalyticsStore.Derived]]?]
    private let lock = ConditionLock()

    init(count: Int) { parts = Array(repeating: nil, count: count) }

    func put(_ index: Int, _ part: [[AnalyticsStore.Derived]]) {
        lock.withLock { parts[index] = part }
        lock.broadcast()
    }

    func take(_ index: Int) -> [[AnalyticsStore.Derived]] {
        lock.lock()
        defer { lock.unlock() }
        while parts[index] == nil { lock.wait() }
        return parts[index]!
    }
}

/// A buffer whose parts concurrentPerform's iterations write, each its own indices.
struct SendableBuffer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Element>
    init(_ pointer: UnsafeMutableBufferPointer<Element>) { self.pointer = pointer }
}

/// What an analytics deployment decides.
public struct AnalyticsConfiguration: Sendable {
    /// Reports are due before this day of the month.
    public var dueDay: Int
    /// Breakdown cells built from fewer reports than this are withheld from partner agencies.
    public var minimumCell: Int
    /// A spike: P(X ≥ observed | Poisson(trailing 6-month mean)) below this…
    public var spikeThreshold: Double
    /// …and at least this many items.
    public var spikeMinimumItems: Int
    public var ranking: RankingWeights

    /// Survey cells answered by fewer respondents than this are withheld from everyone but the
    /// commission's administrators and analysts.
    public var minimumRespondents: Int

    public init(dueDay: Int = 25, minimumCell: Int = 3, minimumRespondents: Int = 5, spikeThreshold: Double = 0.001, spikeMinimumItems: Int = 4, ranking: RankingWeights = RankingWeights()) {
        self.dueDay = dueDay
        self.minimumCell = minimumCell
        self.minimumRespondents = minimumRespondents
        self.spikeThreshold = spikeThreshold
        self.spikeMinimumItems = spikeMinimumItems
        self.ranking = ranking
    }
}
