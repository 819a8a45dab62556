import Base
import Localization
import Messages
import RPC
import Wire

/// Roster's RPC handlers: each decodes, asks the store, answers.
public enum RosterService {
    public static let name = RosterAPI.service

    public static func router(_ store: RosterStore) -> Router {
        var r = Router()
        r.register(RosterAPI.getUnit) { request, _ in try await store.unit(request) }
        r.register(RosterAPI.listUnits) { request, _ in UnitList(units: try await store.units(request)) }
        r.register(RosterAPI.searchUnits) { request, _ in UnitList(units: try await store.searchUnits(request)) }
        r.register(RosterAPI.importUnits) { request, _ in
            switch request.dataset {
            case nil: return try await store.importUnits(request)
            case "ha-tinh": return try await store.importHaTinh()
            case let other?: throw RPCError(.invalidArgument, tr("dataset: không có bộ dữ liệu \"\(other)\"; bộ có sẵn là ha-tinh", en: "dataset: no shipped data set \"\(other)\"; the one that ships is ha-tinh"))
            }
        }
        r.register(RosterAPI.upsertUnit) { unit, _ in try await store.upsertUnit(unit) }
        r.register(RosterAPI.isUnder) { request, _ in BoolValue(try await store.isUnder(request)) }
        r.register(RosterAPI.addPerson) { person, _ in try await store.addPerson(person) }
        r.register(RosterAPI.updatePerson) { person, _ in try await store.updatePerson(person) }
        r.register(RosterAPI.getPerson) { request, _ in try await store.person(request.id) }
        r.register(RosterAPI.listPeople) { request, _ in PersonList(people: try await store.people(request)) }
        r.register(RosterAPI.searchPeople) { request, _ in PersonList(people: try await store.searchPeople(request)) }
        r.register(RosterAPI.leave) { request, _ in try await store.leave(request) }
        r.register(RosterAPI.assignOfficial) { request, _ in try await store.assign(request) }
        r.register(RosterAPI.officialHistory) { request, _ in AssignmentList(assignments: try await store.officialHistory(request.unit)) }
        r.register(RosterAPI.currentOfficial) { request, _ in try await store.currentOfficial(request) }
        r.register(RosterAPI.teamStatus) { request, _ in try await store.teamStatus(request) }
        r.register(RosterAPI.setTeamNorm) { norm, _ in try await store.setTeamNorm(norm) }
        r.register(RosterAPI.listTeamNorms) { _, _ in TeamNormList(norms: try await store.teamNorms()) }
        r.register(RosterAPI.listTopics) { request, _ in TopicList(topics: try await store.topics(includeRetired: request.includeRetired ?? false)) }
        r.register(RosterAPI.upsertTopic) { topic, _ in try await store.upsertTopic(topic) }
        r.register(RosterAPI.listTasks) { _, _ in PlanTaskList(tasks: try await store.tasks()) }
        r.register(RosterAPI.upsertTask) { task, _ in try await store.upsertTask(task) }
        r.register(RosterAPI.completeTask) { request, _ in try await store.completeTask(request) }
        r.register(RosterAPI.rescrub) { _, _ in try await store.rescrub() }
        r.register(RosterAPI.taskStatus) { request, _ in try await store.taskStatus(request) }
        r.register(RosterAPI.summary) { request, _ in try await store.summary(asOf: request.asOf) }
        r.register(RosterAPI.listAssignments) { _, _ in AssignmentList(assignments: try await store.allAssignments()) }
        return r
    }
}
