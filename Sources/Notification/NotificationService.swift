import Base
import Feeds
import Messages
import RPC

public enum NotificationService {
    public static let name = NotificationAPI.service

    public static func router(_ store: NotificationStore) -> Router {
        var r = Router()
        r.register(NotificationAPI.listOutbox) { request, _ in try await store.outbox(limit: request.limit ?? 50) }
        return r
    }

    /// Pulls intake's feed (and analytics' spikes, when given) into the outbox and delivers,
    /// until cancelled.
    public static func follow(store: NotificationStore, intake: RPCClient, analytics: RPCClient? = nil, logger: Logger) async {
        let changes = store.intakeChanges(from: intake)
        let spikes = analytics.map { store.analyticsSpikes(from: $0) }
        await FeedPoller(logger: logger).run {
            try await changes.catchUp()
            try await spikes?.catchUp()
            let n = try await store.deliver()
            if n > 0 { logger.info("delivered \(n) notices to \(store.maildir)") }
        }
    }
}
