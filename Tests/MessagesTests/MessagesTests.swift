import Analytics
import Base
import Foundation
import Gateway
import Intake
import Messages
import Notification
import RPC
import Roster
import TestSupport
import Testing
@testable import Wire

/// A value of any message type with every field filled in (optionals present, one element in
/// every array), made by decoding from the reflection decoder that records shapes.
func sample<T: Decodable>(_ type: T.Type) throws -> T {
    try ShapeDecoder(node: ShapeNode(), depth: 0).decodeValue(type)
}

/// Encodes a full sample of `type`, decodes it and encodes it again: the same bytes, and every
/// field the type decodes is in the encoding (a field its encoder forgot would be dropped
/// without changing the bytes of a second round trip).
func roundTrip<T: Codable>(_ type: T.Type) throws {
    let node = ShapeNode()
    let value = try ShapeDecoder(node: node, depth: 0).decodeValue(type)
    let bytes = try CBOREncoder().encode(value)
    let decoded = try CBORDecoder().decode(type, from: bytes)
    #expect(try CBOREncoder().encode(decoded) == bytes, "\(type) changed in a round trip")
    let missing = fieldsMissing(from: try CBOREncoder().encodeToItem(value), shape: node, path: "\(type)")
    #expect(missing.isEmpty, "\(type) encodes without \(missing)")
}

/// The fields of `shape` (recursively) that `item` lacks, as paths.
func fieldsMissing(from item: CBOR, shape: ShapeNode, path: String) -> [String] {
    if let element = shape.element {
        guard case .array(let items) = item else { return [path + "[]"] }
        return items.flatMap { fieldsMissing(from: $0, shape: element, path: path + "[]") }
    }
    guard shape.isMap, shape.scalar == nil else { return [] }
    return shape.fields.flatMap { field -> [String] in
        guard let value = item[field.name] else { return [path + "." + field.name] }
        return fieldsMissing(from: value, shape: field.node, path: path + "." + field.name)
    }
}

/// Every server Pulse runs, built as its daemon builds it (on fresh files; the clients to
/// other services are never called), so that what they register is what is checked.
func everyServer() throws -> [RPCServer] {
    let dir = temporaryDirectory("messages")
    let elsewhere = RPCClient(path: dir + "/nothing.sock")
    let roster = try RosterStore(path: dir + "/roster.sqlite")
    let intake = try IntakeStore(path: dir + "/intake.sqlite", roster: RosterLookup(client: elsewhere))
    let analytics = try AnalyticsStore(path: dir + "/analytics.sqlite")
    let notification = NotificationEngine(
        store: try NotificationStore(directory: dir + "/notification"), templates: try NoticeTemplates(), rules: NoticeRules(RuleConfiguration()),
        channel: try MaildirChannel(directory: dir + "/maildir", from: "pulse@localhost"), policy: DeliveryPolicy(),
        roster: elsewhere, intake: elsewhere, analytics: nil, logger: .silent())
    let gateway = try Gateway(backends: [:], policy: Policy(entries: []), dataDirectory: dir)
    let routers = [
        (RosterService.name, RosterService.router(roster)), (IntakeService.name, IntakeService.router(intake)),
        (AnalyticsService.name, AnalyticsService.router(analytics, roster: elsewhere, intake: elsewhere)),
        (NotificationService.name, NotificationService.router(notification)), (GatewayAPI.service, gateway.router()),
    ]
    return routers.map { RPCServer(configuration: .init(path: dir + "/unused.sock", serviceName: $0.0), router: $0.1, logger: .silent()) }
}

@Suite("Every message type round-trips through the CBOR coder")
struct MessagesTests {
    @Test("the request and response of every method every service registers, as reflection lists them")
    func everyMethod() throws {
        let methods = try everyServer().flatMap(\.methods)
        // Health and reflection come with every server; count them once.
        let names = Set(methods.map(\.name))
        #expect(names.count >= 56, "every service's methods are found: \(names.count)")
        for service in [RosterAPI.service, IntakeAPI.service, AnalyticsAPI.service, NotificationAPI.service, GatewayAPI.service] {
            #expect(names.contains { $0.hasPrefix(service + "/") }, "\(service) registers methods")
        }
        for method in methods {
            try roundTrip(method.requestType)
            try roundTrip(method.responseType)
        }
    }

    @Test("every method whose rule limits a role to its units is one the gateway can read the units of, for its audit log")
    func scopedMethodsAreListed() throws {
        let scoped = try everyServer().flatMap(\.methods).filter { !$0.scopedRoles.isEmpty }
        #expect(scoped.count >= 6)
        for method in scoped {
            #expect(ScopedMethods.covers(method.name), "\(method.name) limits \(method.scopedRoles) to their units; list it in ScopedMethods")
            let body = try CBOREncoder().encode(try Shape.example(method.requestType))
            #expect(ScopedMethods.units(method: method.name, body: body) != nil, "\(method.name)")
        }
        #expect(ScopedMethods.units(method: RosterAPI.getUnit.fullName, body: []) == nil)
    }

    @Test("a sample really has its optional fields and nested values, and a dropped field is caught")
    func samplesAreFull() throws {
        let draft = try sample(ReportDraft.self)
        #expect(draft.items.count == 1)
        #expect(draft.items[0].proposal != nil)
        let item = try CBOREncoder().encodeToItem(draft)
        guard case .array(let items)? = item["items"] else { Issue.record("no items"); return }
        #expect(items[0]["proposal"] != nil)
        #expect(item["period"] == .text("2025-07"))

        struct Forgetful: Codable {
            var kept: String
            var forgotten: String?
            enum CodingKeys: CodingKey { case kept, forgotten }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(kept, forKey: .kept)
            }
        }
        let node = ShapeNode()
        let value = try ShapeDecoder(node: node, depth: 0).decodeValue(Forgetful.self)
        #expect(fieldsMissing(from: try CBOREncoder().encodeToItem(value), shape: node, path: "Forgetful") == ["Forgetful.forgotten"])
    }
}
