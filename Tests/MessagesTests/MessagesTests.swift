import Foundation
import Messages
import RPC
import Testing
@testable import Wire

/// A value of any message type with every field filled in (optionals present, one element in
/// every array), made by decoding from the reflection decoder that records shapes.
func sample<T: Decodable>(_ type: T.Type) throws -> T {
    try ShapeDecoder(node: ShapeNode(), depth: 0).decodeValue(type)
}

/// Encodes a sample, decodes it, and encodes it again: equal bytes, with every field kept.
func roundTrip<Req, Res>(_ method: MethodDescriptor<Req, Res>) throws {
    for check in [{ try checkOne(Req.self) }, { try checkOne(Res.self) }] as [() throws -> Void] { try check() }
}

func checkOne<T: Codable>(_ type: T.Type) throws {
    let value = try sample(type)
    let bytes = try CBOREncoder().encode(value)
    let decoded = try CBORDecoder().decode(type, from: bytes)
    let again = try CBOREncoder().encode(decoded)
    #expect(again == bytes, "\(type) changed in a round trip")
    // Nothing was dropped: the sample's shape has every field, and so does the decoded value.
    #expect(Shape.describe(type).isEmpty == false)
}

@Suite("Every message type round-trips through the CBOR coder")
struct MessagesTests {
    @Test("the request and response of every method of every service")
    func everyMethod() throws {
        try roundTrip(RosterAPI.getUnit)
        try roundTrip(RosterAPI.listUnits)
        try roundTrip(RosterAPI.searchUnits)
        try roundTrip(RosterAPI.importUnits)
        try roundTrip(RosterAPI.upsertUnit)
        try roundTrip(RosterAPI.isUnder)
        try roundTrip(RosterAPI.addPerson)
        try roundTrip(RosterAPI.updatePerson)
        try roundTrip(RosterAPI.getPerson)
        try roundTrip(RosterAPI.listPeople)
        try roundTrip(RosterAPI.searchPeople)
        try roundTrip(RosterAPI.leave)
        try roundTrip(RosterAPI.assignOfficial)
        try roundTrip(RosterAPI.officialHistory)
        try roundTrip(RosterAPI.currentOfficial)
        try roundTrip(RosterAPI.teamStatus)
        try roundTrip(RosterAPI.setTeamNorm)
        try roundTrip(RosterAPI.listTeamNorms)
        try roundTrip(RosterAPI.listTopics)
        try roundTrip(RosterAPI.upsertTopic)
        try roundTrip(RosterAPI.listTasks)
        try roundTrip(RosterAPI.upsertTask)
        try roundTrip(RosterAPI.completeTask)
        try roundTrip(RosterAPI.taskStatus)
        try roundTrip(RosterAPI.summary)
        try roundTrip(RosterAPI.listAssignments)
        try roundTrip(IntakeAPI.submitReport)
        try roundTrip(IntakeAPI.getReport)
        try roundTrip(IntakeAPI.reportHistory)
        try roundTrip(IntakeAPI.listChanges)
        try roundTrip(IntakeAPI.createSurvey)
        try roundTrip(IntakeAPI.openSurvey)
        try roundTrip(IntakeAPI.closeSurvey)
        try roundTrip(IntakeAPI.getSurvey)
        try roundTrip(IntakeAPI.listSurveys)
        try roundTrip(IntakeAPI.respond)
        try roundTrip(IntakeAPI.importResponses)
        try roundTrip(IntakeAPI.surveyCounts)
        try roundTrip(IntakeAPI.surveyResponses)
        try roundTrip(IntakeAPI.importArchive)
        try roundTrip(AnalyticsAPI.completeness)
        try roundTrip(AnalyticsAPI.ingestStatus)
        try roundTrip(AnalyticsAPI.trends)
        try roundTrip(AnalyticsAPI.rising)
        try roundTrip(AnalyticsAPI.sentiment)
        try roundTrip(AnalyticsAPI.phrases)
        try roundTrip(AnalyticsAPI.search)
        try roundTrip(AnalyticsAPI.spikes)
        try roundTrip(AnalyticsAPI.ranking)
        try roundTrip(AnalyticsAPI.surveyResults)
        try roundTrip(NotificationAPI.listOutbox)
        try roundTrip(GatewayAPI.whoAmI)
        try roundTrip(GatewayAPI.status)
        try roundTrip(GatewayAPI.listAllMethods)
        try roundTrip(Introspection.check)
        try roundTrip(Introspection.listMethods)
    }

    @Test("a sample really has its optional fields and nested values")
    func samplesAreFull() throws {
        let draft = try sample(ReportDraft.self)
        #expect(draft.items.count == 1)
        #expect(draft.items[0].proposal != nil)
        let item = try CBOREncoder().encodeToItem(draft)
        guard case .array(let items)? = item["items"] else { Issue.record("no items"); return }
        #expect(items[0]["proposal"] != nil)
        #expect(item["period"] == .text("2025-07"))
    }
}
