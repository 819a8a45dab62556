import Base
import Foundation
import Messages
import RPC
import Store
import TestSupport
import Testing
import Wire
@testable import Gateway
import Text

@Suite("Gateway policy and audit")
struct GatewayTests {
    @Test("the audit log keeps unit codes as given and withholds anything else typed where a code goes", arguments: [
        ("18073", "18073"), ("42-DU-CA", "42-DU-CA"), ("vana@gmail.com", "[withheld: not a unit code]"), ("0977888999", "[withheld: not a unit code]"),
        ("ông Tư CCCD 042095012399", "[withheld: not a unit code]"), ("", "[withheld: not a unit code]"),
    ])
    func auditedScope(_ given: String, _ written: String) {
        #expect(Gateway.auditable(given) == written)
    }

    @Test("the example policy loads; an entry matches by uid or by a primary or supplementary group, the first match winning")
    func policyFile() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/policy.example.json").path
        // The example names accounts an installed server has; here they are given numbers.
        let ids = ["pulse-admins": 900, "pulse-analysts": 901, "pulse-auditors": 902, "nva": 1002, "pulse-metrics": 903, "pulse-digest": 904] as [String: UInt32]
        let loaded = try Policy.load(path: example, accounts: .init(uid: { ids[$0] }, gid: { ids[$0] }))
        #expect(Set(loaded.entries.map(\.role)) == Set(Role.allCases), "the example shows every role")
        #expect(loaded.entry(for: PeerCredentials(pid: 1, uid: 5000, gid: 100, groups: [901]))?.role == .analyst)
        let policy = try Policy.parse(
            """
            {"principals": [
              {"uid": 1001, "role": "admin"},
              {"group": "root", "role": "analyst"},
              {"uid": 1003, "role": "partner", "agency": "police", "units": ["42-DU-CA"]},
              {"uid": 1004, "role": "official", "person": 17}
            ]}
            """, path: "p.json")
        #expect(policy.entry(for: PeerCredentials(pid: 1, uid: 1001, gid: 5))?.role == .admin)
        #expect(policy.entry(for: PeerCredentials(pid: 1, uid: 4242, gid: 0))?.role == .analyst, "primary group")
        #expect(policy.entry(for: PeerCredentials(pid: 1, uid: 4242, gid: 5, groups: [7, 0]))?.role == .analyst, "supplementary group")
        #expect(policy.entry(for: PeerCredentials(pid: 1, uid: 1003, gid: 0))?.role == .analyst, "the first match wins")
        #expect(policy.entry(for: PeerCredentials(pid: 1, uid: 1003, gid: 5))?.units == ["42-DU-CA"])
        #expect(policy.entry(for: PeerCredentials(pid: 1, uid: 1004, gid: 5))?.person == 17)
        #expect(policy.entry(for: PeerCredentials(pid: 1, uid: 4242, gid: 5, groups: [6])) == nil)
    }

    @Test(
        "a bad policy is refused with its line and field and what to do",
        arguments: [
            ("{\"principals\": [\n  {\"uid\": 1, \"role\": \"admin\"},\n  {\"uid\": 2, \"role\": \"boss\"}\n]}", "p.json:3: principals[1].role: \"boss\" is not a role; one of admin, analyst, official, partner, auditor"),
            ("{\"principals\": [\n  {\"uid\": 1, \"rol\": \"admin\"}\n]}", "p.json:2: principals[0].rol: not a field of an entry; the fields are uid, user, group, role, agency, person, units"),
            ("{\"principals\": [\n  {\"uid\": 1, \"role\": \"admin\",}\n]}", "p.json:2: expected a field name in double quotes"),
            ("{\"principals\": [\n\n  {\"uid\": 1, \"user\": \"root\", \"role\": \"admin\"}\n]}", "p.json:3: principals[0]: give exactly one of uid, user or group to say whose account this is (it has uid and user)"),
            ("{\"principals\": [{\"uid\": 1, \"role\": \"official\"}]}", "p.json:1: principals[0].person: an official's entry names their roster person (pulse people list), whose units are theirs"),
            ("{\"principals\": [\n {\"user\": \"no-such-user-here\", \"role\": \"admin\"}]}", "p.json:2: principals[0].user: no user \"no-such-user-here\" on this machine (getent passwd no-such-user-here)"),
            ("{\"principals\": [{\"uid\": -1, \"role\": \"admin\"}]}", "p.json:1: principals[0].uid: expected a whole number from 0 to 4294967294, found -1.0"),
            ("{\"people\": []}", "p.json:1: principals: missing; list the accounts that may use Pulse under \"principals\""),
            ("{\"principals\": []}", "p.json:1: principals: the list is empty, so nobody could use Pulse, its administrators included; name at least one admin"),
        ])
    func badPolicy(_ text: String, _ expected: String) {
        do {
            _ = try Policy.parse(text, path: "p.json")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test("every call the gateway answers is an audit entry with the caller's identity, never its body; strangers are counted, not written one by one")
    func audit() async throws {
        let dir = temporaryDirectory("gateway")
        // A backend that answers one method.
        var backendRouter = Router()
        backendRouter.register(RosterAPI.getUnit) { request, context in
            #expect(context.principal?.role == .admin, "the gateway forwards the principal, and the back-end trusts it from the gateway's uid")
            return OrgUnit(code: request.code, kind: .commune, nameVi: "Thử", validFrom: Day("2025-07-01")!)
        }
        let backend = RPCServer(configuration: .init(path: dir + "/roster.sock", serviceName: RosterAPI.service), router: backendRouter, logger: .silent())
        try backend.start()
        let gateway = try Gateway(backends: ["pulse.roster.": dir + "/roster.sock"], policy: .administrators([getuid()]), dataDirectory: dir)
        var configuration = RPCServer.Configuration(path: dir + "/gateway.sock", serviceName: GatewayAPI.service, identification: gateway.identification)
        configuration.onCall = { gateway.record($0) }
        let server = RPCServer(configuration: configuration, router: gateway.router(), logger: .silent())
        try server.start()
        let client = RPCClient(path: dir + "/gateway.sock")
        #expect(try await client.call(RosterAPI.getUnit, GetUnitRequest(code: "secret-code-123")).code == "secret-code-123")
        let missing = await rpcError { _ = try await client.call(IntakeAPI.getReport, GetReportRequest(unit: "x", period: Period("2026-01")!)) }
        #expect(missing?.code == .unimplemented)
        _ = try await client.call(GatewayAPI.whoAmI, Empty())

        var entries: [AuditEntry] = []
        for _ in 0..<200 where entries.count < 3 {
            entries = try await client.call(GatewayAPI.auditSearch, AuditSearchRequest(method: "pulse.")).entries.filter { !$0.method.contains("Audit") }
            if entries.count < 3 { try await Task.sleep(for: .milliseconds(10)) }
        }
        let byMethod = Dictionary(entries.map { ($0.method, $0) }, uniquingKeysWith: { a, _ in a })
        let unit = try #require(byMethod["pulse.roster.v1.Roster/GetUnit"])
        #expect(unit.uid == getuid() && unit.pid == getpid() && unit.role == "admin" && unit.status == 0)
        #expect(byMethod["pulse.intake.v1.Intake/GetReport"]?.status == Int(StatusCode.unimplemented.rawValue))
        #expect(byMethod["pulse.gateway.v1.Gateway/WhoAmI"] != nil, "the gateway's own methods are audited too")
        let verified = try await client.call(GatewayAPI.auditVerify, AuditVerifyRequest())
        #expect(verified.problems.isEmpty)
        for bad in [
            { _ = try await client.call(GatewayAPI.auditTail, AuditTailRequest(count: -5)) },
            { _ = try await client.call(GatewayAPI.auditSearch, AuditSearchRequest(limit: 0)) },
            { _ = try await client.call(GatewayAPI.auditSearch, AuditSearchRequest(from: Day("2099-01-02"), to: Day("2099-01-01"))) },
            { _ = try await client.call(GatewayAPI.auditSearch, AuditSearchRequest(principal: String(repeating: "x", count: 201))) },
            { _ = try await client.call(GatewayAPI.auditVerify, AuditVerifyRequest(checkpoint: "5:zz")) },
        ] as [@Sendable () async throws -> Void] {
            #expect(await rpcError(bad)?.code == .invalidArgument)
        }
        let file = String(decoding: (FileManager.default.contents(atPath: dir + "/gateway.sqlite") ?? Data()) + (FileManager.default.contents(atPath: dir + "/gateway.sqlite-wal") ?? Data()), as: UTF8.self)
        #expect(!file.contains("secret-code-123"), "the request body never reaches the audit log")

        // A burst of refused connections from one uid is one entry, with its count.
        for _ in 0..<500 { gateway.refused(PeerCredentials(pid: 9, uid: 4242, gid: 4242)) }
        await gateway.flushRefusals(all: true)
        let refused = try await client.call(GatewayAPI.auditSearch, AuditSearchRequest(principal: "4242")).entries
        #expect(refused.count == 1 && refused.first?.count == 500 && refused.first?.status == Int(StatusCode.unauthenticated.rawValue))
        await server.shutdown()
        await backend.shutdown()
    }
}

@Suite("Federation's merges")
struct FederationMergeTests {
    static func point(_ p: String, _ items: Int?, _ intensity: Double?, suppressed: Bool? = nil) -> TrendPoint {
        var point = TrendPoint(period: Period(p)!, items: items, intensity: intensity, reports: items)
        point.suppressed = suppressed
        return point
    }

    @Test("trends are summed per topic and month; a month withheld in any agency is withheld in the sum, so a partner learns nothing by difference")
    func trends() {
        let a = Trends(scope: Scope(from: Period("2026-09")!, to: Period("2026-10")!), series: [TopicSeries(topic: "dat-dai", points: [Self.point("2026-09", 3, 6), Self.point("2026-10", 4, 8)])])
        let b = Trends(scope: Scope(from: Period("2026-09")!, to: Period("2026-10")!), series: [
            TopicSeries(topic: "dat-dai", points: [Self.point("2026-09", nil, nil, suppressed: true), Self.point("2026-10", 5, 10)]),
            TopicSeries(topic: "y-te", points: [Self.point("2026-09", 1, 1), Self.point("2026-10", 0, 0)]),
        ])
        let merged = Federation.mergeTrends([a, b])
        let land = merged.series.first { $0.topic == "dat-dai" }!
        #expect(land.points[0].suppressed == true && land.points[0].items == nil, "3 shown beside a hidden cell would give the hidden one away")
        #expect(land.points[1].items == 9 && land.points[1].intensity == 18)
        #expect(merged.series.first { $0.topic == "y-te" }?.points.map(\.items) == [1, 0])
    }

    @Test("completeness: each unit once, the rates from the merged counts, not an average of rates")
    func completeness() {
        func row(_ unit: String, _ state: ReportState) -> CompletenessRow { CompletenessRow(unit: unit, name: unit, kind: .commune, state: state) }
        let a = Completeness(period: Period("2026-10")!, root: "42", expected: 3, reported: 3, onTime: 3, reportingRate: 1, timelinessRate: 1, rows: [row("A", .onTime), row("B", .onTime), row("C", .onTime)])
        let b = Completeness(period: Period("2026-10")!, root: "42", expected: 1, reported: 0, onTime: 0, reportingRate: 0, timelinessRate: 0, rows: [row("D", .missing)])
        let merged = Federation.mergeCompleteness([a, b, a])
        #expect(merged.expected == 4 && merged.reported == 3 && merged.onTime == 3)
        #expect(abs(merged.reportingRate - 0.75) < 1e-12, "3 of 4, not the mean of 100% and 0%")
    }
}

@Suite("Federation's merge of key phrases")
struct FederationPhraseTests {
    @Test("key phrases from three agencies' counts are those of all the texts in one place, with finite scores")
    func phrases() throws {
        let summary = { (unit: String) in "Bà con quan tâm việc bồi thường ở \(unit)." }
        let parts: [(target: [String], baseline: [String])] = [
            (["18073", "18100"].map(summary), Array(repeating: summary("18073"), count: 3)), (["42-CA-1", "42-CA-2"].map(summary), []), (["42-MT-1"].map(summary), []),
        ]
        let period = Period("2026-10")!
        let counts = parts.map { part -> PhraseCounts in
            let t = KeyPhrases.counts(part.target), b = KeyPhrases.counts(part.baseline)
            return PhraseCounts(
                topic: "dat-dai", period: period, texts: part.target.count, baselineTexts: part.baseline.count, total: t.values.reduce(0, +),
                baselineTotal: b.values.reduce(0, +), phrases: t.map { PhraseCount(phrase: $0.key, count: $0.value, baseline: b[$0.key] ?? 0) })
        }
        let merged = Federation.mergePhrases(counts, request: PhrasesRequest(topic: "dat-dai", period: period))
        let whole = KeyPhrases.distinguishing(parts.flatMap(\.target), from: parts.flatMap(\.baseline), limit: 10)
        #expect(merged.texts == 5 && merged.baselineTexts == 3)
        #expect(merged.phrases.map(\.phrase) == whole.map(\.phrase), "\(merged.phrases) vs \(whole)")
        #expect(merged.phrases.allSatisfy { $0.z.isFinite }, "\(merged.phrases)")
    }
}
