import Base
import Localization
import Messages
import RPC
import Wire

/// Report intake's RPC handlers.
public enum IntakeService {
    public static let name = IntakeAPI.service

    public static func router(_ store: IntakeStore) -> Router {
        var r = Router()
        r.register(IntakeAPI.submitReport) { draft, context in
            // A report made through the gateway is its caller's: an official's or a partner's
            // roster person, whoever the draft names as its submitter.
            var draft = draft
            if let principal = context.principal, principal.role == .official || principal.role == .partner {
                guard let person = principal.person else {
                    throw RPCError(
                        .permissionDenied,
                        tr("submitter: tài khoản của bạn không gắn với người nào trong roster, nên báo cáo sẽ mang tên người khác; hãy đề nghị Ban thêm \"person\" vào mục của bạn trong chính sách của gateway",
                           en: "submitter: your account is tied to no roster person, so its reports would be in someone else's name; ask the commission to add \"person\" to your entry in the gateway's policy"))
                }
                draft.submitter = person
            }
            return try await store.submit(draft)
        }
        r.register(IntakeAPI.getReport) { request, _ in try await store.report(request) }
        r.register(IntakeAPI.reportHistory) { request, _ in try await store.history(unit: request.unit) }
        r.register(IntakeAPI.listChanges) { request, _ in try await store.changes(after: request.after, limit: request.limit ?? 500) }
        r.register(IntakeAPI.createSurvey) { survey, _ in try await store.createSurvey(survey) }
        r.register(IntakeAPI.openSurvey) { request, _ in try await store.setSurveyState(request.id, to: .open) }
        r.register(IntakeAPI.closeSurvey) { request, _ in try await store.setSurveyState(request.id, to: .closed) }
        r.register(IntakeAPI.getSurvey) { request, _ in try await store.survey(request.id) }
        r.register(IntakeAPI.listSurveys) { _, _ in SurveyList(surveys: try await store.surveys()) }
        r.register(IntakeAPI.respond) { response, _ in try await store.respond(response) }
        r.register(IntakeAPI.importResponses) { request, _ in try await store.importResponses(request) }
        r.register(IntakeAPI.surveyCounts) { request, _ in try await store.counts(request.id) }
        r.register(IntakeAPI.surveyResponses) { request, _ in try await store.responses(request.survey, after: request.after) }
        r.register(IntakeAPI.importArchive) { request, _ in try await store.importArchive(request) }
        r.register(IntakeAPI.rescrub) { _, _ in try await store.rescrub() }
        r.register(IntakeAPI.reviewReport) { request, _ in try await store.review(request) }
        r.register(IntakeAPI.reviews) { request, _ in try await store.reviews(request) }
        return r
    }
}
