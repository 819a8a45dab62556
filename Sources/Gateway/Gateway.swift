import Base
import Foundation
import Messages
import RPC
import Store
import Synchronization
import Wire

/// Who may call what: the caller is identified by the kernel (SO_PEERCRED), never by anything
/// it says about itself.
public struct AccessPolicy: Sendable {
    /// uids with the commission's full access (network contacts included).
    public var managers: Set<UInt32>
    /// uids of partner agencies: aggregate analytics and reports, no contact details.
    public var partners: Set<UInt32>
    /// Members of these groups are managers too.
    public var managerGroups: Set<UInt32>

    public init(managers: Set<UInt32> = [], partners: Set<UInt32> = [], managerGroups: Set<UInt32> = []) {
        self.managers = managers
        self.partners = partners
        self.managerGroups = managerGroups
    }

    /// The gateway's own user and root manage; everyone else needs to be named.
    public static func local() -> AccessPolicy {
        AccessPolicy(managers: [0, getuid()])
    }

    public func role(of peer: PeerCredentials) -> String? {
        if managers.contains(peer.uid) || managerGroups.contains(peer.gid) { return "manager" }
        if partners.contains(peer.uid) { return "partner" }
        return nil
    }

    /// Methods a partner may not call: the network's people and their contacts, and every write to roster.
    static let managerOnlyPrefixes =
        [
            "AddPerson", "UpdatePerson", "GetPerson", "ListPeople", "SearchPeople", "Leave", "Import", "Upsert", "Assign",
            "SetTeamNorm", "CompleteTask",
        ].map { RosterAPI.service + "/" + $0 }
        + [NotificationAPI.service + "/", IntakeAPI.importArchive.fullName, IntakeAPI.surveyResponses.fullName, AnalyticsAPI.search.fullName]

    public func allows(_ role: String, _ method: String) -> Bool {
        role == "manager" || !AccessPolicy.managerOnlyPrefixes.contains { method.hasPrefix($0) }
    }
}

/// The gateway: identifies the caller, authorises, audits every call, and forwards it to the
/// service that owns the method, without decoding bodies it does not need to.
public final class Gateway: Sendable {
    public let backends: [String: RPCClient]
    public let policy: AccessPolicy
    let audit: DatabaseQueue

    /// `backends` maps a service prefix (`pulse.roster.`) to its socket.
    public init(backends: [String: String], policy: AccessPolicy, dataDirectory: String) throws {
        self.backends = backends.mapValues { RPCClient(path: $0) }
        self.policy = policy
        var m = Migrator()
        m.register(
            "1 audit log",
            "CREATE TABLE audit (id INTEGER PRIMARY KEY, at REAL NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, pid INTEGER NOT NULL, role TEXT, method TEXT NOT NULL, status INTEGER NOT NULL, microseconds INTEGER NOT NULL)"
        )
        audit = try DatabaseQueue(path: dataDirectory + "/gateway.sqlite", migrator: m)
    }

    func record(_ context: ServerContext, role: String?, status: StatusCode, since start: ContinuousClock.Instant) async {
        let elapsed = ContinuousClock.now - start
        let micros = Int(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)
        do {
            _ = try await audit.writeGrouped { db in
                try db.run(
                    "INSERT INTO audit (at, uid, gid, pid, role, method, status, microseconds) VALUES (?,?,?,?,?,?,?,?)",
                    [Date().timeIntervalSince1970, Int(context.peer.uid), Int(context.peer.gid), Int(context.peer.pid), role, context.method, Int(status.rawValue), micros])
            }
        } catch {
            context.logger.error("audit write failed: \(error)")
        }
    }

    func forward(_ method: String, _ body: [UInt8], _ context: ServerContext) async -> CallOutcome {
        let start = ContinuousClock.now
        let role = policy.role(of: context.peer)
        let outcome: CallOutcome
        if let role {
            if !policy.allows(role, method) {
                outcome = CallOutcome(status: .permissionDenied, message: "\(method) is for the commission's managers; your role is \(role)")
            } else if let backend = backends.first(where: { method.hasPrefix($0.key) })?.value {
                var metadata = context.metadata
                metadata["pulse-caller-uid"] = "\(context.peer.uid)"
                metadata["pulse-caller-role"] = role
                do {
                    let response = try await backend.send(method, body: body, deadline: context.remaining, metadata: metadata)
                    outcome = CallOutcome(status: StatusCode(rawValue: response.status) ?? .unknown, message: response.message, body: response.body)
                } catch {
                    outcome = CallOutcome(status: error.code, message: error.message)
                }
            } else {
                outcome = CallOutcome(status: .unimplemented, message: "no service behind the gateway answers \(method)")
            }
        } else {
            outcome = CallOutcome(status: .permissionDenied, message: "uid \(context.peer.uid) is not allowed to use Pulse; ask the commission to add it to the gateway's policy")
        }
        await record(context, role: role, status: outcome.status, since: start)
        return outcome
    }

    public func router() -> Router {
        var r = Router()
        for prefix in backends.keys {
            r.registerFallback(prefix: prefix) { [self] method, body, context in await forward(method, body, context) }
        }
        // Anything else is refused here, and audited like every other call.
        r.registerFallback(prefix: "") { [self] method, body, context in await forward(method, body, context) }
        r.register(GatewayAPI.whoAmI) { [policy] _, context in
            guard let role = policy.role(of: context.peer) else {
                throw RPCError(.permissionDenied, "uid \(context.peer.uid) is not allowed to use Pulse")
            }
            return WhoAmI(uid: context.peer.uid, gid: context.peer.gid, pid: context.peer.pid, role: role)
        }
        r.register(GatewayAPI.listAllMethods) { [backends] _, _ in
            var all: [MethodShape] = []
            for client in backends.values {
                let list = try await client.call(Introspection.listMethods, Empty(), deadline: .seconds(5))
                all += list.methods.filter { !$0.name.hasPrefix("pulse.health.") && !$0.name.hasPrefix("pulse.reflection.") }
                    .map { MethodShape(name: $0.name, request: $0.request, response: $0.response) }
            }
            return AllMethods(methods: all.sorted { $0.name < $1.name })
        }
        r.register(GatewayAPI.status) { [backends] _, _ in
            var rows: [BackendHealth] = []
            for (prefix, client) in backends.sorted(by: { $0.key < $1.key }) {
                let start = ContinuousClock.now
                do {
                    let health = try await client.call(Introspection.check, .init(), deadline: .seconds(2))
                    let methods = try await client.call(Introspection.listMethods, Empty(), deadline: .seconds(2))
                    let elapsed = ContinuousClock.now - start
                    rows.append(BackendHealth(
                        service: prefix, socket: client.path, status: health.status,
                        microseconds: Int(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000), methods: methods.methods.count))
                } catch {
                    rows.append(BackendHealth(service: prefix, socket: client.path, status: "\((error as? RPCError)?.code.description ?? "UNKNOWN")", microseconds: nil, methods: nil))
                }
            }
            return GatewayStatus(backends: rows)
        }
        return r
    }
}
