import Messages
import RPC
import Wire

public enum AnalyticsService {
    public static let name = "pulse.analytics.v1.Analytics"

    public static func router(_ store: AnalyticsStore) -> Router {
        var r = Router()
        r.register(AnalyticsAPI.completeness) { request, _ in try await store.completeness(request) }
        r.register(AnalyticsAPI.ingestStatus) { _, _ in try await store.status() }
        return r
    }
}
