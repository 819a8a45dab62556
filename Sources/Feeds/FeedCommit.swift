import Base
import Store
import Synchronization

/// What one page of a feed produced, written with the cursor past that page in one
/// transaction: both are stored, or neither, so a restart neither repeats nor skips an event.
/// A follower hands one to its consumer for each page; the consumer calls it once.
public final class FeedCommit: Sendable {
    public let feed: String
    public let cursor: UInt64
    private let queue: DatabaseQueue

    enum State { case unused, writing, committed, failed }
    private let state = Mutex(State.unused)

    public init(feed: String, cursor: UInt64, queue: DatabaseQueue) {
        self.feed = feed
        self.cursor = cursor
        self.queue = queue
    }

    /// Runs `body` in a transaction that also moves the cursor; returns once both are on disk.
    @discardableResult
    public func callAsFunction<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let first = state.withLock { state in
            guard state == .unused else { return false }
            state = .writing
            return true
        }
        guard first else { throw RPCError(.internal, "feed \(feed): a page was committed twice") }
        let (feed, cursor) = (self.feed, self.cursor)
        do {
            let result = try await queue.write { db in
                try db.transaction {
                    let result = try body(db)
                    try FeedCursors.save(feed, cursor, in: db)
                    return result
                }
            }
            state.withLock { $0 = .committed }
            return result
        } catch {
            state.withLock { $0 = .failed }
            throw error
        }
    }

    /// What became of the commit once the consumer returned.
    var outcome: State { state.withLock { $0 } }
}
