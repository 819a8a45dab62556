import Base
import Feeds
import Foundation
import Messages
import RPC
import Store

/// The outbox: notices derived from intake's feed, delivered to a Maildir. The feed cursor and
/// the notices it produced commit together, so a restart neither loses nor repeats a notice.
public final class NotificationStore: Sendable {
    let queue: DatabaseQueue
    public let maildir: String

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
        return m
    }

    public init(directory: String) throws {
        queue = try DatabaseQueue(path: directory + "/notification.sqlite", migrator: NotificationStore.migrator)
        maildir = directory + "/maildir"
        for sub in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
        }
    }

    /// How far `feed` (a ``FeedName``) has been applied.
    public func cursor(_ feed: String = FeedName.intakeChanges) async throws -> UInt64 {
        try await FeedCursors.read(feed, from: queue)
    }

    /// Turns analytics' spike events into aggregate alerts for the commission (a topic, an
    /// area, how strong, against what baseline; never anyone's name), through `commit`, which
    /// moves the spikes' cursor in the same transaction.
    public func apply(spikes: [Spike], commit: FeedCommit, now: Date = Date()) async throws {
        try await commit { db in
            for s in spikes {
                try db.run(
                    "INSERT INTO outbox (created_at, recipient, subject, body) VALUES (?,?,?,?)",
                    [now.timeIntervalSince1970, "commission",
                     "Cảnh báo dư luận: \(s.topic) tăng đột biến tại \(s.unit), tháng \(s.period)",
                     "Chủ đề \(s.topic) tại đơn vị \(s.unit) tháng \(s.period): \(s.items) nội dung phản ánh, gấp \(String(format: "%.1f", s.strength)) lần mức trung bình \(String(format: "%.1f", s.baseline)) của sáu tháng trước (p = \(String(format: "%.1e", s.pValue)))."])
            }
        }
    }

    /// Turns a page of intake's changes into notices for the commission, through `commit`,
    /// which moves intake's cursor in the same transaction.
    public func apply(_ changes: [Change], commit: FeedCommit, now: Date = Date()) async throws {
        try await commit { db in
            for change in changes {
                guard let report = change.report else { continue }
                let correction = report.version > 1 ? " (bản sửa lần \(report.version - 1))" : ""
                let timeliness = report.timeliness == .onTime ? "đúng hạn" : "muộn hạn"
                try db.run(
                    "INSERT INTO outbox (created_at, recipient, subject, body) VALUES (?,?,?,?)",
                    [now.timeIntervalSince1970, "commission",
                     "Báo cáo dư luận xã hội tháng \(report.period) của đơn vị \(report.unit)\(correction)",
                     "Đơn vị \(report.unit) đã gửi báo cáo tháng \(report.period)\(correction), \(report.items.count) nội dung, \(timeliness)."])
            }
        }
    }

    /// Follows intake's change feed into the outbox.
    public func intakeChanges(from intake: RPCClient) -> FeedFollower<Change> {
        .intakeChanges(from: intake, into: queue) { page, commit in try await self.apply(page.events, commit: commit) }
    }

    /// Follows analytics' spikes into the outbox.
    public func analyticsSpikes(from analytics: RPCClient) -> FeedFollower<Spike> {
        .analyticsSpikes(from: analytics, into: queue) { page, commit in try await self.apply(spikes: page.events, commit: commit) }
    }

    /// Writes pending notices to the Maildir (tmp, then an atomic rename into new).
    @discardableResult
    public func deliver(now: Date = Date()) async throws -> Int {
        let pending = try await queue.read { db in
            try db.query("SELECT id, recipient, subject, body FROM outbox WHERE state = 'pending' ORDER BY id LIMIT 500").map {
                try ($0.get(0, as: Int.self), $0.get(1, as: String.self), $0.get(2, as: String.self), $0.get(3, as: String.self))
            }
        }
        for (id, recipient, subject, body) in pending {
            let name = "\(Int(now.timeIntervalSince1970)).pulse-\(id).\(ProcessInfo.processInfo.hostName)"
            let message = "To: \(recipient)\r\nSubject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\(body)\r\n"
            let tmp = maildir + "/tmp/" + name
            try Data(message.utf8).write(to: URL(fileURLWithPath: tmp), options: .atomic)
            try FileManager.default.moveItem(atPath: tmp, toPath: maildir + "/new/" + name)
            _ = try await queue.write { db in
                try db.run("UPDATE outbox SET state = 'delivered', delivered_at = ? WHERE id = ?", [now.timeIntervalSince1970, id])
            }
        }
        return pending.count
    }

    public func outbox(limit: Int) async throws -> Outbox {
        let cursor = try await cursor()
        return try await queue.read { db in
            let notices = try db.query("SELECT id, created_at, recipient, subject, body, state, delivered_at FROM outbox ORDER BY id DESC LIMIT ?", [max(1, min(limit, 1000))]).map {
                try Notice(
                    id: $0.get(0), createdAt: Date(timeIntervalSince1970: $0.get(1)), recipient: $0.get(2), subject: $0.get(3),
                    body: $0.get(4), state: $0.get(5), deliveredAt: $0.get(6, as: Double?.self).map(Date.init(timeIntervalSince1970:)))
            }
            return Outbox(notices: notices, cursor: cursor)
        }
    }
}
