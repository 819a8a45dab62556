import Store

/// The table in which a service keeps how far it has read each feed it follows, one row a
/// feed. It lives in the same file as what the feeds produced, so a cursor moves in the same
/// transaction as the rows it stands for.
public enum FeedCursors {
    /// The table, for a service's first migration.
    public static let schema = "CREATE TABLE feed_cursor (name TEXT PRIMARY KEY, cursor INTEGER NOT NULL);"

    /// How far `feed` has been read: 0 before anything was.
    public static func read(_ feed: String, in db: Database) throws -> UInt64 {
        let stored = try db.scalar("SELECT cursor FROM feed_cursor WHERE name = ?", [feed], as: Int64.self) ?? 0
        return UInt64(clamping: stored)
    }

    /// Records that `feed` has been read up to `cursor`; call inside the transaction that
    /// stores what those events produced.
    public static func save(_ feed: String, _ cursor: UInt64, in db: Database) throws {
        try db.run(
            "INSERT INTO feed_cursor (name, cursor) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET cursor = excluded.cursor",
            [feed, Int64(clamping: cursor)])
    }

    /// How far `feed` has been read, from the store's reader.
    public static func read(_ feed: String, from queue: DatabaseQueue) async throws -> UInt64 {
        try await queue.read { try read(feed, in: $0) }
    }
}
