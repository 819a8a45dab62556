import Base
import Foundation
import Messages
import RPC
import Synchronization
import Wire

/// Pulls intake's change feed and roster's units into the analytics store until cancelled.
/// Pull, never push: after any downtime it continues from the stored cursor.
public struct FeedFollower: Sendable {
    public let store: AnalyticsStore
    public let intake: RPCClient
    public let roster: RPCClient
    public let logger: Logger
    public var pollInterval: Duration = .seconds(1)
    public var unitRefresh: Duration = .seconds(30)

    public init(store: AnalyticsStore, intake: RPCClient, roster: RPCClient, logger: Logger) {
        self.store = store
        self.intake = intake
        self.roster = roster
        self.logger = logger
    }

    /// Applies everything the feed has now; returns how many changes it applied. Units are
    /// refreshed first whenever a report names a unit analytics does not know yet.
    @discardableResult
    public func catchUp() async throws -> Int {
        var applied = 0
        var cursor = try await store.cursor()
        while true {
            let batch = try await intake.call(IntakeAPI.listChanges, ListChangesRequest(after: cursor, limit: 1000), deadline: .seconds(30))
            let named = Set(batch.changes.compactMap { $0.report?.unit })
            if !named.isEmpty, try await !store.knowsUnits(named) { try await refreshUnits() }
            if !batch.changes.isEmpty { try await store.apply(batch) }
            applied += batch.changes.count
            cursor = batch.cursor
            if !batch.more { return applied }
        }
    }

    public func refreshUnits() async throws {
        let units = try await roster.call(RosterAPI.listUnits, ListUnitsRequest(), deadline: .seconds(30)).units
        try await store.replaceUnits(units)
    }

    public func run() async {
        var lastUnits: ContinuousClock.Instant?
        while !Task.isCancelled {
            do {
                let stale = lastUnits.map { ContinuousClock.now - $0 > unitRefresh } ?? true
                let empty = store.unitList.withLock { $0.isEmpty }
                if stale || empty {
                    try await refreshUnits()
                    lastUnits = .now
                }
                let n = try await catchUp()
                if n > 0 { logger.info("applied \(n) changes from intake") }
                store.noteError(nil)
            } catch {
                store.noteError("\(error)")
                logger.warning("feed: \(error); retrying")
            }
            try? await Task.sleep(for: pollInterval)
        }
    }
}
