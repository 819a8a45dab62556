import Base
import Foundation
import Localization
import Messages
import RPC
import Wire

public enum NotificationService {
    public static let name = NotificationAPI.service

    /// Contact details are the administrators' (as roster's people are): anyone else reads
    /// notices without addresses, and the log without where a message was written.
    static func redacted(_ notices: [Notice], for context: ServerContext) -> [Notice] {
        guard context.principal.map({ $0.role != .admin }) ?? false else { return notices }
        return notices.map {
            var n = $0
            n.address = n.address == nil ? nil : "•••"
            return n
        }
    }

    public static func router(_ engine: NotificationEngine) -> Router {
        let store = engine.store
        var r = Router()
        r.register(NotificationAPI.listNotices) { request, context in
            NoticeList(notices: redacted(try await store.notices(try checked(request)), for: context))
        }
        r.register(NotificationAPI.deliveryLog) { request, context in
            let log = try await store.log(try checked(request))
            let notices = redacted(log.entries.map(\.notice), for: context)
            return DeliveryLog(entries: zip(log.entries, notices).map { DeliveryLogEntry(notice: $1, attempts: $0.attempts) })
        }
        r.register(NotificationAPI.preview) { request, context in
            let at = request.at ?? engine.clock()
            // Checked before anything prints it: a NaN instant cannot even be described.
            guard at.timeIntervalSince1970.isFinite,
                (Day(year: 2000, month: 1, day: 1)!.startOfDay..<Day(year: 2100, month: 1, day: 1)!.startOfDay).contains(at)
            else {
                throw RPCError(.invalidArgument, tr("at: hãy cho một thời điểm từ năm 2000 đến 2099, như 2026-11-20T07:00:00+07:00", en: "at: give an instant from 2000 to 2099, like 2026-11-20T07:00:00+07:00"))
            }
            return NoticeList(notices: redacted(try await engine.preview(at: at), for: context))
        }
        r.register(NotificationAPI.runRules) { _, _ in
            let now = engine.clock()
            let recorded = try await engine.evaluate(at: now)
            return RunRulesResult(recorded: recorded, delivered: try await engine.deliver(at: now))
        }
        r.register(NotificationAPI.digestReady) { request, _ in
            guard !request.location.isEmpty, request.location.count <= 500 else {
                throw RPCError(.invalidArgument, tr("location: hãy cho nơi đặt bản tổng hợp (tối đa 500 ký tự)", en: "location: say where the digest is (at most 500 characters)"))
            }
            let now = engine.clock()
            let recorded = try await engine.digestReady(request, at: now)
            return RunRulesResult(recorded: recorded, delivered: try await engine.deliver(at: now))
        }
        r.register(NotificationAPI.retry) { request, _ in try await store.retry(request.id, at: engine.clock(), quietHours: engine.policy.quietHours) }
        r.register(NotificationAPI.subscribe) { request, _ in try await store.subscribe(try await engine.checked(try checked(request))) }
        r.register(NotificationAPI.unsubscribe) { request, _ in SubscriptionList(subscriptions: try await store.unsubscribe(request)) }
        r.register(NotificationAPI.listSubscriptions) { request, _ in SubscriptionList(subscriptions: try await store.subscriptions(person: request.person)) }
        return r
    }

    static func checked(_ request: ListNoticesRequest) throws(RPCError) -> ListNoticesRequest {
        if let limit = request.limit, !(1...10_000).contains(limit) {
            throw RPCError(.invalidArgument, tr("limit: \(limit) không nằm trong 1 đến 10000", en: "limit: \(limit) is not from 1 to 10000"))
        }
        if let unit = request.unit { try checkedCode(unit, "unit", example: "18775") }
        return request
    }

    /// A code (unit, topic): present, at most 64 bytes, no comma.
    static func checkedCode(_ code: String, _ field: String, example: String) throws(RPCError) {
        guard !code.isEmpty else { throw RPCError(.invalidArgument, tr("\(field): trống; hãy cho một mã như \(example)", en: "\(field): empty; give a code such as \(example)")) }
        guard code.utf8.count <= 64 else { throw RPCError(.invalidArgument, tr("\(field): \(code.utf8.count) byte, dài hơn mọi mã (tối đa 64)", en: "\(field): \(code.utf8.count) bytes is longer than any code (64 at most)")) }
        guard !code.contains(",") else { throw RPCError(.invalidArgument, tr("\(field): \"\(code)\" có dấu phẩy; hãy cho một mã như \(example)", en: "\(field): \"\(code)\" holds a comma; give one code such as \(example)")) }
    }

    static func checked(_ s: Subscription) throws(RPCError) -> Subscription {
        guard s.person > 0 else { throw RPCError(.invalidArgument, tr("person: hãy cho số của người (pulse people list liệt kê họ)", en: "person: give the person's id (pulse people list shows them)")) }
        guard s.topics.count <= 100 else { throw RPCError(.invalidArgument, tr("topics: \(s.topics.count) chủ đề; tối đa 100", en: "topics: \(s.topics.count) topics; at most 100")) }
        for topic in s.topics { try checkedCode(topic, "topics", example: "dat-dai") }
        if let unit = s.unit { try checkedCode(unit, "unit", example: "18775") }
        if let m = s.minStrength, !(m.isFinite && m >= 0 && m <= 1000) {
            throw RPCError(.invalidArgument, tr("minStrength: \(m) không phải cường độ từ 0 đến 1.000 (số lần nội dung vượt nền)", en: "minStrength: \(m) is not a strength from 0 to 1.000 (a spike's items over its baseline)"))
        }
        var out = s
        out.id = nil
        var seen: Set<String> = []
        out.topics = s.topics.filter { seen.insert($0).inserted }
        return out
    }
}
