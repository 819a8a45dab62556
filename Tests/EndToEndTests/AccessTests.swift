import Analytics
import Base
import Foundation
import Gateway
import Intake
import Messages
import Notification
import RPC
import Roster
import Spawn
import TestSupport
import Testing
import Wire

/// The accounts of the access test: one per role, and one the policy does not know.
private let accounts: [(role: String, uid: UInt32)] = [
    ("admin", 60_000), ("analyst", 60_001), ("official", 60_002), ("partner", 60_003), ("auditor", 60_004),
]
private let stranger: UInt32 = 60_005
private let ownUnit = "18073"
private let otherUnit = "18100"

private let accessPolicy = """
    {"principals": [
      {"uid": 0, "role": "admin"},
      {"uid": 60000, "role": "admin"},
      {"uid": 60001, "role": "analyst"},
      {"uid": 60002, "role": "official", "person": 1},
      {"uid": 60003, "role": "partner", "agency": "police", "units": ["\(ownUnit)"], "person": 2},
      {"uid": 60004, "role": "auditor"}
    ]}
    """

/// Every method's request type, from the servers as each daemon builds them.
private func requestTypes() throws -> [String: any (Codable & Sendable).Type] {
    let dir = temporaryDirectory("access-types")
    let elsewhere = RPCClient(path: dir + "/nothing.sock")
    let routers = [
        RosterService.router(try RosterStore(path: dir + "/roster.sqlite")),
        IntakeService.router(try IntakeStore(path: dir + "/intake.sqlite", roster: RosterLookup(client: elsewhere))),
        AnalyticsService.router(try AnalyticsStore(path: dir + "/analytics.sqlite"), roster: elsewhere, intake: elsewhere),
        NotificationService.router(NotificationEngine(
            store: try NotificationStore(directory: dir + "/notification"), templates: try NoticeTemplates(), rules: NoticeRules(RuleConfiguration()),
            channel: try MaildirChannel(directory: dir + "/maildir", from: "pulse@localhost"), policy: DeliveryPolicy(),
            roster: elsewhere, intake: elsewhere, analytics: nil, logger: .silent())),
        try Gateway(backends: [:], policy: Policy(entries: []), dataDirectory: dir).router(),
    ]
    var types: [String: any (Codable & Sendable).Type] = [:]
    for router in routers {
        let server = RPCServer(configuration: .init(path: dir + "/unused.sock", serviceName: "x"), router: router, logger: .silent())
        for method in server.methods { types[method.name] = method.requestType }
    }
    return types
}

/// A full example of a request, with every text field set to `unit`, as hex CBOR.
private func body(_ type: any (Codable & Sendable).Type, unit: String) throws -> String {
    func fill(_ item: CBOR) -> CBOR {
        switch item {
        case .text(""): return .text(unit)
        case .array(let items): return .array(items.map(fill))
        case .map(let pairs): return .map(pairs.map { CBOR.Pair($0.key, fill($0.value)) })
        case .tagged(let tag, let inner): return .tagged(tag, fill(inner))
        default: return item
        }
    }
    func encode<T: Codable>(_ type: T.Type) throws -> [UInt8] {
        CBORWriter.encode(fill(try CBOREncoder().encodeToItem(try Shape.example(type))))
    }
    return try encode(type).hexString
}

/// What one call came to: refused by the access rules, or let through to the handler (which
/// may still answer with an error of its own about the example's values).
private enum Outcome: Equatable { case allowed, refused }

private func call(_ socket: String, _ method: String, _ hex: String, as uid: UInt32) async throws -> (Outcome, String) {
    let ran = try await run(
        "/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", binDirectory + "/pulse", "--socket", socket, "rpc", method, "--cbor", hex])
    if ran.status == 0 { return (.allowed, "") }
    let refused = ran.stderr.contains("(PERMISSION_DENIED)") || ran.stderr.contains("(UNAUTHENTICATED)")
    return (refused ? .refused : .allowed, ran.stderr)
}

@Suite(
    "Access: every method, as every role and as strangers",
    .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root to run callers as other users"))
struct AccessTests {
    @Test("through the gateway, each role gets exactly what tests/access.tsv says; a stranger, and every direct call to a back-end, is refused")
    func table() async throws {
        let stack = try Stack(policy: accessPolicy)
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        let official = try await stack.pulse(["people", "add", "--name", "Cán Bộ", "--unit", ownUnit, "--role", "official", "--joined", "2025-07-01"])
        #expect(official.status == 0, "\(official.stderr)")
        let partner = try await stack.pulse(["people", "add", "--name", "Công An Phường", "--unit", ownUnit, "--role", "collaborator", "--joined", "2025-07-01"])
        #expect(partner.status == 0, "\(partner.stderr)")
        // Let other users reach the sockets: what they may do is the services' to decide.
        chmod(stack.directory, 0o755)
        for name in ["gateway", "roster", "report-intake", "analytics", "notification"] { chmod(stack.directory + "/\(name).sock", 0o666) }

        let url = try #require(Bundle.module.url(forResource: "access", withExtension: "tsv"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        let header = lines[0].split(separator: "\t").map(String.init)
        #expect(header == ["method"] + accounts.map(\.role))
        var table: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let cells = line.split(separator: "\t").map(String.init)
            #expect(cells.count == header.count && cells.dropFirst().allSatisfy { ["yes", "own", "no"].contains($0) }, "\(line)")
            table[cells[0]] = Array(cells.dropFirst())
        }
        let types = try requestTypes()
        #expect(Set(table.keys) == Set(types.keys), "every method has a row, and every row a method: \(Set(types.keys).symmetricDifference(table.keys).sorted())")

        var mismatches: [String] = []
        for (method, cells) in table.sorted(by: { $0.key < $1.key }) {
            guard let type = types[method] else { continue }
            let own = try body(type, unit: ownUnit)
            let other = try body(type, unit: otherUnit)
            for (index, account) in accounts.enumerated() {
                let cell = cells[index]
                // Administrators act on another unit, so that their writes leave the test's own unit as it is.
                let first = try await call(stack.gateway, method, account.role == "admin" ? other : own, as: account.uid)
                if first.0 != (cell == "no" ? .refused : .allowed) {
                    mismatches.append("\(method) as \(account.role): expected \(cell), got \(first.0) \(first.1)")
                }
                // A role that can be limited to its units: "own" refuses another unit, "yes" does not.
                if cell == "own" || (cell == "yes" && ["official", "partner"].contains(account.role)) {
                    let elsewhere = try await call(stack.gateway, method, other, as: account.uid)
                    if elsewhere.0 != (cell == "own" ? .refused : .allowed) {
                        mismatches.append("\(method) as \(account.role) for unit \(otherUnit): expected \(cell), got \(elsewhere.0) \(elsewhere.1)")
                    }
                }
            }
            let unknown = try await call(stack.gateway, method, own, as: stranger)
            if unknown.0 != .refused || !unknown.1.contains("(UNAUTHENTICATED)") {
                mismatches.append("\(method) as a stranger: \(unknown)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")

        // Straight to a back-end, past the gateway: refused whatever the method, even to an administrator's account.
        let backends = ["pulse.roster.": "roster", "pulse.intake.": "report-intake", "pulse.analytics.": "analytics", "pulse.notification.": "notification"]
        for method in table.keys.sorted() {
            guard let backend = backends.first(where: { method.hasPrefix($0.key) })?.value, let type = types[method] else { continue }
            let direct = try await call(stack.directory + "/\(backend).sock", method, try body(type, unit: ownUnit), as: 60_000)
            #expect(direct.0 == .refused && direct.1.contains("may not call this service directly"), "\(method) directly: \(direct)")
        }
        _ = await stack.stop()
    }
}

@Suite(
    "Access: the policy's accounts as they are used",
    .serialized,
    .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root to run callers as other users"))
struct PolicyInUseTests {
    func pulse(_ stack: Stack, as uid: UInt32, groups: [UInt32] = [], _ arguments: [String]) async throws -> Ran {
        let groupFlag = groups.isEmpty ? "--clear-groups" : "--groups=" + groups.map(String.init).joined(separator: ",")
        return try await run("/usr/bin/setpriv", ["--reuid=\(uid)", "--regid=\(uid)", groupFlag, binDirectory + "/pulse", "--socket", stack.gateway] + arguments)
    }

    @Test("a supplementary group's member is its role; an official reports only for their units, and always as themselves")
    func groupsAndOfficials() async throws {
        // gid 100 is Debian's "users" group.
        let policy = """
            {"principals": [
              {"uid": 0, "role": "admin"},
              {"group": "users", "role": "admin"},
              {"uid": 60002, "role": "official", "person": 1},
              {"uid": 60003, "role": "partner", "agency": "police", "units": ["18073"]}
            ]}
            """
        let stack = try Stack(policy: policy)
        stack.openGatewayToOthers()
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        _ = try await stack.pulse(["people", "add", "--name", "Cán Bộ", "--unit", ownUnit, "--role", "official", "--joined", "2025-07-01"])
        _ = try await stack.pulse(["people", "add", "--name", "Người Khác", "--unit", ownUnit, "--role", "collaborator", "--joined", "2025-07-01"])

        let member = try await pulse(stack, as: 60_010, groups: [100], ["whoami"])
        #expect(member.stdout.contains(": admin"), "\(member.stdout)\(member.stderr)")
        #expect(try await pulse(stack, as: 60_010, groups: [100], ["people", "list"]).status == 0, "an administrator through a supplementary group")
        let outsider = try await pulse(stack, as: 60_010, ["whoami"])
        #expect(outsider.status == 1 && outsider.stderr.contains("is not in Pulse's policy"), "\(outsider.stderr)")

        func draft(_ unit: String, submitter: Int) throws -> String {
            let path = stack.directory + "/draft-\(unit).json"
            try "{\"unit\": \"\(unit)\", \"period\": \"2026-10\", \"submitter\": \(submitter), \"assessment\": \"Ổn định.\", \"items\": [{\"topic\": \"dat-dai\", \"summary\": \"Bồi thường chậm.\", \"prevalence\": \"some\", \"trend\": \"stable\", \"sentiment\": -1, \"channels\": [], \"localities\": []}]}"
                .write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o644)
            return path
        }
        // The draft names person 2 as its submitter; the official is person 1, and that is what is stored.
        let own = try await pulse(stack, as: 60_002, ["report", "submit", try draft(ownUnit, submitter: 2)])
        #expect(own.status == 0, "\(own.stderr)")
        let stored = try await stack.pulse(["report", "show", ownUnit, "2026-10", "--json"])
        #expect(stored.stdout.contains("\"submitter\" : 1"), "\(stored.stdout)")
        let elsewhere = try await pulse(stack, as: 60_002, ["report", "submit", try draft(otherUnit, submitter: 1)])
        #expect(elsewhere.status == 1 && elsewhere.stderr.contains("outside your units"), "\(elsewhere.stderr)")
        // A partner's account tied to no roster person cannot file a report in the official's name.
        let partner = try await pulse(stack, as: 60_003, ["report", "submit", try draft(ownUnit, submitter: 1)])
        #expect(partner.status == 1 && partner.stderr.contains("tied to no roster person"), "\(partner.stderr)")
        _ = await stack.stop()
    }

    @Test("one account's slow calls wait their turn: past its limit in flight it is refused at once, naming the limit, and another account is still served")
    func callsPerAccount() async throws {
        let stack = try Stack()
        stack.openGatewayToOthers()
        let i = try #require(stack.specs.firstIndex { $0.0 == "gateway" })
        stack.specs[i].1 += ["--max-calls-per-account", "2"]
        _ = await stack.stop("gateway")
        try stack.start("gateway")
        stack.openGatewayToOthers()
        // Analytics frozen: its calls stay in flight until it is let go.
        let analytics = try #require(stack.processes.first { $0.0 == "analytics" }?.1)
        analytics.signal(SIGSTOP)
        // One call each (`pulse rpc`), sent a second before anything else so that none of them
        // meets the probes below at the limit.
        let trends = ["rpc", "pulse.analytics.v1.Analytics/Trends", "{}"]
        async let first = stack.pulse(trends)
        async let second = stack.pulse(trends)
        try await Task.sleep(for: .seconds(1))
        var refused: Ran?
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let probe = try await stack.pulse(["rpc", "pulse.roster.v1.Roster/ListUnits", "{}"])
            if probe.status != 0 {
                refused = probe
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(refused?.stderr.contains("too many calls at once from this account (at most 2)") == true, "\(refused?.stderr ?? "never refused")")
        let other = try await pulse(stack, as: 65534, ["units", "list"])
        #expect(other.status == 0, "another account is served: \(other.stderr)")
        analytics.signal(SIGCONT)
        let answered = try await [first, second]
        // Answered by analytics (which knows no units in this stack), not turned away by the gateway.
        #expect(answered.allSatisfy { $0.stderr.contains("analytics knows no units yet") }, "the calls in flight are answered: \(answered.map(\.stderr))")
        #expect(try await stack.pulse(["units", "list"]).status == 0, "and the account is served again")
        _ = await stack.stop()
    }

    @Test("a partner agency gets a survey's results only once it is closed, and then no option chosen by fewer than 5")
    func surveyResultsForPartners() async throws {
        let stack = try Stack(policy: "{\"principals\": [{\"uid\": 0, \"role\": \"admin\"}, {\"uid\": 60003, \"role\": \"partner\", \"agency\": \"police\", \"units\": [\"18073\"]}]}")
        stack.openGatewayToOthers()
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        let survey = stack.directory + "/survey.json"
        try "{\"title\": \"Thử\", \"questions\": [{\"code\": \"q1\", \"text\": \"Đồng ý?\", \"kind\": \"singleChoice\", \"options\": [\"co\", \"khong\"]}], \"targetUnits\": [\"18073\"], \"opens\": \"2026-01-01\", \"closes\": \"2026-12-31\"}"
            .write(toFile: survey, atomically: true, encoding: .utf8)
        #expect(try await stack.pulse(["survey", "create", survey]).status == 0)
        #expect(try await stack.pulse(["survey", "open", "1"]).status == 0)
        func importAnswers(_ rows: [String]) async throws {
            let csv = stack.directory + "/answers.csv"
            try ("unit,day,q1\n" + rows.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
            let ran = try await stack.pulse(["survey", "import", "1", csv])
            #expect(ran.status == 0, "\(ran.stderr)")
        }
        try await importAnswers(["18073,2026-11-01,co", "18073,2026-11-02,khong"])
        let early = try await pulse(stack, as: 60_003, ["survey", "results", "1"])
        #expect(early.status == 1 && early.stderr.contains("once it is closed"), "figures that move with each response are the commission's: \(early.stderr)")
        #expect(try await stack.pulse(["survey", "results", "1"]).status == 0, "the commission sees them")
        try await importAnswers(["18073,2026-11-03,co", "18073,2026-11-04,co", "18073,2026-11-05,co", "18073,2026-11-06,co", "18073,2026-11-07,co"])
        #expect(try await stack.pulse(["survey", "close", "1"]).status == 0)
        let later = try await pulse(stack, as: 60_003, ["survey", "results", "1", "--json"])
        #expect(later.status == 0, "\(later.stderr)")
        // 6 "co" and 1 "khong": the 1 is withheld, and so is its complement.
        #expect(later.stdout.contains("\"suppressed\" : true") && !later.stdout.contains("\"count\" : 1") && !later.stdout.contains("\"count\" : 6"), "\(later.stdout)")
        let commission = try await stack.pulse(["survey", "results", "1", "--json"])
        #expect(commission.stdout.contains("\"count\" : 6") && commission.stdout.contains("\"count\" : 1"), "\(commission.stdout)")
        _ = await stack.stop()
    }

    @Test("SIGHUP reads the policy again; a broken file is refused with its line and the old policy stays")
    func reload() async throws {
        let stack = try Stack(policy: "{\"principals\": [{\"uid\": 0, \"role\": \"admin\"}, {\"uid\": 60001, \"role\": \"analyst\"}]}")
        stack.openGatewayToOthers()
        let gateway = try #require(stack.processes.first { $0.0 == "gateway" }?.1)
        #expect(try await pulse(stack, as: 60_001, ["whoami"]).stdout.contains(": analyst"))

        try "{\"principals\": [\n  {\"uid\": 0, \"role\": \"admin\"},\n  {\"uid\": 60001, \"role\": \"analyst\"\n]}".write(toFile: stack.directory + "/policy.json", atomically: true, encoding: .utf8)
        #expect(gateway.signal(SIGHUP))
        var logged = false
        for _ in 0..<100 where !logged {
            logged = stack.log("gateway").contains("policy not reloaded, the old one stays")
            if !logged { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(logged, "\(stack.log("gateway"))")
        #expect(stack.log("gateway").contains("policy.json:4: expected ',' or '}' after the value of \\\"role\\\""), "the line where the mistake shows is named")
        #expect(try await pulse(stack, as: 60_001, ["whoami"]).stdout.contains(": analyst"), "the old policy still serves")

        try "{\"principals\": [{\"uid\": 0, \"role\": \"admin\"}]}".write(toFile: stack.directory + "/policy.json", atomically: true, encoding: .utf8)
        #expect(gateway.signal(SIGHUP))
        var refused = false
        for _ in 0..<100 where !refused {
            refused = try await pulse(stack, as: 60_001, ["whoami"]).stderr.contains("is not in Pulse's policy")
            if !refused { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(refused, "the new policy no longer names the analyst")
        #expect(await stack.stop()["gateway"] == 0)
    }
}
