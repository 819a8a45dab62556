import Base
import Feeds
import Store
import Synchronization
import TestSupport
import Testing

/// A source of numbered events, as intake's feed is: pages after a cursor, and a switch that
/// makes it fail as a source that is down does.
private final class Source: Sendable {
    struct Event: Sendable { var cursor: UInt64; var text: String }
    private let state = Mutex((events: [Event](), down: false, fetches: 0))

    func append(_ texts: [String]) {
        state.withLock { state in
            for text in texts { state.events.append(Event(cursor: UInt64(state.events.count + 1), text: text)) }
        }
    }
    func setDown(_ down: Bool) { state.withLock { $0.down = down } }
    var fetches: Int { state.withLock { $0.fetches } }

    func fetch(after: UInt64, limit: Int) throws -> FeedPage<Event> {
        try state.withLock { state in
            state.fetches += 1
            if state.down { throw RPCError(.unavailable, "nothing answers at intake.sock") }
            let rest = state.events.filter { $0.cursor > after }
            let page = Array(rest.prefix(limit))
            return FeedPage(events: page, cursor: page.last?.cursor ?? after, more: rest.count > limit)
        }
    }
}

private var migrator: Migrator {
    var m = Migrator()
    m.register("1 seen", FeedCursors.schema + "CREATE TABLE seen (cursor INTEGER PRIMARY KEY, text TEXT NOT NULL);")
    return m
}

private func follower(_ queue: DatabaseQueue, _ source: Source, pageSize: Int = 3, failOn: String? = nil) -> FeedFollower<Source.Event> {
    FeedFollower(name: "source", queue: queue, pageSize: pageSize, fetch: { try source.fetch(after: $0, limit: $1) }) { page, commit in
        try await commit { db in
            for event in page.events {
                if event.text == failOn { throw RPCError(.internal, "cannot apply \(event.text)") }
                try db.run("INSERT INTO seen (cursor, text) VALUES (?, ?)", [Int64(event.cursor), event.text])
            }
        }
    }
}

private func seen(_ queue: DatabaseQueue) async throws -> [String] {
    try await queue.read { db in try db.query("SELECT text FROM seen ORDER BY cursor").map { try $0.get(0, as: String.self) } }
}

@Suite("Feeds: the one change-feed follower")
struct FeedsTests {
    @Test("it pulls every page after its cursor, in order, and a second catch-up applies nothing")
    func catchUp() async throws {
        let queue = try DatabaseQueue(path: temporaryDirectory("feeds") + "/f.sqlite", migrator: migrator)
        let source = Source()
        source.append(["a", "b", "c", "d", "e", "f", "g"])
        let feed = follower(queue, source)
        #expect(try await feed.catchUp() == 7)
        #expect(try await seen(queue) == ["a", "b", "c", "d", "e", "f", "g"])
        #expect(try await feed.cursor() == 7)
        #expect(source.fetches == 3, "pages of 3: 3 + 3 + 1")
        #expect(try await feed.catchUp() == 0)
        source.append(["h"])
        #expect(try await feed.catchUp() == 1)
        #expect(try await seen(queue).last == "h")
    }

    @Test("a page that fails to apply stores neither its rows nor its cursor; the next catch-up applies it once")
    func atomicPages() async throws {
        let path = temporaryDirectory("feeds") + "/f.sqlite"
        let queue = try DatabaseQueue(path: path, migrator: migrator)
        let source = Source()
        source.append(["a", "b", "c", "d", "bad", "f"])
        await #expect(throws: RPCError.self) { try await follower(queue, source, failOn: "bad").catchUp() }
        #expect(try await seen(queue) == ["a", "b", "c"], "the second page (d, bad, f) left nothing behind")
        #expect(try await FeedCursors.read("source", from: queue) == 3, "and its cursor did not move")
        // After a restart with the fault mended: the rest, once.
        let reopened = try DatabaseQueue(path: path, migrator: migrator)
        #expect(try await follower(reopened, source).catchUp() == 3)
        #expect(try await seen(reopened) == ["a", "b", "c", "d", "bad", "f"])
        #expect(try await FeedCursors.read("source", from: reopened) == 6)
    }

    @Test("a consumer that stores nothing still moves the cursor; a page committed twice is refused")
    func cursorAlone() async throws {
        let queue = try DatabaseQueue(path: temporaryDirectory("feeds") + "/f.sqlite", migrator: migrator)
        let source = Source()
        source.append(["a", "b"])
        let ignoring = FeedFollower<Source.Event>(name: "source", queue: queue, fetch: { try source.fetch(after: $0, limit: $1) }) { _, _ in }
        #expect(try await ignoring.catchUp() == 2)
        #expect(try await ignoring.cursor() == 2)

        let commit = FeedCommit(feed: "other", cursor: 9, queue: queue)
        try await commit { _ in }
        await #expect(throws: RPCError.self) { try await commit { _ in } }
        #expect(try await FeedCursors.read("other", from: queue) == 9)
    }

    @Test("a consumer that swallows its failed commit, or a source whose page does not move past the cursor, is an error, never a skip or a repeat")
    func refusedPages() async throws {
        let queue = try DatabaseQueue(path: temporaryDirectory("feeds") + "/f.sqlite", migrator: migrator)
        let source = Source()
        source.append(["a", "b"])
        let swallowing = FeedFollower<Source.Event>(name: "source", queue: queue, fetch: { try source.fetch(after: $0, limit: $1) }) { _, commit in
            // A duplicate key: the write fails, and the consumer pretends it did not.
            _ = try? await commit { db in
                try db.run("INSERT INTO seen (cursor, text) VALUES (1, 'x')")
                try db.run("INSERT INTO seen (cursor, text) VALUES (1, 'y')")
            }
        }
        await #expect(throws: RPCError.self) { try await swallowing.catchUp() }
        #expect(try await swallowing.cursor() == 0, "the page's events were not stored, so the cursor stays before them")
        #expect(try await seen(queue).isEmpty)

        let feed = follower(queue, source)
        let behind = FeedPage(events: [Source.Event(cursor: 1, text: "again")], cursor: 0, more: false)
        let stuck = FeedPage<Source.Event>(events: [], cursor: 0, more: true)
        for page in [behind, stuck] {
            do {
                try await feed.apply(page, after: 0)
                Issue.record("a page that does not move the cursor was accepted")
            } catch let error as RPCError {
                #expect(error.code == .dataLoss)
            }
        }
        try await feed.apply(FeedPage(events: [], cursor: 0, more: false), after: 0)  // nothing new: fine
        #expect(try await seen(queue).isEmpty)
    }

    @Test("while the source is down the poller backs off, doubling its wait up to the cap, warns once, and catches up when it returns")
    func backoff() async throws {
        let queue = try DatabaseQueue(path: temporaryDirectory("feeds") + "/f.sqlite", migrator: migrator)
        let source = Source()
        source.append(["a"])
        source.setDown(true)
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "feeds", sink: { line in lines.withLock { $0.append(line) } })
        let feed = follower(queue, source)
        let poller = FeedPoller(interval: .milliseconds(20), maxBackoff: .milliseconds(160), logger: logger)
        let rounds = Mutex<[ContinuousClock.Instant]>([])
        let outcomes = Mutex<[String?]>([])
        let task = Task {
            await poller.run(onOutcome: { o in outcomes.withLock { $0.append(o) } }) {
                rounds.withLock { $0.append(.now) }
                try await feed.catchUp()
            }
        }
        // Rounds at 0, +40, +80, +160, +160, … ms: six take about 600 ms, not the 120 ms of no backoff.
        while rounds.withLock({ $0.count }) < 6 { try await Task.sleep(for: .milliseconds(10)) }
        let times = rounds.withLock { $0 }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps[0] >= .milliseconds(40))
        #expect(gaps[1] >= .milliseconds(80))
        #expect(gaps[2] >= .milliseconds(160) && gaps[3] >= .milliseconds(160), "capped at 160 ms: \(gaps)")
        #expect(try await seen(queue).isEmpty)
        source.setDown(false)
        while try await seen(queue).isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await task.value
        let log = lines.withLock { $0 }
        #expect(log.filter { $0.contains("warning") }.count == 1, "one warning for one fault, not one a round: \(log)")
        #expect(log.contains { $0.contains("caught up again") })
        #expect(outcomes.withLock { $0.first } == "UNAVAILABLE: nothing answers at intake.sock")
        #expect(outcomes.withLock { $0.last } == .some(nil))
    }
}
