import Messages
import RPC
import Store

/// The feeds Pulse's services follow, each read through its owner's RPC.
extension FeedFollower where Event == Change {
    /// report-intake's change feed (`ListChanges`): reports, surveys and responses in commit order.
    public static func intakeChanges(
        from intake: RPCClient, into queue: DatabaseQueue, pageSize: Int = 500, consume: @escaping Consume
    ) -> FeedFollower {
        FeedFollower(name: FeedName.intakeChanges, queue: queue, pageSize: pageSize, fetch: { after, limit in
            let batch = try await intake.call(IntakeAPI.listChanges, ListChangesRequest(after: after, limit: limit), deadline: .seconds(30))
            return FeedPage(batch)
        }, consume: consume)
    }
}

extension FeedFollower where Event == Spike {
    /// analytics' spikes (`ListSpikes`), in the order they were found; the cursor is a spike's id.
    public static func analyticsSpikes(
        from analytics: RPCClient, into queue: DatabaseQueue, pageSize: Int = 200, consume: @escaping Consume
    ) -> FeedFollower {
        FeedFollower(name: FeedName.analyticsSpikes, queue: queue, pageSize: pageSize, fetch: { after, limit in
            let request = ListSpikesRequest(after: Int(clamping: after), limit: limit)
            let spikes = try await analytics.call(AnalyticsAPI.spikes, request, deadline: .seconds(30)).spikes
            // Pulled until a page comes back empty, however analytics caps a page.
            let last = spikes.map { UInt64(clamping: $0.id) }.max() ?? after
            return FeedPage(events: spikes, cursor: last, more: !spikes.isEmpty)
        }, consume: consume)
    }
}

extension FeedPage where Event == Change {
    /// A batch of intake's changes as a page.
    public init(_ batch: ChangeBatch) {
        self.init(events: batch.changes, cursor: batch.cursor, more: batch.more)
    }
}
