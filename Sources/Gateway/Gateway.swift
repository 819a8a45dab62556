import Base
import Foundation
import Messages
import RPC
import Store
import Synchronization
import Wire

/// The gateway: identifies the caller, authorises, audits every call, and forwards it to the
/// service that owns the method, without decoding bodies it does not need to.
public final class Gateway: Sendable {
    public let backends: [String: RPCClient]
    public let identification: PolicyIdentification
    let audit: DatabaseQueue
    private let officialUnits = Mutex<[Int: (units: [String], at: ContinuousClock.Instant)]>([:])

    /// `backends` maps a service prefix (`pulse.roster.`) to its socket.
    public init(backends: [String: String], policy: Policy, dataDirectory: String) throws {
        self.backends = backends.mapValues { RPCClient(path: $0) }
        self.identification = PolicyIdentification(policy)
        var m = Migrator()
        m.register(
            "1 audit log",
            "CREATE TABLE audit (id INTEGER PRIMARY KEY, at REAL NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, pid INTEGER NOT NULL, role TEXT, method TEXT NOT NULL, status INTEGER NOT NULL, microseconds INTEGER NOT NULL)"
        )
        audit = try DatabaseQueue(path: dataDirectory + "/gateway.sqlite", migrator: m)
    }

    func record(_ context: ServerContext, role: String?, status: StatusCode, since start: ContinuousClock.Instant) async {
        let elapsed = ContinuousClock.now - start
        let micros = Int(clamping: elapsed.inMicroseconds)
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

    /// The units an official acts for: where their roster person is the official in charge
    /// now, and the unit they belong to. Read from roster, kept for 30 seconds.
    func units(ofPerson person: Int) async throws -> [String] {
        if let cached = officialUnits.withLock({ $0[person] }), ContinuousClock.now - cached.at < .seconds(30) { return cached.units }
        guard let roster = backends.first(where: { $0.key.hasPrefix("pulse.roster.") })?.value else { return [] }
        let today = Day.today
        let assignments = try await roster.call(RosterAPI.listAssignments, Empty(), deadline: .seconds(5)).assignments
        var units = assignments.filter { $0.person == person && $0.from <= today && ($0.to.map { today < $0 } ?? true) }.map(\.unit)
        if let own = try? await roster.call(RosterAPI.getPerson, GetPersonRequest(id: person), deadline: .seconds(5)), own.left.map({ today < $0 }) ?? true {
            units.append(own.unit)
        }
        let sorted = Array(Set(units)).sorted()
        officialUnits.withLock { $0[person] = (sorted, .now) }
        return sorted
    }

    /// The principal of a call with everything a back-end needs to check it: an official's
    /// units are filled in from roster.
    func resolved(_ principal: Principal) async throws -> Principal {
        guard principal.role == .official, let person = principal.person else { return principal }
        var resolved = principal
        resolved.units = Array(Set(principal.units + (try await units(ofPerson: person)))).sorted()
        return resolved
    }

    func forward(_ method: String, _ body: [UInt8], _ context: ServerContext) async -> CallOutcome {
        let start = ContinuousClock.now
        let outcome: CallOutcome
        if let principal = context.principal {
            if let backend = backends.first(where: { method.hasPrefix($0.key) })?.value {
                do {
                    var metadata = context.metadata
                    metadata[Principal.metadataKey] = try await resolved(principal).metadataValue
                    let response = try await backend.send(method, body: body, deadline: context.remaining, metadata: metadata)
                    outcome = CallOutcome(status: StatusCode(rawValue: response.status) ?? .unknown, message: response.message, body: response.body)
                } catch let error as RPCError {
                    outcome = CallOutcome(status: error.code, message: error.message)
                } catch {
                    outcome = CallOutcome(status: .unavailable, message: "\(method): \(error)")
                }
            } else {
                outcome = CallOutcome(status: .unimplemented, message: "no service behind the gateway answers \(method)")
            }
        } else {
            outcome = CallOutcome(status: .unauthenticated, message: identification.refusal(of: context.peer))
        }
        await record(context, role: context.principal?.role.rawValue, status: outcome.status, since: start)
        return outcome
    }

    public func router() -> Router {
        var r = Router()
        for prefix in backends.keys {
            r.registerFallback(prefix: prefix) { [self] method, body, context in await forward(method, body, context) }
        }
        // Anything else is refused here, and audited like every other call.
        r.registerFallback(prefix: "") { [self] method, body, context in await forward(method, body, context) }
        r.register(GatewayAPI.whoAmI) { [self] _, context in
            guard let principal = context.principal else { throw RPCError(.unauthenticated, identification.refusal(of: context.peer)) }
            let units = try? await resolved(principal).units
            return WhoAmI(
                uid: context.peer.uid, gid: context.peer.gid, pid: context.peer.pid, role: principal.role.rawValue,
                agency: principal.agency, person: principal.person, units: units)
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
                        microseconds: Int(clamping: elapsed.inMicroseconds), methods: methods.methods.count))
                } catch {
                    rows.append(BackendHealth(service: prefix, socket: client.path, status: "\((error as? RPCError)?.code.description ?? "UNKNOWN")", microseconds: nil, methods: nil))
                }
            }
            return GatewayStatus(backends: rows)
        }
        return r
    }
}
