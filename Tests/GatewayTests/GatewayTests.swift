import Base
import Foundation
import Messages
import RPC
import Store
import TestSupport
import Testing
import Wire
@testable import Gateway

@Suite("Gateway policy and audit")
struct GatewayTests {
    @Test("roles come from the kernel's uid and gid; partners never reach the network's people")
    func policy() {
        let policy = AccessPolicy(managers: [0, 1000], partners: [2000], managerGroups: [3000])
        #expect(policy.role(of: PeerCredentials(pid: 1, uid: 1000, gid: 100)) == "manager")
        #expect(policy.role(of: PeerCredentials(pid: 1, uid: 4242, gid: 3000)) == "manager")
        #expect(policy.role(of: PeerCredentials(pid: 1, uid: 2000, gid: 100)) == "partner")
        #expect(policy.role(of: PeerCredentials(pid: 1, uid: 4242, gid: 100)) == nil)
        for method in [
            "pulse.roster.v1.Roster/ListPeople", "pulse.roster.v1.Roster/GetPerson", "pulse.roster.v1.Roster/ImportUnits",
            "pulse.intake.v1.Intake/ImportArchive", "pulse.intake.v1.Intake/SurveyResponses", "pulse.analytics.v1.Analytics/Search",
            "pulse.notification.v1.Notification/ListOutbox",
        ] {
            #expect(!policy.allows("partner", method), "\(method)")
            #expect(policy.allows("manager", method))
        }
        #expect(policy.allows("partner", "pulse.analytics.v1.Analytics/Trends"))
        #expect(policy.allows("partner", "pulse.roster.v1.Roster/GetUnit"))
    }

    @Test("every forwarded call is audited with the caller's identity, never its body; unknown callers are refused")
    func audit() async throws {
        let dir = temporaryDirectory("gateway")
        // A backend that answers one method.
        var backendRouter = Router()
        backendRouter.register(RosterAPI.getUnit) { request, context in
            #expect(context.metadata["pulse-caller-role"] == "manager")
            return OrgUnit(code: request.code, kind: .commune, nameVi: "Thử", validFrom: Day("2025-07-01")!)
        }
        let backend = RPCServer(configuration: .init(path: dir + "/roster.sock", serviceName: RosterAPI.service), router: backendRouter, logger: .silent())
        try backend.start()
        let gateway = try Gateway(backends: ["pulse.roster.": dir + "/roster.sock"], policy: AccessPolicy(managers: [getuid()]), dataDirectory: dir)
        let server = RPCServer(configuration: .init(path: dir + "/gateway.sock", serviceName: GatewayAPI.service), router: gateway.router(), logger: .silent())
        try server.start()
        let client = RPCClient(path: dir + "/gateway.sock")
        #expect(try await client.call(RosterAPI.getUnit, GetUnitRequest(code: "secret-code-123")).code == "secret-code-123")
        let missing = await rpcError { _ = try await client.call(IntakeAPI.getReport, GetReportRequest(unit: "x", period: Period("2026-01")!)) }
        #expect(missing?.code == .unimplemented)

        // A gateway whose policy knows nobody: refused, and audited as refused.
        try FileManager.default.createDirectory(atPath: dir + "/closed", withIntermediateDirectories: true)
        let closed = try Gateway(backends: ["pulse.roster.": dir + "/roster.sock"], policy: AccessPolicy(managers: [], partners: []), dataDirectory: dir + "/closed")
        let closedServer = RPCServer(configuration: .init(path: dir + "/closed.sock", serviceName: GatewayAPI.service), router: closed.router(), logger: .silent())
        try closedServer.start()
        let refused = await rpcError { _ = try await RPCClient(path: dir + "/closed.sock").call(RosterAPI.getUnit, GetUnitRequest(code: "18073")) }
        #expect(refused?.code == .permissionDenied)

        let db = try Database(path: dir + "/gateway.sqlite", readOnly: true)
        let rows = try db.query("SELECT uid, pid, role, method, status FROM audit ORDER BY id")
        #expect(rows.count == 2)
        #expect(try rows[0].get("uid", as: Int.self) == Int(getuid()))
        #expect(try rows[0].get("pid", as: Int.self) == Int(getpid()))
        #expect(try rows[0].get("method", as: String.self) == "pulse.roster.v1.Roster/GetUnit")
        #expect(try rows[0].get("status", as: Int.self) == 0)
        #expect(try rows[1].get("status", as: Int.self) == Int(StatusCode.unimplemented.rawValue))
        let columns = try db.query("PRAGMA table_info(audit)").map { try $0.get(1, as: String.self) }
        #expect(!columns.contains("body"))
        let file = String(decoding: (FileManager.default.contents(atPath: dir + "/gateway.sqlite") ?? Data()) + (FileManager.default.contents(atPath: dir + "/gateway.sqlite-wal") ?? Data()), as: UTF8.self)
        #expect(!file.contains("secret-code-123"), "the request body never reaches the audit log")
        let closedAudit = try Database(path: dir + "/closed/gateway.sqlite", readOnly: true)
        #expect(try closedAudit.scalar("SELECT status FROM audit", as: Int.self) == Int(StatusCode.permissionDenied.rawValue))
        await closedServer.shutdown()
        await server.shutdown()
        await backend.shutdown()
    }
}
