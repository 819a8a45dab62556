import Base
import Store

/// Follows one feed of another service: pulls pages after the stored cursor and hands each to
/// its consumer, which stores what the page produces through the ``FeedCommit`` it is given,
/// moving the cursor in the same transaction. Pull, never push: after any downtime, of this
/// service or the source, it continues from the stored cursor, so no event is lost or applied
/// twice. Run it on a schedule with ``FeedPoller``.
public struct FeedFollower<Event: Sendable>: Sendable {
    /// Fetches the page after a cursor, at most `limit` events.
    public typealias Fetch = @Sendable (_ after: UInt64, _ limit: Int) async throws -> FeedPage<Event>
    /// Applies a page: whatever it does before or after, it stores through `commit`, once.
    public typealias Consume = @Sendable (_ page: FeedPage<Event>, _ commit: FeedCommit) async throws -> Void

    /// The cursor's name in the `feed_cursor` table, e.g. "intake".
    public let name: String
    public let pageSize: Int
    private let queue: DatabaseQueue
    private let fetch: Fetch
    private let consume: Consume

    public init(name: String, queue: DatabaseQueue, pageSize: Int = 500, fetch: @escaping Fetch, consume: @escaping Consume) {
        self.name = name
        self.queue = queue
        self.pageSize = max(1, pageSize)
        self.fetch = fetch
        self.consume = consume
    }

    /// How far the feed has been applied.
    public func cursor() async throws -> UInt64 {
        try await FeedCursors.read(name, from: queue)
    }

    /// Applies everything the source has now; returns how many events it applied.
    @discardableResult
    public func catchUp() async throws -> Int {
        var cursor = try await self.cursor()
        var applied = 0
        while true {
            let page = try await fetch(cursor, pageSize)
            try await apply(page, after: cursor)
            applied += page.events.count
            guard page.more else { return applied }
            cursor = page.cursor
        }
    }

    /// Applies one page that follows `cursor`: its events through the consumer, or, for a page
    /// with none that still moves the cursor, the cursor alone. A page whose events or promise
    /// of more do not move the cursor forward is refused: applying it would repeat its events,
    /// or wait for ever for the rest.
    public func apply(_ page: FeedPage<Event>, after cursor: UInt64) async throws {
        if page.cursor <= cursor {
            guard page.events.isEmpty, !page.more else {
                throw RPCError(.dataLoss, "feed \(name): the source answered a page that does not move past cursor \(cursor); its feed was reset or is damaged")
            }
            return
        }
        let commit = FeedCommit(feed: name, cursor: page.cursor, queue: queue)
        if !page.events.isEmpty { try await consume(page, commit) }
        switch commit.outcome {
        case .committed: return
        case .unused: try await commit { _ in }
        case .writing, .failed:
            throw RPCError(.internal, "feed \(name): the page after cursor \(cursor) was not stored; it is applied again next round")
        }
    }
}
