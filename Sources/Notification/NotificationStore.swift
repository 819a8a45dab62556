import Base
import Feeds
import Foundation
import Localization
import Messages
import RPC
import Store
import Wire

/// How delivery retries.
public struct DeliveryPolicy: Sendable {
    /// Temporary failures before a notice is dead-lettered.
    public var maxAttempts: Int
    /// The wait after the first temporary failure; it doubles with each one after.
    public var retryBase: TimeInterval
    public var retryCap: TimeInterval
    public var quietHours: QuietHours

    public init(maxAttempts: Int = 8, retryBase: TimeInterval = 60, retryCap: TimeInterval = 6 * 3600, quietHours: QuietHours = .default) {
        self.maxAttempts = maxAttempts
        self.retryBase = retryBase
        self.retryCap = retryCap
        self.quietHours = quietHours
    }

    /// Exponential backoff with "equal jitter": half the step fixed, half random, so that
    /// notices failing together do not all come back together.
    func delay(afterAttempt attempt: Int) -> TimeInterval {
        let step = min(retryCap, retryBase * pow(2, Double(min(attempt - 1, 30))))
        return step / 2 + Double.random(in: 0...(step / 2))
    }
}

/// The outbox. A notice is recorded, under its rule's key, before any attempt to deliver it;
/// the key is unique, so running the rules again or reading an event twice records nothing new.
/// Every attempt is logged. What the feeds bring (reports received, survey responses, spikes)
/// commits in the same transaction as the feed's cursor.
public final class NotificationStore: Sendable {
    let queue: DatabaseQueue

    static var migrator: Migrator {
        var m = Migrator()
        m.register(
            "1 outbox and feed cursor",
            """
            \(FeedCursors.schema)
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY, created_at REAL NOT NULL, recipient TEXT NOT NULL,
                subject TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', delivered_at REAL
            );
            """)
        m.register(
            "2 notices with keys, delivery attempts, what the feeds told, subscriptions",
            """
            CREATE TABLE notices (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                rule TEXT NOT NULL,
                unit TEXT,
                unit_name TEXT,
                period TEXT,
                step TEXT NOT NULL,
                person INTEGER,
                recipient_name TEXT NOT NULL,
                address TEXT,
                phone TEXT,
                language TEXT NOT NULL DEFAULT 'vi',
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at REAL NOT NULL,
                not_before REAL NOT NULL,
                next_attempt_at REAL NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                sent_at REAL,
                channel TEXT
            );
            CREATE INDEX notices_due ON notices (state, next_attempt_at);
            CREATE INDEX notices_unit_period ON notices (unit, period);
            CREATE TABLE attempts (
                id INTEGER PRIMARY KEY,
                notice INTEGER NOT NULL REFERENCES notices(id),
                at REAL NOT NULL,
                channel TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                result TEXT NOT NULL,
                detail TEXT
            );
            CREATE INDEX attempts_notice ON attempts (notice);
            CREATE TABLE reported (unit TEXT NOT NULL, period TEXT NOT NULL, PRIMARY KEY (unit, period)) WITHOUT ROWID;
            CREATE TABLE survey_responses (
                survey INTEGER NOT NULL, unit TEXT NOT NULL, responses INTEGER NOT NULL, PRIMARY KEY (survey, unit)
            ) WITHOUT ROWID;
            CREATE TABLE subscriptions (
                id INTEGER PRIMARY KEY,
                person INTEGER NOT NULL,
                topics TEXT NOT NULL DEFAULT '',
                unit TEXT,
                min_strength REAL NOT NULL DEFAULT 0
            );
            INSERT INTO notices (key, rule, step, recipient_name, subject, body, created_at, not_before, next_attempt_at, state, sent_at, channel)
                SELECT 'legacy|' || id, 'legacy', '0', recipient, subject, body, created_at, created_at, created_at,
                       CASE state WHEN 'delivered' THEN 'sent' WHEN 'failed' THEN 'failed' ELSE 'pending' END, delivered_at, 'maildir'
                FROM outbox;
            DROP TABLE outbox;
            """)
        m.register(
            "3 the addresses notices are sent from",
            // The service's own sender addresses, so that `pulse privacy scan` knows them for the
            // institution's, not a member of the public's.
            "CREATE TABLE senders (address TEXT PRIMARY KEY) WITHOUT ROWID;")
        m.register(
            "4 withdrawn notices",
            // SQLite cannot change a CHECK: the table is made again with the new state allowed.
            """
            CREATE TABLE notices_new (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                rule TEXT NOT NULL,
                unit TEXT,
                unit_name TEXT,
                period TEXT,
                step TEXT NOT NULL,
                person INTEGER,
                recipient_name TEXT NOT NULL,
                address TEXT,
                phone TEXT,
                language TEXT NOT NULL DEFAULT 'vi',
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at REAL NOT NULL,
                not_before REAL NOT NULL,
                next_attempt_at REAL NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dead', 'withdrawn')),
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                sent_at REAL,
                channel TEXT
            );
            INSERT INTO notices_new SELECT * FROM notices;
            DROP TABLE notices;
            ALTER TABLE notices_new RENAME TO notices;
            CREATE INDEX notices_due ON notices (state, next_attempt_at);
            CREATE INDEX notices_unit_period ON notices (unit, period);
            """)
        m.register(
            "5 reports returned for correction",
            "CREATE TABLE returns (unit TEXT NOT NULL, period TEXT NOT NULL, version INTEGER NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (unit, period, version)) WITHOUT ROWID;")
        return m
    }

    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        queue = try DatabaseQueue(path: directory + "/notification.sqlite", migrator: NotificationStore.migrator)
    }

    /// How far `feed` (a ``FeedName``) has been applied.
    public func cursor(_ feed: String = FeedName.intakeChanges) async throws -> UInt64 {
        try await FeedCursors.read(feed, from: queue)
    }

    /// Notes the address notices go out from (see migration 3).
    public func noteSender(_ address: String) async throws {
        _ = try await queue.write { db in try db.run("INSERT OR IGNORE INTO senders (address) VALUES (?)", [address]) }
    }

    // MARK: What the feeds bring

    /// Notes each report received (a unit that reports stops its reminders) and each survey
    /// response, through `commit`, which moves intake's cursor in the same transaction.
    public func apply(_ changes: [Change], commit: FeedCommit) async throws {
        try await commit { db in
            for change in changes {
                if let review = change.review {
                    if review.state == .returned {
                        try db.run(
                            "INSERT OR IGNORE INTO returns (unit, period, version, reason) VALUES (?,?,?,?)",
                            [review.unit, review.period.description, review.version, review.reason ?? ""])
                    }
                } else if let report = change.report {
                    try db.run("INSERT OR IGNORE INTO reported (unit, period) VALUES (?, ?)", [report.unit, report.period.description])
                } else if let response = change.response {
                    try db.run(
                        "INSERT INTO survey_responses (survey, unit, responses) VALUES (?, ?, 1) ON CONFLICT (survey, unit) DO UPDATE SET responses = responses + 1",
                        [response.survey, response.unit])
                }
            }
        }
    }

    /// Records the alerts planned from a page of spikes, through `commit`, which moves the
    /// spikes' cursor in the same transaction.
    public func apply(spikeAlerts: [PlannedNotice], commit: FeedCommit, templates: NoticeTemplates, now: Date, quietHours: QuietHours) async throws {
        try await commit { db in
            _ = try NotificationStore.insert(spikeAlerts, into: db, templates: templates, now: now, quietHours: quietHours)
        }
    }

    /// "unit|period" of every report received.
    public func reported() async throws -> Set<String> {
        try await queue.read { db in
            var out: Set<String> = []
            try db.forEach("SELECT unit, period FROM reported") { row in out.insert(try row.get(0, as: String.self) + "|" + row.get(1, as: String.self)) }
            return out
        }
    }

    /// Reports returned for correction, for their notices.
    public func returns() async throws -> [ReturnedReport] {
        try await queue.read { db in
            try db.query("SELECT unit, period, version, reason FROM returns ORDER BY period, unit, version").map {
                try ReturnedReport(unit: $0.get(0), period: $0.get(1, parsing: Period.init), version: $0.get(2), reason: $0.get(3))
            }
        }
    }

    public func surveyResponses() async throws -> [Int: [String: Int]] {
        try await queue.read { db in
            var out: [Int: [String: Int]] = [:]
            try db.forEach("SELECT survey, unit, responses FROM survey_responses") { row in
                out[try row.get(0, as: Int.self), default: [:]][try row.get(1, as: String.self)] = try row.get(2, as: Int.self)
            }
            return out
        }
    }

    // MARK: Recording

    /// Records what the rules planned, each under its key once; returns how many are new.
    @discardableResult
    public func record(_ planned: [PlannedNotice], templates: NoticeTemplates, now: Date, quietHours: QuietHours) async throws -> Int {
        guard !planned.isEmpty else { return 0 }
        return try await queue.write { db in
            try db.transaction { try NotificationStore.insert(planned, into: db, templates: templates, now: now, quietHours: quietHours) }
        }
    }

    /// How a key is stored: its SHA-256 in hex. The key itself ("reminder|18436|2026-11|-5|12")
    /// runs codes, months and ids together into what reads as an identity number to a scan.
    static func storedKey(_ key: String) -> String { SHA256.hex(Array(key.utf8)) }

    static func insert(_ planned: [PlannedNotice], into db: Database, templates: NoticeTemplates, now: Date, quietHours: QuietHours) throws -> Int {
        var added = 0
        let notBefore = quietHours.release(now).timeIntervalSince1970
        for p in planned {
            let (subject, body) = templates.render(p.rule, language: p.language, fields: p.fields)
            let state = p.recipient == nil ? "failed" : "pending"
            let unitName = p.fields["unit_name"] ?? p.unit ?? ""
            let error: String? = p.recipient == nil
                ? tr("chưa có cán bộ phụ trách \(unitName); phân công bằng `pulse assign ĐƠN-VỊ SỐ-NGƯỜI`", en: "roster names no official for \(unitName); assign one with `pulse assign UNIT PERSON-ID`") : nil
            added += try db.run(
                """
                INSERT OR IGNORE INTO notices (key, rule, unit, unit_name, period, step, person, recipient_name, address, phone, language,
                    subject, body, created_at, not_before, next_attempt_at, state, last_error)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """,
                [storedKey(p.key), p.rule.rawValue, p.unit, p.fields["unit_name"], p.period?.description, p.step, p.recipient?.person,
                 p.fields["recipient_name"] ?? "", p.recipient?.email, p.recipient?.phone, p.language, subject, body,
                 now.timeIntervalSince1970, notBefore, notBefore, state, error])
        }
        return added
    }

    /// Which of `keys` are recorded already.
    public func recordedKeys(_ keys: [String]) async throws -> Set<String> {
        let stored = Dictionary(keys.map { (NotificationStore.storedKey($0), $0) }, uniquingKeysWith: { a, _ in a })
        let digests = Array(stored.keys)
        return try await queue.read { db in
            var out: Set<String> = []
            for chunk in stride(from: 0, to: digests.count, by: 500).map({ Array(digests[$0..<min($0 + 500, digests.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                try db.forEach("SELECT key FROM notices WHERE key IN (\(marks))", chunk) { if let key = stored[try $0.get(0)] { out.insert(key) } }
            }
            return out
        }
    }

    // MARK: Delivery

    /// Pending notices whose time has come, oldest first.
    public func due(at now: Date, limit: Int = 200) async throws -> [OutgoingNotice] {
        try await queue.read { db in
            try db.query(
                """
                SELECT id, key, rule, unit, period, person, recipient_name, address, phone, language, subject, body, created_at
                FROM notices WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?
                """, [now.timeIntervalSince1970, limit]
            ).map {
                try OutgoingNotice(
                    id: $0.get(0), key: $0.get(1), rule: NoticeRule(rawValue: $0.get(2)) ?? .legacy, unit: $0.get(3, as: String?.self),
                    period: $0.get(4, as: String?.self).flatMap(Period.init), person: $0.get(5, as: Int?.self), recipientName: $0.get(6),
                    address: $0.get(7, as: String?.self), phone: $0.get(8, as: String?.self), language: $0.get(9), subject: $0.get(10),
                    body: $0.get(11), createdAt: Date(timeIntervalSince1970: $0.get(12)))
            }
        }
    }

    /// Records one attempt's outcome (or a withdrawal) at once (synchronously: the delivery thread calls it
    /// between messages). A temporary failure is retried after a backoff, or dead-lettered
    /// once the attempts run out.
    public func recordNow(_ id: Int, outcome: DeliveryOutcome, channel: String, at now: Date, policy: DeliveryPolicy) throws {
        try queue.writeNow { db in
            try db.transaction {
                let attempts = (try db.scalar("SELECT attempts FROM notices WHERE id = ?", [id], as: Int.self) ?? 0) + 1
                let (result, detail): (String, String)
                switch outcome {
                case .withdrawn(let text):
                    (result, detail) = ("withdrawn", text)
                    try db.run("UPDATE notices SET state = 'withdrawn', last_error = ? WHERE id = ?", [text, id])
                case .sent(let text):
                    (result, detail) = ("sent", text)
                    try db.run("UPDATE notices SET state = 'sent', attempts = ?, sent_at = ?, channel = ?, last_error = NULL WHERE id = ?", [attempts, now.timeIntervalSince1970, channel, id])
                case .permanent(let text):
                    (result, detail) = ("permanent", text)
                    try db.run("UPDATE notices SET state = 'failed', attempts = ?, channel = ?, last_error = ? WHERE id = ?", [attempts, channel, text, id])
                case .temporary(let text) where attempts >= policy.maxAttempts:
                    (result, detail) = ("dead", text)
                    try db.run("UPDATE notices SET state = 'dead', attempts = ?, channel = ?, last_error = ? WHERE id = ?", [attempts, channel, text, id])
                case .temporary(let text):
                    (result, detail) = ("temporary", text)
                    let next = policy.quietHours.release(now.addingTimeInterval(policy.delay(afterAttempt: attempts)))
                    try db.run(
                        "UPDATE notices SET attempts = ?, channel = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
                        [attempts, channel, text, next.timeIntervalSince1970, id])
                }
                try db.run(
                    "INSERT INTO attempts (notice, at, channel, attempt, result, detail) VALUES (?,?,?,?,?,?)",
                    [id, now.timeIntervalSince1970, channel, attempts, result, String(detail.prefix(1000))])
            }
        }
    }

    /// Puts a failed or dead notice back in the queue, with its attempts counted afresh.
    public func retry(_ id: Int, at now: Date, quietHours: QuietHours) async throws -> Notice {
        try await queue.write { db in
            try db.transaction {
                guard let state = try db.scalar("SELECT state FROM notices WHERE id = ?", [id], as: String.self) else {
                    throw RPCError(.notFound, tr("id: không có thông báo số \(id); `pulse notify list` liệt kê chúng", en: "id: no notice \(id); `pulse notify list` shows them"))
                }
                if try db.exists("SELECT 1 FROM notices WHERE id = ? AND person IS NULL", [id]) {
                    throw RPCError(
                        .failedPrecondition,
                        "id: notice \(id) has nobody to receive it; put an official in charge (`pulse assign UNIT PERSON-ID`) and the rules record a new notice for them")
                }
                guard state == "failed" || state == "dead" else {
                    throw RPCError(.failedPrecondition, tr("id: thông báo \(id) đang ở trạng thái \(NoticeState(rawValue: state)?.vietnamese ?? state); chỉ gửi lại được thông báo không gửi được hoặc đã hết lượt thử", en: "id: notice \(id) is \(state); only a failed or dead notice can be retried"))
                }
                let at = quietHours.release(now).timeIntervalSince1970
                try db.run("UPDATE notices SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE id = ?", [at, id])
                try db.run("INSERT INTO attempts (notice, at, channel, attempt, result, detail) VALUES (?,?,'',0,'retry','put back by hand')", [id, now.timeIntervalSince1970])
                return try NotificationStore.notices(db, where: "id = ?", [id], limit: 1)[0]
            }
        }
    }

    // MARK: Reading

    static let noticeColumns = """
        id, rule, unit, unit_name, period, step, person, recipient_name, address, language, subject, body, created_at, not_before,
        state, attempts, next_attempt_at, last_error, sent_at, channel
        """

    static func notices(_ db: Database, where condition: String, _ values: [any SQLConvertible], limit: Int) throws -> [Notice] {
        try db.query("SELECT \(noticeColumns) FROM notices WHERE \(condition) ORDER BY id DESC LIMIT \(max(1, min(limit, 10_000)))", values).map {
            let state = NoticeState(rawValue: try $0.get(14)) ?? .pending
            return try Notice(
                id: $0.get(0), rule: NoticeRule(rawValue: $0.get(1)) ?? .legacy, unit: $0.get(2, as: String?.self), unitName: $0.get(3, as: String?.self),
                period: $0.get(4, as: String?.self).flatMap(Period.init), step: $0.get(5), person: $0.get(6, as: Int?.self), recipientName: $0.get(7),
                address: $0.get(8, as: String?.self), language: $0.get(9), subject: $0.get(10), body: $0.get(11),
                createdAt: Date(timeIntervalSince1970: $0.get(12)), notBefore: Date(timeIntervalSince1970: $0.get(13)), state: state,
                attempts: $0.get(15), nextAttemptAt: state == .pending ? Date(timeIntervalSince1970: $0.get(16)) : nil,
                lastError: $0.get(17, as: String?.self), sentAt: $0.get(18, as: Double?.self).map(Date.init(timeIntervalSince1970:)),
                channel: $0.get(19, as: String?.self))
        }
    }

    public func notices(_ request: ListNoticesRequest) async throws -> [Notice] {
        var conditions = ["1"]
        var values: [String] = []
        if let state = request.state {
            conditions.append("state = ?")
            values.append(state.rawValue)
        }
        if let unit = request.unit {
            conditions.append("unit = ?")
            values.append(unit)
        }
        if let period = request.period {
            conditions.append("period = ?")
            values.append(period.description)
        }
        let condition = conditions.joined(separator: " AND ")
        let bound = values
        return try await queue.read { db in try NotificationStore.notices(db, where: condition, bound, limit: request.limit ?? 100) }
    }

    public func log(_ request: ListNoticesRequest) async throws -> DeliveryLog {
        let notices = try await notices(request)
        let ids = notices.map(\.id)
        let attempts: [Int: [DeliveryAttempt]] = try await queue.read { db in
            var out: [Int: [DeliveryAttempt]] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                try db.forEach("SELECT notice, at, channel, attempt, result, detail FROM attempts WHERE notice IN (\(marks)) ORDER BY id", chunk) {
                    let a = try DeliveryAttempt(
                        notice: $0.get(0), at: Date(timeIntervalSince1970: $0.get(1)), channel: $0.get(2), attempt: $0.get(3), result: $0.get(4),
                        detail: $0.get(5, as: String?.self))
                    out[a.notice, default: []].append(a)
                }
            }
            return out
        }
        return DeliveryLog(entries: notices.map { DeliveryLogEntry(notice: $0, attempts: attempts[$0.id] ?? []) })
    }

    // MARK: Subscriptions

    public func subscribe(_ s: Subscription) async throws -> Subscription {
        try await queue.write { db in
            try db.run(
                "INSERT INTO subscriptions (person, topics, unit, min_strength) VALUES (?,?,?,?)",
                [s.person, s.topics.joined(separator: ","), s.unit, s.minStrength ?? 0])
            var stored = s
            stored.id = Int(db.lastInsertRowID)
            return stored
        }
    }

    /// Removes one subscription, or all of a person's; returns what was removed.
    public func unsubscribe(_ request: UnsubscribeRequest) async throws -> [Subscription] {
        let (condition, value): (String, Int)
        if let id = request.id {
            (condition, value) = ("id = ?", id)
        } else if let person = request.person {
            (condition, value) = ("person = ?", person)
        } else {
            throw RPCError(.invalidArgument, tr("id: hãy cho biết bỏ đăng ký nào (id), hoặc của ai (person)", en: "id: say which subscription to remove (id), or whose (person)"))
        }
        return try await queue.write { db in
            try db.transaction {
                let removed = try NotificationStore.subscriptions(db, where: condition, [value])
                guard !removed.isEmpty else {
                    throw RPCError(.notFound, request.id != nil ? "id: no subscription \(value)" : "person: person \(value) has no subscriptions")
                }
                try db.run("DELETE FROM subscriptions WHERE \(condition)", [value])
                return removed
            }
        }
    }

    public func subscriptions(person: Int? = nil) async throws -> [Subscription] {
        try await queue.read { db in
            if let person { return try NotificationStore.subscriptions(db, where: "person = ?", [person]) }
            return try NotificationStore.subscriptions(db, where: "1", [])
        }
    }

    static func subscriptions(_ db: Database, where condition: String, _ values: [any SQLConvertible]) throws -> [Subscription] {
        try db.query("SELECT id, person, topics, unit, min_strength FROM subscriptions WHERE \(condition) ORDER BY id", values).map {
            let topics = try $0.get(2, as: String.self)
            let minimum = try $0.get(4, as: Double.self)
            return try Subscription(
                id: $0.get(0), person: $0.get(1), topics: topics.isEmpty ? [] : topics.split(separator: ",").map(String.init),
                unit: $0.get(3, as: String?.self), minStrength: minimum > 0 ? minimum : nil)
        }
    }
}
