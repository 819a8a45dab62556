import Base
import Localization
import Messages
import RPC
import Wire

public enum AnalyticsService {
    public static let name = AnalyticsAPI.service

    /// A call that came through the gateway from a partner agency: small cells are withheld.
    static func partner(_ context: ServerContext) -> Bool {
        context.principal?.role == .partner
    }

    /// A partner's own units, whose reports it reads in full.
    static func units(_ context: ServerContext) -> [String] {
        context.principal?.units ?? []
    }

    public static func router(_ store: AnalyticsStore, roster: RPCClient, intake: RPCClient) -> Router {
        var r = Router()
        r.register(AnalyticsAPI.completeness) { request, context in
            var completeness = try await store.completeness(request)
            // A partner agency sees who reported; how many items is a cell of one report, shown
            // only for its own units.
            if partner(context) {
                var own: Set<String> = []
                for unit in context.principal?.units ?? [] { own.formUnion(try store.subtree(unit) ?? [unit]) }
                for i in completeness.rows.indices where !own.contains(completeness.rows[i].unit) {
                    // When each report came in, and which version it is, would date the figures' changes.
                    completeness.rows[i].items = nil
                    completeness.rows[i].version = nil
                    completeness.rows[i].receivedAt = nil
                }
            }
            return completeness
        }
        r.register(AnalyticsAPI.ingestStatus) { _, _ in try await store.status() }
        r.register(AnalyticsAPI.trends) { scope, context in try store.trends(scope, partner: partner(context), partnerUnits: units(context)) }
        r.register(AnalyticsAPI.rising) { request, context in try store.rising(request, partner: partner(context), partnerUnits: units(context)) }
        r.register(AnalyticsAPI.sentiment) { scope, context in try store.sentiment(scope, partner: partner(context), partnerUnits: units(context)) }
        r.register(AnalyticsAPI.phrases) { request, context in
            // An official reads only its own units' reports: it gets the phrases a partner gets.
            try await store.phrases(request, partner: partner(context) || context.principal?.role == .official, partnerUnits: units(context))
        }
        r.register(AnalyticsAPI.phraseCounts) { request, _ in try await store.phraseCounts(request) }
        // Full-text search is the commission's only: its access rule admits no partner.
        r.register(AnalyticsAPI.search) { request, _ in try await store.search(request) }
        r.register(AnalyticsAPI.checkTopics) { request, _ in try await store.checkTopics(request) }
        r.register(AnalyticsAPI.spikes) { request, context in try await store.spikes(request, partner: partner(context), partnerUnits: units(context)) }
        r.register(AnalyticsAPI.ranking) { request, _ in
            let assignments = try await roster.call(RosterAPI.listAssignments, Empty(), deadline: .seconds(10)).assignments
            guard request.year <= Day.today.year else {
                throw RPCError(.invalidArgument, tr("year: năm \(request.year) chưa đến; xếp loại năm nay (\(Day.today.year)) hoặc các năm trước", en: "year: \(request.year) has not come yet; rank this year (\(Day.today.year)) or an earlier one"))
            }
            guard let yearEnd = Day(year: request.year, month: 12, day: 31), request.year < 9999 else {
                throw RPCError(.invalidArgument, tr("year: \(request.year) không phải năm Pulse xếp loại được; hãy cho một năm từ 1900 đến 9998", en: "year: \(request.year) is not a year Pulse can rank; give one from 1900 to 9998"))
            }
            let asOf = min(yearEnd, Day.today)
            let teams = try await roster.call(RosterAPI.teamStatus, TeamStatusRequest(asOf: asOf), deadline: .seconds(10)).rows
            return try await store.ranking(request, assignments: assignments, teams: teams)
        }
        r.register(AnalyticsAPI.rescrub) { _, _ in try await store.rescrub() }
        r.register(AnalyticsAPI.surveyResults) { request, context in
            // Page by page: however many responses, no answer nears the frame limit.
            var data = try await intake.call(IntakeAPI.surveyResponses, SurveyResponsesRequest(survey: request.id), deadline: .seconds(30))
            var next = data.next
            while let after = next {
                let page = try await intake.call(IntakeAPI.surveyResponses, SurveyResponsesRequest(survey: request.id, after: after), deadline: .seconds(30))
                data.responses += page.responses
                next = page.next
            }
            let results = try await store.surveyResults(data)
            // Anyone but the commission's administrators and analysts: fewer answers than the
            // minimum could point at who gave them.
            if let role = context.principal?.role, role != .admin && role != .analyst {
                let m = store.configuration.minimumRespondents
                // Figures that change with each response would give each response away.
                guard data.survey.state == .closed else {
                    throw RPCError(.failedPrecondition, tr("khảo sát \(request.id): kết quả chỉ hiện cho cán bộ đơn vị và cơ quan phối hợp khi khảo sát đã đóng (pulse survey close)", en: "survey \(request.id): its results are shown to officials and partner agencies once it is closed (pulse survey close)"))
                }
                if data.responses.count < m {
                    throw RPCError(.permissionDenied, tr("khảo sát \(request.id): kết quả bị ẩn đến khi có \(m) phiếu (\(m) là --min-respondents của dịch vụ analytics)", en: "survey \(request.id): its results are withheld until \(m) responses are in (\(m) is the analytics service's --min-respondents)"))
                }
                return SurveyDisclosure.withheld(results, minimum: m)
            }
            return results
        }
        return r
    }
}
