import Base
import Foundation
import Messages
import RPC

public enum NotificationService {
    public static let name = NotificationAPI.service

    public static func router(_ engine: NotificationEngine) -> Router {
        let store = engine.store
        var r = Router()
        r.register(NotificationAPI.listNotices) { request, _ in try NoticeList(notices: await store.notices(try checked(request))) }
        r.register(NotificationAPI.deliveryLog) { request, _ in try await store.log(try checked(request)) }
        r.register(NotificationAPI.preview) { request, _ in
            let at = request.at ?? engine.clock()
            guard at.timeIntervalSince1970.isFinite, (Day(year: 2000, month: 1, day: 1)!.startOfDay...Day(year: 2100, month: 1, day: 1)!.startOfDay).contains(at) else {
                throw RPCError(.invalidArgument, "at: \(at) is outside 2000–2099; give an instant like 2026-11-20T07:00:00+07:00")
            }
            return NoticeList(notices: try await engine.preview(at: at))
        }
        r.register(NotificationAPI.runRules) { _, _ in
            let now = engine.clock()
            let recorded = try await engine.evaluate(at: now)
            return RunRulesResult(recorded: recorded, delivered: try await engine.deliver(at: now))
        }
        r.register(NotificationAPI.retry) { request, _ in try await store.retry(request.id, at: engine.clock(), quietHours: engine.policy.quietHours) }
        r.register(NotificationAPI.subscribe) { request, _ in try await store.subscribe(try checked(request)) }
        r.register(NotificationAPI.unsubscribe) { request, _ in SubscriptionList(subscriptions: try await store.unsubscribe(request)) }
        r.register(NotificationAPI.listSubscriptions) { request, _ in SubscriptionList(subscriptions: try await store.subscriptions(person: request.person)) }
        return r
    }

    static func checked(_ request: ListNoticesRequest) throws(RPCError) -> ListNoticesRequest {
        if let limit = request.limit, !(1...10_000).contains(limit) {
            throw RPCError(.invalidArgument, "limit: \(limit) is not 1 to 10.000")
        }
        if let unit = request.unit, unit.isEmpty || unit.utf8.count > 64 { throw RPCError(.invalidArgument, "unit: give a unit code such as 18775") }
        return request
    }

    static func checked(_ s: Subscription) throws(RPCError) -> Subscription {
        guard s.person > 0 else { throw RPCError(.invalidArgument, "person: give the person's id (pulse people list shows them)") }
        guard s.topics.count <= 100, s.topics.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 && !$0.contains(",") }) else {
            throw RPCError(.invalidArgument, "topics: at most 100 topic codes such as dat-dai, without commas")
        }
        if let unit = s.unit, unit.isEmpty || unit.utf8.count > 64 { throw RPCError(.invalidArgument, "unit: give a unit code such as 18775") }
        if let m = s.minStrength, !(m.isFinite && m >= 0 && m <= 1000) {
            throw RPCError(.invalidArgument, "minStrength: \(m) is not a strength from 0 to 1.000 (a spike's items over its baseline)")
        }
        var out = s
        out.id = nil
        return out
    }
}
