import Base
import Feeds
import Messages
import RPC
import Synchronization

/// What analytics follows: intake's change feed, and roster's units, refreshed every
/// `unitRefresh` and whenever a report names a unit analytics does not know yet.
public final class AnalyticsFeeds: Sendable {
    public let store: AnalyticsStore
    public let roster: RPCClient
    public let changes: FeedFollower<Change>
    public let poller: FeedPoller
    public let unitRefresh: Duration
    private let unitsRefreshed = Mutex<ContinuousClock.Instant?>(nil)

    public init(store: AnalyticsStore, intake: RPCClient, roster: RPCClient, logger: Logger, unitRefresh: Duration = .seconds(30)) {
        self.unitRefresh = unitRefresh
        self.store = store
        self.roster = roster
        self.poller = FeedPoller(logger: logger)
        changes = .intakeChanges(from: intake, into: store.queue, pageSize: 1000) { [roster] page, commit in
            let named = Set(page.events.compactMap { $0.report?.unit })
            if !named.isEmpty, try await !store.knowsUnits(named) { try await AnalyticsFeeds.refreshUnits(store, from: roster) }
            try await store.apply(page, commit: commit)
        }
    }

    /// Applies everything intake's feed has now; returns how many changes it applied.
    @discardableResult
    public func catchUp() async throws -> Int { try await changes.catchUp() }

    public func refreshUnits() async throws {
        try await AnalyticsFeeds.refreshUnits(store, from: roster)
        unitsRefreshed.withLock { $0 = .now }
    }

    private static func refreshUnits(_ store: AnalyticsStore, from roster: RPCClient) async throws {
        let units = try await roster.call(RosterAPI.listUnits, ListUnitsRequest(), deadline: .seconds(30)).units
        try await store.replaceUnits(units)
    }

    /// Follows until cancelled.
    public func run() async {
        await poller.run(onOutcome: { store.noteError($0) }) {
            let stale = unitsRefreshed.withLock { last in last.map { ContinuousClock.now - $0 > unitRefresh } ?? true }
            if stale || store.unitList.withLock({ $0.isEmpty }) { try await refreshUnits() }
            let n = try await catchUp()
            if n > 0 { poller.logger.info("applied \(n) changes from intake") }
        }
    }
}
