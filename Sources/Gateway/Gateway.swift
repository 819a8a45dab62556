import Audit
import Base
import Foundation
import Localization
import Messages
import RPC
import Store
import Synchronization
import Text
import Wire

/// The gateway: identifies the caller, authorises, audits every call, and forwards it to the
/// service that owns the method, without decoding bodies it does not need to.
public final class Gateway: Sendable {
    public let backends: [String: RPCClient]
    public let identification: PolicyIdentification
    let audit: DatabaseQueue
    let logger: Logger
    private let pending = Mutex<[AuditEntry]>([])
    private let userNames = Mutex<[UInt32: String?]>([:])
    private let refusals = Mutex<[UInt32: (start: ContinuousClock.Instant, at: Date, count: Int, peer: PeerCredentials)]>([:])
    private let officialUnits = Mutex<[Int: (units: [String], at: ContinuousClock.Instant)]>([:])

    /// Several agencies' services behind this gateway, when it federates them (`--agencies`).
    let federation: Federation?

    /// Calls one account may have in flight at once (`--max-calls-per-account`): one account's
    /// burst of slow calls waits its turn instead of taking every back-end's threads.
    let maxCallsPerAccount: Int
    private let inFlight = Mutex<[UInt32: Int]>([:])

    /// `backends` maps a service prefix (`pulse.roster.`) to its socket; with `agencies`, the
    /// first agency's services are the gateway's own (health, metrics, methods, officials).
    public init(
        backends: [String: String], agencies: [Agency] = [], agencyDeadline: Duration = .seconds(10), maxCallsPerAccount: Int = 32, policy: Policy, dataDirectory: String,
        logger: Logger = .silent()
    ) throws {
        self.logger = logger
        self.maxCallsPerAccount = maxCallsPerAccount
        self.backends = agencies.first?.backends ?? backends.mapValues { RPCClient(path: $0) }
        self.federation = agencies.isEmpty ? nil : Federation(agencies: agencies, agencyDeadline: agencyDeadline)
        self.identification = PolicyIdentification(policy)
        var m = Migrator()
        m.register(
            "1 audit log",
            "CREATE TABLE audit (id INTEGER PRIMARY KEY, at REAL NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, pid INTEGER NOT NULL, role TEXT, method TEXT NOT NULL, status INTEGER NOT NULL, microseconds INTEGER NOT NULL)"
        )
        // The plain table above is kept for what it holds; new entries go to the Merkle-tree log.
        m.register("2 tamper-evident audit log", AuditLog.entriesSchema)
        m.register("3 audit tree nodes", AuditLog.nodesSchema)
        audit = try DatabaseQueue(path: dataDirectory + "/gateway.sqlite", migrator: m)
        try audit.writeNow { db in
            if try AuditLog.completeNodesIfNeeded(in: db) { logger.info("audit log: rebuilt its stored subtrees") }
        }
    }

    /// Writes one answered call to the audit log (from the server's `onCall`).
    static func auditable(_ code: String) -> String {
        let plausible = !code.isEmpty && code.utf8.count <= 32 && code.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
        }
        return plausible && Scrubber.scrub(code).removals.isEmpty ? code : "[withheld: not a unit code]"
    }

    public func record(_ call: CallRecord) {
        // What a caller put where a unit code goes is written only if it looks like one: the
        // log is permanent, and a phone number or e-mail typed there must not be.
        let scope = call.body.flatMap { ScopedMethods.units(method: call.method, body: $0) }?.map(Gateway.auditable)
        let entry = AuditEntry(
            seq: 0, at: Int64(Date().timeIntervalSince1970 * 1000), uid: call.peer.uid, gid: call.peer.gid, pid: call.peer.pid,
            user: userName(call.peer.uid), role: call.principal?.role.rawValue, agency: call.principal?.agency, method: call.method, scope: scope,
            status: Int(call.status.rawValue), microseconds: Int(clamping: call.elapsed.inMicroseconds))
        let first = pending.withLock { pending in
            pending.append(entry)
            return pending.count == 1
        }
        // The first entry of a batch schedules its write; those that follow within a few
        // milliseconds share its transaction and its one sync.
        if first {
            Task {
                try? await Task.sleep(for: .milliseconds(5))
                await flushAudit()
            }
        }
    }

    /// The account's name, as the system knows it, looked up once per uid.
    func userName(_ uid: UInt32) -> String? {
        if let known = userNames.withLock({ $0[uid] }) { return known }
        var record = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let name = getpwuid_r(uid, &record, &buffer, buffer.count, &result) == 0 && result != nil ? String(cString: record.pw_name) : nil
        userNames.withLock { names in
            if names.count > 10_000 { names.removeAll() }
            names[uid] = name
        }
        return name
    }

    /// Writes the entries waiting to be written, in one transaction.
    public func flushAudit() async {
        let batch = pending.withLock { pending in
            defer { pending = [] }
            return pending
        }
        guard !batch.isEmpty else { return }
        do {
            try await audit.write { db in
                try db.transaction { for entry in batch { try AuditLog.append(entry, to: db) } }
            }
        } catch {
            logger.error("audit write failed for \(batch.count) entries: \(error)")
        }
    }

    func append(_ entry: AuditEntry) async {
        pending.withLock { $0.append(entry) }
        await flushAudit()
    }

    /// Counts a connection refused because its account is in no principal: one entry per uid per
    /// minute, with the count, so that nobody outside the policy can fill the disk.
    public func refused(_ peer: PeerCredentials) {
        let now = ContinuousClock.now
        refusals.withLock { refusals in
            var window = refusals[peer.uid] ?? (start: now, at: Date(), count: 0, peer: peer)
            window.count += 1
            refusals[peer.uid] = window
        }
    }

    /// Writes the counts of refused connections whose minute is over (all of them when `all`).
    public func flushRefusals(all: Bool = false) async {
        let now = ContinuousClock.now
        let due = refusals.withLock { refusals -> [(UInt32, Date, Int, PeerCredentials)] in
            let ended = refusals.filter { all || now - $0.value.start >= .seconds(60) }
            for uid in ended.keys { refusals[uid] = nil }
            return ended.map { ($0.key, $0.value.at, $0.value.count, $0.value.peer) }
        }
        // One entry per uid and minute, stamped with the minute's first refusal.
        for (uid, first, count, peer) in due.sorted(by: { $0.0 < $1.0 }) {
            await append(AuditEntry(
                seq: 0, at: Int64(first.timeIntervalSince1970 * 1000), uid: uid, gid: peer.gid, pid: peer.pid, role: nil,
                method: "(connections refused: the account is in no principal)", status: Int(StatusCode.unauthenticated.rawValue),
                microseconds: 0, count: count))
        }
    }

    /// Flushes refusal counts once a minute until cancelled, and at the end.
    public func runRefusalCounter() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(5))
            await flushRefusals()
        }
        await flushRefusals(all: true)
        await flushAudit()
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
        let uid = context.peer.uid
        let admitted = inFlight.withLock { counts in
            guard counts[uid, default: 0] < maxCallsPerAccount else { return false }
            counts[uid, default: 0] += 1
            return true
        }
        guard admitted else {
            return CallOutcome(status: .resourceExhausted, message: tr(
                "quá nhiều lệnh cùng lúc từ tài khoản này (tối đa \(maxCallsPerAccount)); hãy chờ các lệnh trước xong rồi thử lại",
                en: "too many calls at once from this account (at most \(maxCallsPerAccount)); wait for the earlier ones to finish and try again"))
        }
        defer { inFlight.withLock { counts in counts[uid] = counts[uid].flatMap { $0 > 1 ? $0 - 1 : nil } } }
        return await forwardAdmitted(method, body, context)
    }

    private func forwardAdmitted(_ method: String, _ body: [UInt8], _ context: ServerContext) async -> CallOutcome {
        let outcome: CallOutcome
        if let federation, let principal = context.principal {
            let resolvedPrincipal: Principal
            do { resolvedPrincipal = try await resolved(principal) } catch { return CallOutcome(status: .unavailable, message: "\(error)") }
            var metadata = context.metadata
            metadata[Principal.metadataKey] = resolvedPrincipal.metadataValue
            let remaining = context.remaining
            return await federation.forward(method, body) { [metadata] client, method, body, cap throws(RPCError) in
                // A capped read leaves the gateway time to answer with what the others sent.
                var deadline = remaining
                if let cap { deadline = remaining.map { min(cap, $0 - min(.milliseconds(500), $0 / 10)) } ?? cap }
                return try await client.send(method, body: body, deadline: deadline, metadata: metadata)
            }
        }
        if let principal = context.principal {
            if let (prefix, backend) = backends.first(where: { method.hasPrefix($0.key) }) {
                do {
                    var metadata = context.metadata
                    metadata[Principal.metadataKey] = try await resolved(principal).metadataValue
                    let response = try await backend.send(method, body: body, deadline: context.remaining, metadata: metadata)
                    outcome = CallOutcome(status: StatusCode(rawValue: response.status) ?? .unknown, message: response.message, body: response.body)
                } catch let error as RPCError where error.code == .unavailable && error.message.hasPrefix("nothing answers") {
                    // The gateway is up; the service behind it is not: name it.
                    let service = prefix.split(separator: ".").dropFirst().first.map(String.init) ?? prefix
                    outcome = CallOutcome(
                        status: .unavailable,
                        message: "the \(service) service is not answering (\(error.message)); start it again (under systemd: systemctl start 'pulse-\(service == "intake" ? "report-intake" : service)@*') and retry")
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
        r.register(MetricsAPI.all) { [backends] _, context in
            var services: [MetricsSnapshot] = []
            var missing: [String] = []
            var metadata = context.metadata
            if let principal = context.principal { metadata[Principal.metadataKey] = principal.metadataValue }
            for (prefix, client) in backends.sorted(by: { $0.key < $1.key }) {
                do {
                    services.append(try await client.call(MetricsAPI.get, Empty(), deadline: .seconds(2), metadata: metadata))
                } catch {
                    missing.append("\(prefix) (\((error as? RPCError)?.code.description ?? "UNKNOWN"))")
                }
            }
            return AllMetrics(services: services, missing: missing)
        }
        registerAudit(&r)
        // Registered last, so that it lists the gateway's own methods, itself included.
        let own = r.methods.map { MethodShape(name: $0.name, request: $0.requestShape, response: $0.responseShape) } + [
            MethodShape(
                name: GatewayAPI.listAllMethods.fullName, request: Shape.describe(Empty.self), response: Shape.describe(AllMethods.self))
        ]
        r.register(GatewayAPI.listAllMethods) { [backends] _, _ in
            var all: [MethodShape] = []
            for client in backends.values {
                let list = try await client.call(Introspection.listMethods, Empty(), deadline: .seconds(5))
                all += list.methods.filter { !$0.name.hasPrefix("pulse.health.") && !$0.name.hasPrefix("pulse.reflection.") }
                    .map { MethodShape(name: $0.name, request: $0.request, response: $0.response) }
            }
            // Every server answers health, reflection and metrics: listed once.
            var seen: Set<String> = []
            return AllMethods(methods: (all + own).filter { seen.insert($0.name).inserted }.sorted { $0.name < $1.name })
        }
        return r
    }
}

extension Gateway {
    /// A count of entries a caller asks for: 1 to 10,000, or a clear refusal naming the field.
    static func checked(_ value: Int, _ field: String) throws(RPCError) -> Int {
        guard (1...10_000).contains(value) else {
            throw RPCError(.invalidArgument, tr("\(field): hỏi \(value) mục; hãy hỏi từ 1 đến 10.000", en: "\(field): \(value) entries asked for; ask for 1 to 10,000"))
        }
        return value
    }

    /// The audit log's methods: reads only, on the store's reader.
    func registerAudit(_ r: inout Router) {
        r.register(GatewayAPI.auditTail) { [audit] request, _ in
            let count = try Gateway.checked(request.count ?? 20, "count")
            return AuditEntries(entries: try await audit.read { try AuditLog($0).tail(count) })
        }
        r.register(GatewayAPI.auditSearch) { [audit] request, _ in
            let limit = try Gateway.checked(request.limit ?? 100, "limit")
            for (field, text) in [("principal", request.principal), ("method", request.method)] where (text?.utf8.count ?? 0) > 200 {
                throw RPCError(.invalidArgument, tr("\(field): tối đa 200 byte; hãy cho một uid, tên, vai trò hay cơ quan (principal) hoặc một phần tên phương thức", en: "\(field): at most 200 bytes; give a uid, name, role or agency (principal) or part of a method's name"))
            }
            if let from = request.from, let to = request.to, to < from {
                throw RPCError(.invalidArgument, tr("from, to: \(from.text) sau \(to.text); hãy cho ngày sớm hơn làm from", en: "from, to: \(from) is after \(to); give the earlier day as from"))
            }
            let from = request.from.map { Int64($0.startOfDay.timeIntervalSince1970 * 1000) }
            let to = request.to.map { Int64($0.startOfDay.timeIntervalSince1970 * 1000) + 86_400_000 - 1 }
            return AuditEntries(entries: try await audit.read {
                try AuditLog($0).search(principal: request.principal, method: request.method, from: from, to: to, limit: limit)
            })
        }
        r.register(GatewayAPI.auditCheckpoint) { [audit] _, _ in
            let checkpoint = try await audit.read { try AuditLog($0).checkpoint() }
            return AuditCheckpoint(size: checkpoint.size, root: checkpoint.root.hexString, checkpoint: checkpoint.description)
        }
        r.register(GatewayAPI.auditVerify) { [audit] request, _ in
            let texts = (request.checkpoint.map { [$0] } ?? []) + (request.checkpoints ?? [])
            let checkpoints = try texts.map { text throws(RPCError) -> Checkpoint in
                guard let parsed = Checkpoint(text) else {
                    throw RPCError(.invalidArgument, tr("checkpoint: \"\(text.prefix(80))\" không phải SIZE:ROOT như `pulse audit checkpoint` in ra (một số đếm, dấu hai chấm, 64 chữ số hex)", en: "checkpoint: \"\(text.prefix(80))\" is not SIZE:ROOT as `pulse audit checkpoint` prints it (a count, a colon, 64 hex digits)"))
                }
                return parsed
            }
            let result = try await audit.read { try AuditLog($0).verify(against: checkpoints) }
            return AuditVerification(size: result.size, root: result.root.hexString, problems: result.problems)
        }
        r.register(GatewayAPI.auditProve) { [audit] request, _ in
            let proof = try await audit.read { try AuditLog($0).prove(request.seq) }
            return AuditProof(
                entry: try CBORDecoder().decode(AuditEntry.self, from: proof.entry), size: proof.size, root: proof.root.hexString,
                leaf: MerkleTree.leafHash(proof.entry).hexString, path: proof.path.map(\.hexString), verified: proof.verifies)
        }
    }
}
