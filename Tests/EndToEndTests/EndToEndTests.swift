import Foundation
import Messages
import Privacy
import RPC
import Spawn
import Store
import Synchronization
import Testing
import TestSupport

/// The built executables, beside the test bundle.
let binDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path

struct Ran {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs an executable to completion (waiting on a thread of its own, never on one of Swift's
/// cooperative threads, which other suites share).
func run(_ name: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Ran {
    var env = ProcessInfo.processInfo.environment
    env["PULSE_SOCKET"] = nil
    // These tests read the English words; the language tests ask for Vietnamese themselves.
    env["PULSE_LANG"] = "en"
    for (k, v) in environment { env[k] = v }
    // No command of these tests takes minutes: one that does is stuck, and says where before it is killed.
    let ran = try await ChildProcess.collected(
        executable: name.hasPrefix("/") ? name : binDirectory + "/" + name, arguments: arguments, environment: env,
        input: Array((input ?? "").utf8), timeout: .seconds(240),
        beforeKilling: { ThreadStacks.report("\(name) \(arguments.joined(separator: " ")) still running after 240 s", pid: $0) })
    return Ran(status: ran.status, stdout: String(decoding: ran.standardOutput, as: UTF8.self), stderr: String(decoding: ran.standardError, as: UTF8.self))
}

/// Whether something listens on the Unix socket at `path`.
func acceptsConnections(_ path: String) -> Bool {
    guard let fd = openConnection(path) else { return false }
    close(fd)
    return true
}

/// A connection to the Unix socket at `path`, left open for the caller to close.
func openConnection(_ path: String) -> Int32? {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
        close(fd)
        return nil
    }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
    }
    guard connected else {
        close(fd)
        return nil
    }
    return fd
}

/// The five daemons as separate processes on temporary sockets.
final class Stack: @unchecked Sendable {  // processes are set up in init and only read afterwards
    let directory: String
    var processes: [(String, ChildProcess)] = []
    var gateway: String { directory + "/gateway.sock" }

    var specs: [(String, [String])] = []

    init(policy: String = Stack.policy) throws {
        directory = "/tmp/pulse-e2e-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let s = { (name: String) in self.directory + "/\(name).sock" }
        // Root (the tests) administers; nobody (65534) is a partner agency for unit 18073.
        try policy.write(toFile: directory + "/policy.json", atomically: true, encoding: .utf8)
        specs = [
            ("roster", []),
            ("report-intake", ["--roster", s("roster")]),
            ("analytics", ["--intake", s("report-intake"), "--roster", s("roster")]),
            ("notification", ["--intake", s("report-intake"), "--roster", s("roster")]),
            ("gateway", ["--roster", s("roster"), "--intake", s("report-intake"), "--analytics", s("analytics"), "--notification", s("notification"), "--policy", directory + "/policy.json"]),
        ]
        for (name, _) in specs { try start(name) }
    }

    /// A test that fails before `stop()` leaves no daemon running.
    deinit {
        for (_, process) in processes { process.signal(SIGKILL) }
    }

    static let policy = """
        {"principals": [
          {"uid": 0, "role": "admin"},
          {"uid": 65534, "role": "partner", "agency": "police", "units": ["18073"]}
        ]}
        """

    /// Lets other accounts reach the gateway's socket: what they may do is the gateway's to decide.
    func openGatewayToOthers() {
        chmod(directory, 0o755)
        chmod(gateway, 0o666)
    }

    /// Starts (or starts again) one daemon on its socket and data directory.
    func start(_ name: String) throws {
        let s = { (name: String) in self.directory + "/\(name).sock" }
        let extra = specs.first { $0.0 == name }!.1
        let process = try ChildProcess(
            executable: binDirectory + "/" + name, arguments: ["--socket", s(name), "--data", directory + "/data-" + name] + extra,
            standardInput: .null, standardOutput: .null, standardError: .appending(toFile: directory + "/\(name).log"))
        processes.removeAll { $0.0 == name }
        processes.append((name, process))
        // Serving once a connection is accepted: the socket file appears at bind, before listen.
        let deadline = Date().addingTimeInterval(10)
        while !acceptsConnections(s(name)) && Date() < deadline { usleep(10_000) }
    }

    /// Stops one daemon with SIGTERM and waits for it; returns its exit status.
    func stop(_ name: String) async -> Int32 {
        guard let process = processes.first(where: { $0.0 == name })?.1 else { return -1 }
        process.signal(SIGTERM)
        return Self.status(await process.terminated())
    }

    func log(_ name: String) -> String { (try? String(contentsOfFile: directory + "/\(name).log", encoding: .utf8)) ?? "" }

    func pulse(_ arguments: [String], input: String? = nil) async throws -> Ran {
        try await run("pulse", arguments, environment: ["PULSE_SOCKET": gateway], input: input)
    }

    /// A stack with Hà Tĩnh's units and one official, person 1 in 18775, for submission runs.
    static func withOneOfficial() async throws -> Stack {
        let stack = try Stack()
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        _ = try await stack.pulse(["people", "add", "--name", "Trần Thị Bình", "--unit", "18775", "--role", "official", "--joined", "2025-07-01"])
        return stack
    }

    /// A one-item report on land for 18775 in December 2025 by person 1, under `key`.
    static func landReport(_ key: String) -> ReportDraft {
        ReportDraft(
            unit: "18775", period: Period(index: 2025 * 12 + 11), submitter: 1, assessment: "Tình hình ổn định.",
            items: [OpinionItem(topic: "dat-dai", summary: "Người dân quan tâm bồi thường giải phóng mặt bằng (\(key)).", prevalence: .some, trend: .rising, sentiment: -1)],
            idempotencyKey: key)
    }

    /// A stack with Hà Tĩnh's units and two officials: person 1 in 18073, person 2 in 18100.
    static func withTwoOfficials() async throws -> Stack {
        let stack = try Stack()
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        _ = try await stack.pulse(["people", "add", "--name", "A", "--unit", "18073", "--role", "official", "--joined", "2025-07-01"])
        _ = try await stack.pulse(["people", "add", "--name", "B", "--unit", "18100", "--role", "official", "--joined", "2025-07-01"])
        return stack
    }

    /// The units notification would remind on the 20th of `period` (`pulse notify preview`).
    func plannedReminders(_ period: String) async throws -> Set<String> {
        struct Preview: Decodable { struct N: Decodable { var rule: String; var unit: String?; var period: String? }; var notices: [N] }
        let preview = try await pulse(["notify", "preview", "--at", "\(period)-20 08:00", "--json"]).stdout
        let notices = (try? JSONDecoder().decode(Preview.self, from: Data(preview.utf8)))?.notices ?? []
        return Set(notices.filter { $0.rule == "reminder" && $0.period == period }.compactMap(\.unit))
    }

    /// Submits a one-item report on land (dat-dai) through `pulse report submit`.
    func submit(unit: String, period: String, submitter: Int, summary: String) async throws -> Ran {
        let file = directory + "/\(unit).json"
        let json = "{\"unit\": \"\(unit)\", \"period\": \"\(period)\", \"submitter\": \(submitter), \"assessment\": \"Tình hình ổn định.\", \"items\": [{\"topic\": \"dat-dai\", \"summary\": \"\(summary)\", \"prevalence\": \"some\", \"trend\": \"stable\", \"sentiment\": -1, \"channels\": [], \"localities\": []}]}"
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        return try await pulse(["report", "submit", file])
    }

    /// SIGTERM in reverse order; returns each exit status. Then every stack's data and logs are
    /// scanned: whatever a test sent, no identifier of the public may be left at rest.
    func stop() async -> [String: Int32] {
        var statuses: [String: Int32] = [:]
        for (name, process) in processes.reversed() {
            process.signal(SIGTERM)
            if let ended = await process.terminated(within: .seconds(60)) {
                statuses[name] = Self.status(ended)
                continue
            }
            ThreadStacks.report("\(name) still running 60 s after SIGTERM", pid: process.pid)
            Issue.record("\(name) did not stop within 60 s of SIGTERM; its log ends:\n\(log(name).suffix(3000))")
            process.signal(SIGKILL)
            statuses[name] = Self.status(await process.terminated())
        }
        let findings = leftIdentifiers()
        #expect(findings.isEmpty, "identifiers left at rest in \(directory): \(findings.prefix(5))")
        return statuses
    }

    /// What `pulse privacy scan` finds in the daemons' data directories and logs (the test's own
    /// input files beside them are not Pulse's).
    func leftIdentifiers() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var found: [String] = []
        for name in names where name.hasPrefix("data-") || name.hasSuffix(".log") {
            guard let report = try? PrivacyScan(directory: directory + "/" + name).run() else { continue }
            found += report.findings.map { "\($0.file) at \($0.offset): \($0.kind) \($0.masked)" }
        }
        return found
    }

    /// The exit status, or minus the signal that killed it.
    static func status(_ ended: Termination) -> Int32 {
        switch ended {
        case .exited(let status): status
        case .killed(let signal): -signal
        case .unknown: Int32.min
        }
    }
}

@Suite("End to end: the built executables over real sockets", .serialized)
struct EndToEndTests {
    @Test("a report goes from pulse through the gateway to intake, is checked against roster, and reaches analytics and notification")
    func fullPath() async throws {
        let stack = try Stack()
        #expect(try await stack.pulse(["health"]).status == 0)
        let imported = try await stack.pulse(["units", "import", "--ha-tinh"])
        #expect(imported.stdout.contains("imported: 295 new"), "\(imported.stderr)")
        let added = try await stack.pulse(["people", "add", "--name", "Nguyễn Văn An", "--unit", "18775", "--role", "official", "--phone", "0912 345 678", "--joined", "2025-07-01", "--json"])
        #expect(added.stdout.contains("\"phone\" : \"+84912345678\""), "\(added.stdout)\(added.stderr)")
        let period = { () -> String in
            var c = Calendar(identifier: .gregorian)
            c.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
            let d = c.dateComponents([.year, .month], from: Date())
            return String(format: "%04d-%02d", d.year!, d.month!)
        }()
        let template = try await stack.pulse(["report", "template", "18775", period])
        #expect(template.status == 0 && template.stdout.contains("\"unitName\": \"Xã Kỳ Anh\""), "\(template.stderr)")
        // The template as it is written is refused, each «…» field named.
        let unfilled = stack.directory + "/template.json"
        try template.stdout.write(toFile: unfilled, atomically: true, encoding: .utf8)
        let refused = try await stack.pulse(["report", "submit", unfilled])
        #expect(refused.status == 1 && refused.stderr.contains("assessment: still holds the template's text") && refused.stderr.contains("items[0].prevalence: still holds"), "\(refused.stderr)")
        // Filled in, it goes through.
        var filled = try #require(JSONSerialization.jsonObject(with: Data(template.stdout.utf8)) as? [String: Any])
        filled["submitter"] = 1
        filled["assessment"] = "Tình hình tư tưởng ổn định."
        filled["items"] = [["topic": "dat-dai", "summary": "Bà con lo mưa bão, liên hệ 0987 654 321.", "prevalence": "some", "trend": "stable", "sentiment": 0, "channels": ["inPerson"], "localities": [], "proposal": ""]]
        let file = stack.directory + "/report.json"
        let json = String(decoding: try JSONSerialization.data(withJSONObject: filled, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let submitted = try await stack.pulse(["report", "submit", file])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stdout.contains("version 1"))
        #expect(submitted.stdout.contains("personal identifiers removed: 1 phone"))
        let again = try await stack.pulse(["report", "submit", file])
        #expect(again.stdout.contains("Already stored"))
        // The same content with a byte-order mark, other spacing and an unknown field is the same report (issue 14, item 9).
        let variant = stack.directory + "/report-bom.json"
        let reshaped = "\u{FEFF}" + json.replacingOccurrences(of: "{", with: "{ \"note\": \"bản sao\",", options: [], range: json.range(of: "{"))
        try reshaped.write(toFile: variant, atomically: true, encoding: .utf8)
        let third = try await stack.pulse(["report", "submit", variant])
        #expect(third.stdout.contains("Already stored") && third.stdout.contains("version 1"), "\(third.stdout)\(third.stderr)")
        let shown = try await stack.pulse(["report", "show", "18775", period])
        #expect(shown.stdout.contains("[số điện thoại]"))
        #expect(!shown.stdout.contains("0987"))

        // analytics pulls the feed: wait for it.
        var reported = false
        for _ in 0..<100 where !reported {
            let status = try await stack.pulse(["status", "--period", period, "--json"])
            reported = status.stdout.contains("\"reported\" : 1")
            if !reported { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(reported, "analytics counted the report")
        // The month under way is said to be so, and its columns are named by it (issue 14, item 14).
        let current = try await stack.pulse(["trends", "--to", period, "--months", "3"])
        #expect(current.stdout.contains("\(period) is still under way") && current.stdout.contains("items \(period)"), "\(current.stdout)")
        // notification reads the same feed: on the 20th it would remind every unit but 18775.
        var noticed = false
        for _ in 0..<100 where !noticed {
            let reminded = try await stack.plannedReminders(period)
            noticed = reminded.contains("18073") && !reminded.contains("18775")
            if !noticed { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(noticed, "notification read the report from intake's feed")

        // Each daemon logs one logfmt line per request: method, status, microseconds, the caller's uid.
        #expect(stack.log("report-intake").contains("msg=call agency=\"\" method=pulse.intake.v1.Intake/SubmitReport status=OK us="))
        #expect(stack.log("roster").contains("method=pulse.roster.v1.Roster/GetUnit status=OK us="))
        #expect(stack.log("roster").split(separator: "\n").allSatisfy { $0.hasPrefix("ts=") && $0.contains(" level=") && $0.contains(" service=roster msg=") })

        // SIGTERM: every daemon exits 0 and removes its socket.
        let statuses = await stack.stop()
        #expect(statuses.values.allSatisfy { $0 == 0 }, "\(statuses)")
        for name in ["roster", "report-intake", "analytics", "notification", "gateway"] {
            #expect(!FileManager.default.fileExists(atPath: stack.directory + "/\(name).sock"))
        }
    }

    @Test("the roster commands, as the commission's staff use them, in table, JSON and CSV")
    func rosterCommands() async throws {
        let stack = try Stack()
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        let nfd = "Kỳ Anh".decomposedStringWithCanonicalMapping
        for query in ["ky anh", "Kỳ Anh", nfd] {
            #expect(try await stack.pulse(["units", "search", query, "--csv"]).stdout.contains("18775,Xã Kỳ Anh,xã,42"), "\(query)")
        }
        #expect(try await stack.pulse(["units", "list", "--kind", "phường", "--json"]).stdout.components(separatedBy: "\"code\"").count - 1 == 9)
        let notYet = try await stack.pulse(["units", "show", "18775", "--as-of", "2024-01-01"])
        #expect(notYet.status == 1)
        #expect(notYet.stderr.contains("did not exist on 2024-01-01"))
        let official = try await stack.pulse(["people", "add", "--name", "Lê Văn Bình", "--unit", "18073", "--role", "official", "--phone", "+84 912 345 678", "--joined", "2025-07-01", "--json"])
        #expect(official.stdout.contains("\"id\" : 1"))
        let bad = try await stack.pulse(["people", "add", "--name", "X", "--unit", "18073", "--role", "collaborator", "--email", "khong-hop-le"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("email: \"khong-hop-le\" is not an e-mail address"))
        for i in 0..<5 {
            _ = try await stack.pulse(["people", "add", "--name", "Cộng tác viên \(i)", "--unit", "18073", "--role", "collaborator", "--joined", "2025-08-01"])
        }
        #expect(try await stack.pulse(["assign", "18073", "1", "--from", "2025-07-15"]).stdout.contains("Lê Văn Bình (#1) is in charge of Phường Thành Sen (18073) from 2025-07-15"))
        let teams = try await stack.pulse(["teams", "status", "--missing", "--as-of", "2025-09-01", "--csv"])
        #expect(!teams.stdout.contains("18073,"))
        #expect(teams.stdout.split(separator: "\n").count == 69, "header and the 68 communes and wards still below norm")
        #expect(try await stack.pulse(["topics", "add", "dat-dai-nong-nghiep", "--vi", "Đất nông nghiệp", "--en", "Farm land", "--parent", "dat-dai"]).status == 0)
        #expect(try await stack.pulse(["topics", "list", "--csv"]).stdout.contains("dat-dai-nong-nghiep,Đất nông nghiệp,Farm land,dat-dai,yes"))
        #expect(try await stack.pulse(["tasks", "done", "hoc-tap-chi-thi-47", "18073", "--on", "2025-07-20"]).status == 0)
        let tasks = try await stack.pulse(["tasks", "status", "--unit", "18073", "--as-of", "2025-10-01", "--json"])
        #expect(tasks.stdout.contains("\"state\" : \"overdue\""))
        #expect(tasks.stdout.contains("\"state\" : \"done\""))
        let table = try await stack.pulse(["teams", "status", "--as-of", "2025-09-01"])
        let lines = table.stdout.split(separator: "\n")
        // Columns line up whatever the names' lengths and diacritics.
        let column = lines[0].distance(from: lines[0].startIndex, to: lines[0].range(of: "active")!.lowerBound)
        for line in lines.dropFirst(2).prefix(5) { #expect(Array(line)[column - 2] == " ") }
        #expect(try await stack.pulse(["people", "leave", "1", "--on", "2026-01-01"]).stdout.contains("left 18073 on 2026-01-01"))
        _ = await stack.stop()
    }

    @Test("analytics catches up after a restart: nothing skipped, nothing counted twice")
    func analyticsCatchUp() async throws {
        let stack = try await Stack.withTwoOfficials()
        let period = "2026-10"
        func submit(_ unit: String, _ person: Int, _ text: String) async throws {
            let ran = try await stack.submit(unit: unit, period: period, submitter: person, summary: text)
            #expect(ran.status == 0, "\(ran.stderr)")
        }
        func reported() async throws -> Int {
            let out = try await stack.pulse(["status", "--period", period, "--json"]).stdout
            guard let range = out.range(of: "\"reported\" : ") else { return -1 }
            return Int(out[range.upperBound...].prefix { $0.isNumber }) ?? -1
        }
        try await submit("18073", 1, "Bồi thường chậm.")
        var n = 0
        for _ in 0..<100 where n != 1 {
            n = try await reported()
            if n != 1 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(n == 1)
        #expect(await stack.stop("analytics") == 0)
        // The gateway is up and says which service behind it is not (issue 14, item 3).
        let down = try await stack.pulse(["status", "--period", "2025-12"])
        #expect(down.status != 0 && down.stderr.contains("the analytics service is not answering") && !down.stderr.contains("Start Pulse's services"), "\(down.stderr)")
        try await submit("18100", 2, "Giá đất tăng.")
        try await submit("18073", 1, "Bồi thường chậm, đã sửa.")  // a correction while analytics is down
        try stack.start("analytics")
        for _ in 0..<100 where n != 2 {
            n = try await reported()
            if n != 2 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(n == 2)
        let unknownTopic = try await stack.pulse(["trends", "--topic", "nope", "--to", period])
        #expect(unknownTopic.status == 64 && unknownTopic.stderr.contains("--topic \"nope\" is not a topic; the topics are an-ninh-trat-tu (Security"), "\(unknownTopic.stderr)")
        let unknownPhrases = try await stack.pulse(["phrases", "--topic", "nope"])
        #expect(unknownPhrases.status == 64, "\(unknownPhrases.stderr)")
        let trends = try await stack.pulse(["trends", "--topic", "dat-dai", "--to", period, "--months", "1", "--json"]).stdout
        #expect(trends.contains("\"items\" : 2"), "the correction replaced the first version: 2 items, not 3")
        _ = await stack.stop()
    }

    @Test("analytics and notification back off while intake is down, then catch up: every report counted, and no reminder planned for a unit that reported")
    func followThroughIntakeRestart() async throws {
        let stack = try await Stack.withTwoOfficials()
        let period = "2026-10"
        func submit(_ unit: String, _ person: Int) async throws {
            let ran = try await stack.submit(unit: unit, period: period, submitter: person, summary: "Giá đất tăng.")
            #expect(ran.status == 0, "\(ran.stderr)")
        }
        /// Whether analytics counts `reported` units, and whether notification no longer plans a
        /// reminder for any of `units` (it has read their reports from intake's feed).
        func settled(_ reported: Int, _ units: Set<String>) async throws -> (reported: Bool, noticed: Bool) {
            var done = (reported: false, noticed: false)
            for _ in 0..<150 where !(done.reported && done.noticed) {
                done.reported = try await stack.pulse(["status", "--period", period, "--json"]).stdout.contains("\"reported\" : \(reported)")
                let reminded = try await stack.plannedReminders(period)
                done.noticed = !reminded.isEmpty && reminded.isDisjoint(with: units)
                if !(done.reported && done.noticed) { try await Task.sleep(for: .milliseconds(100)) }
            }
            return done
        }
        try await submit("18073", 1)
        var state = try await settled(1, ["18073"])
        #expect(state.reported && state.noticed)

        #expect(await stack.stop("report-intake") == 0)
        try await Task.sleep(for: .seconds(3))  // the followers' rounds fail meanwhile
        for name in ["analytics", "notification"] {
            let outages = stack.log(name).components(separatedBy: "\n").filter { $0.contains("warning") && $0.contains("retrying with backoff") }
            #expect(outages.count == 1, "\(name) reports the outage once, not once a round: \(outages)")
        }
        try stack.start("report-intake")
        try await submit("18100", 2)
        state = try await settled(2, ["18073", "18100"])
        #expect(state.reported, "analytics counted both reports")
        #expect(state.noticed, "notification read both reports: no reminder is planned for either")
        for name in ["analytics", "notification"] { #expect(stack.log(name).contains("feeds: caught up again"), "\(name)") }
        _ = await stack.stop()
    }

    @Test(
        "a partner agency, identified by the kernel, sees aggregates without small cells and never the network's people",
        .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root to run pulse as another user"))
    func partnerAgency() async throws {
        let stack = try Stack()
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        _ = try await stack.pulse(["people", "add", "--name", "A", "--unit", "18073", "--role", "official", "--joined", "2025-07-01"])
        let file = stack.directory + "/r.json"
        try "{\"unit\": \"18073\", \"period\": \"2026-10\", \"submitter\": 1, \"assessment\": \"Tình hình ổn định.\", \"items\": [{\"topic\": \"dat-dai\", \"summary\": \"Bồi thường chậm.\", \"prevalence\": \"some\", \"trend\": \"stable\", \"sentiment\": -1, \"channels\": [], \"localities\": []}]}".write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await stack.pulse(["report", "submit", file])
        // Let the partner's user open the socket; the gateway still decides what it may do.
        stack.openGatewayToOthers()
        func asPartner(_ arguments: [String]) async throws -> Ran {
            try await run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binDirectory + "/pulse", "--socket", stack.gateway] + arguments)
        }
        #expect(try await asPartner(["whoami"]).stdout.contains("uid 65534, gid 65534") )
        #expect(try await asPartner(["whoami"]).stdout.contains(": partner"))
        var manager = ""
        for _ in 0..<100 where !manager.contains("\"items\" : 1") {
            manager = try await stack.pulse(["trends", "--topic", "dat-dai", "--to", "2026-10", "--months", "1", "--json"]).stdout
            if !manager.contains("\"items\" : 1") { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(manager.contains("\"items\" : 1"))
        let partner = try await asPartner(["trends", "--topic", "dat-dai", "--to", "2026-10", "--months", "1", "--json"])
        // A report filed after its deadline is not in a partner's figures at all (they are as the
        // deadline left them), and one unit's report would be a withheld cell anyway.
        #expect(partner.status == 0 && (partner.stdout.contains("\"suppressed\" : true") || partner.stdout.contains("\"series\" : [\n\n  ]")), "\(partner.stdout)\(partner.stderr)")
        #expect(!partner.stdout.contains("\"items\" : 1"))
        let people = try await asPartner(["people", "list"])
        #expect(people.status == 1)
        #expect(people.stderr.contains("is not open to the partner role"), "\(people.stderr)")
        let search = try await asPartner(["search", "boi thuong"])
        #expect(search.status == 1)
        _ = await stack.stop()
    }

    @Test("proto-docs/methods.md is exactly what the services' reflection reports")
    func methodsDocument() async throws {
        let stack = try Stack()
        let ran = try await stack.pulse(["methods", "--markdown"])
        _ = await stack.stop()
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("proto-docs/methods.md")
        let committed = try String(contentsOf: docs, encoding: .utf8)
        #expect(ran.status == 0)
        #expect(ran.stdout == committed, "regenerate proto-docs/methods.md with `pulse methods --markdown`")
    }

    @Test("pulse demo runs the whole stack and stops it cleanly")
    func demo() async throws {
        let ran = try await run("pulse", ["demo"])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stdout.contains("18229 Environment"), "topics by their label, not their code")
        #expect(ran.stdout.contains("[số điện thoại]"))
        #expect(ran.stdout.contains("5 of 72 units reported"))
        #expect(ran.stdout.contains("all 12 service processes stopped cleanly"), "the five services, two more agencies' three each, and the federating gateway")
        #expect(ran.stdout.contains("Province-wide") && ran.stdout.contains("the police party committee") && ran.stdout.contains("1 of 2 units"), "three agencies behind one gateway")
        #expect(ran.stdout.contains("pulse-demo-digest-"), "the digest's path")
        #expect(ran.stdout.contains("reminders 5 days before the deadline: "), "notification reminded the units")
        #expect(ran.stdout.contains("escalations the day after the deadline: "))
        #expect(ran.stdout.contains("each once under its key"))
        #expect(ran.stdout.contains("\n  0 identifiers found in"), "pulse privacy scan finds nothing in the demo's data")
        #expect(!ran.stdout.contains("0912 345 678"))
        #expect(ran.stdout.contains("survey #1"), "the demo runs a survey, so that the README's `survey results 1` works")
    }

    @Test("pulse demo speaks Vietnamese by default: headings, states, dates dd/mm/yyyy and numbers 2.165")
    func demoInVietnamese() async throws {
        let ran = try await run("pulse", ["demo"], environment: ["PULSE_LANG": "", "LANG": "vi_VN.UTF-8"])
        #expect(ran.status == 0, "\(ran.stderr)")
        for phrase in ["━━ 1. Mạng lưới: Hà Tĩnh sau sắp xếp ngày 1/7/2025", "trên 72 đơn vị đã báo cáo", "đúng hạn", "chưa báo cáo", "18229 Môi trường",
                       "khảo sát #1", "trung bình", "cả 12 tiến trình dịch vụ đã dừng gọn", "Toàn tỉnh, tháng", "bản tổng hợp tháng", "đồng hồ của demo: 20/"] {
            #expect(ran.stdout.contains(phrase), "\(phrase)")
        }
        for english in ["units reported", "Monthly reports", "on time", "Stopping", "imported "] {
            #expect(!ran.stdout.contains(english), "English left in the Vietnamese demo: \(english)")
        }
        // Numbers grouped with dots: the year of records holds over a thousand items.
        #expect(ran.stdout.range(of: #"với \d{1,3}\.\d{3} nội dung"#, options: .regularExpression) != nil)
    }

    @Test("usage errors exit 64 with the usage; no gateway is a clear error, exit 1")
    func errors() async throws {
        let usage = try await run("pulse", ["units", "list", "--kind"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("Error: option --kind needs a value"))
        #expect(usage.stderr.contains("Usage: pulse units list"))
        let unknown = try await run("pulse", ["units", "lsit"])
        #expect(unknown.status == 64)
        let bare = try await run("pulse", [])
        #expect(bare.status == 64 && bare.stderr.contains("Usage: pulse <command>") && bare.stdout.isEmpty, "no command is a usage error (issue 14)")
        let group = try await run("pulse", ["notify"])
        #expect(group.status == 64 && group.stderr.contains("preview"))
        #expect(try await run("pulse", ["--help"]).status == 0)
        let missing = try await run("pulse", ["units", "import", "/tmp/pulse-no-such-file.csv"])
        #expect(missing.status == 1 && missing.stderr.contains("/tmp/pulse-no-such-file.csv: no such file"), "\(missing.stderr)")
        let extra = try await run("pulse", ["audit", "tail", "5"])
        #expect(extra.status == 64 && extra.stderr.contains("unexpected argument \"5\"; this command takes options only"), "\(extra.stderr)")
        let none = try await run("pulse", ["audit", "tail", "-n", "0"])
        #expect(none.status == 64 && none.stderr.contains("-n takes how many entries to show"), "\(none.stderr)")
        let nobody = try await run("pulse", ["units", "list", "--socket", "/tmp/pulse-nobody-here.sock"])
        #expect(nobody.status == 1)
        #expect(nobody.stderr.contains("nothing answers at /tmp/pulse-nobody-here.sock"))
        let help = try await run("pulse", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("report"))
        let daemon = try await run("roster", ["--socket", "/tmp/x.sock"])
        #expect(daemon.status == 64)
        #expect(daemon.stderr.contains("missing required option --data"))
    }

    @Test("pulse topics check lists an item whose text reads as another topic than the one filed")
    func topicsCheck() async throws {
        let stack = try await Stack.withOneOfficial()
        let period = "2025-12"
        // Filed under land (dat-dai), written about embezzlement and bribes.
        let filed = try await stack.submit(
            unit: "18775", period: period, submitter: 1,
            summary: "Dư luận bức xúc việc một cán bộ tham ô công quỹ, nhận hối lộ, bị thanh tra kết luận có dấu hiệu tham nhũng.")
        #expect(filed.status == 0, "\(filed.stderr)")
        var check = ""
        for _ in 0..<100 where !check.contains("tham-nhung") {
            check = try await stack.pulse(["topics", "check", "--period", period, "--json"]).stdout
            if !check.contains("tham-nhung") { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(check.contains("\"filed\" : \"dat-dai\"") && check.contains("\"suggested\" : \"tham-nhung\""), "\(check)")
        let table = try await stack.pulse(["topics", "check", "--period", period])
        #expect(table.stdout.contains("1 of 1 items in 2025-12 read as another topic"), "\(table.stdout)\(table.stderr)")
        let bad = try await stack.pulse(["topics", "check", "--period", period, "--threshold", "0.7"])
        #expect(bad.status == 64 && bad.stderr.contains("--threshold is a probability between 0 and 0.5"))
        _ = await stack.stop()
    }

    @Test("12,000 survey responses with more than 4 MiB of answers: results and counts still answer, paged where the data is (issue 14, item 2)")
    func largeSurvey() async throws {
        let stack = try Stack()
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        let survey = stack.directory + "/survey.json"
        try "{\"title\": \"Lớn\", \"questions\": [{\"code\": \"q1\", \"text\": \"Đồng ý?\", \"kind\": \"singleChoice\", \"options\": [\"co\", \"khong\"]}, {\"code\": \"q2\", \"text\": \"Góp ý\", \"kind\": \"freeText\"}], \"targetUnits\": [\"18073\", \"18100\"], \"opens\": \"2026-01-01\", \"closes\": \"2026-12-31\"}"
            .write(toFile: survey, atomically: true, encoding: .utf8)
        #expect(try await stack.pulse(["survey", "create", survey]).status == 0)
        #expect(try await stack.pulse(["survey", "open", "1"]).status == 0)
        let remark = String(repeating: "Mong chính quyền quan tâm hơn nữa đến đời sống bà con. ", count: 7)
        for batch in 0..<4 {
            var csv = "unit,day,q1,q2\n"
            for i in 0..<3_000 { csv += "\(i % 2 == 0 ? "18073" : "18100"),2026-11-0\(1 + i % 9),\(i % 3 == 0 ? "khong" : "co"),\(remark)\(batch)-\(i)\n" }
            let file = stack.directory + "/answers-\(batch).csv"
            try csv.write(toFile: file, atomically: true, encoding: .utf8)
            let imported = try await stack.pulse(["survey", "import", "1", file])
            #expect(imported.status == 0 && imported.stdout.contains("imported 3,000 responses"), "\(imported.stdout)\(imported.stderr)")
        }
        let results = try await stack.pulse(["survey", "results", "1", "--json"])
        #expect(results.status == 0, "\(results.stderr)")
        struct Results: Decodable { var responses: Int }
        #expect(try JSONDecoder().decode(Results.self, from: Data(results.stdout.utf8)).responses == 12_000)
        let counts = try await stack.pulse(["survey", "counts", "1"])
        #expect(counts.status == 0 && counts.stdout.contains("12,000 responses"), "\(counts.stdout)\(counts.stderr)")
        _ = await stack.stop()
    }

    @Test("text tools work offline, one line in, one line out")
    func offlineText() async throws {
        let ran = try await run("pulse", ["text", "scrub"], input: "Gọi 0912345678 nhé\nkhông có gì\nemail a@b.vn\n")
        #expect(ran.stdout == "Gọi [số điện thoại] nhé\nkhông có gì\nemail [email]\n")
        let json = try await run("pulse", ["text", "scrub", "--json"], input: "Gọi 0912345678\n")
        // One JSON document: an array with a value per line.
        struct Scrubbed: Decodable { struct Removal: Decodable { var kind: String; var start: Int }; var text: String; var removed: [Removal] }
        let scrubbed = try JSONDecoder().decode([Scrubbed].self, from: Data(json.stdout.utf8))
        #expect(scrubbed.count == 1 && scrubbed[0].removed.first?.kind == "phone" && scrubbed[0].removed.first?.start == 4, "\(json.stdout)")

        let lines = "nguoi dan rat buc xuc vi tien boi thuong qua thap\nthu tuc ko duoc giai quyet,dan buc xuc\nBà con nỏ ưng chút mô\n"
        let restored = try await run("pulse", ["text", "restore"], input: lines)
        #expect(restored.stdout == "người dân rất bức xúc vì tiền bồi thường quá thấp\nthủ tục không được giải quyết, dân bức xúc\nBà con không thích chút đâu\n", "\(restored.stdout)")
        let restoredJSON = try await run("pulse", ["text", "restore", "--json"], input: "duong sa xuong cap\n")
        #expect(restoredJSON.stdout.contains("\"restored\" : \"đường sá xuống cấp\""), "\(restoredJSON.stdout)")
        let sentiment = try await run("pulse", ["text", "sentiment"], input: lines)
        #expect(sentiment.stdout.split(separator: "\n").map { $0.split(separator: "\t").last.map(String.init) } == ["negative", "negative", "negative"], "\(sentiment.stdout)")
        let sentimentJSON = try await run("pulse", ["text", "sentiment", "--json"], input: lines)
        struct Scored: Decodable { var score: Double; var label: String }
        #expect(try JSONDecoder().decode([Scored].self, from: Data(sentimentJSON.stdout.utf8)).map(\.label) == ["neg", "neg", "neg"], "one JSON document (issue 14)")
        let sentimentCSV = try await run("pulse", ["text", "sentiment", "--csv"], input: lines)
        #expect(sentimentCSV.stdout.hasPrefix("\u{FEFF}score,label\n") && sentimentCSV.stdout.split(separator: "\n").count == 4, "\(sentimentCSV.stdout)")
        let topics = try await run("pulse", ["text", "topic", "--json"], input: "Nguoi dan buc xuc vi gia phan bon va xang dau tang cao\nBão số 3 gây ngập lụt, nhiều nhà tốc mái\n")
        struct Line: Decodable { struct T: Decodable { var topic: String; var score: Double }; var topics: [T] }
        let decoded = try JSONDecoder().decode([Line].self, from: Data(topics.stdout.utf8)).map { $0.topics.first?.topic }
        #expect(decoded == ["gia-ca", "thien-tai"], "\(topics.stdout)")
        let bad = try await run("pulse", ["text", "topic", "--top", "0"], input: "x\n")
        #expect(bad.status == 64 && bad.stderr.contains("--top is 1 to 20"))
    }

    @Test("a daemon out of descriptors refuses connections it cannot serve, keeps running, and serves again once they close")
    func outOfDescriptors() async throws {
        let directory = "/tmp/pulse-e2e-fd-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socketPath = directory + "/roster.sock"
        // 40 descriptors, hard limit included, leave room for some ten connections of three each.
        let roster = try ChildProcess(
            executable: "/bin/sh",
            arguments: ["-c", "ulimit -n 40 && exec \"$0\" --socket \"$1\" --data \"$2\"", binDirectory + "/roster", socketPath, directory + "/data"],
            standardInput: .null, standardOutput: .null, standardError: .appending(toFile: directory + "/roster.log"))
        let log = { (try? String(contentsOfFile: directory + "/roster.log", encoding: .utf8)) ?? "" }
        let started = ContinuousClock.now
        while !acceptsConnections(socketPath) && ContinuousClock.now - started < .seconds(10) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(log().contains("descriptor limit 40"), "\(log())")

        let clients = (0..<30).map { _ in RPCClient(path: socketPath) }
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for client in clients {
                group.addTask { (try? await client.call(Introspection.check, .init(), deadline: .seconds(2))) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.contains(true))
        #expect(outcomes.contains(false), "30 connections fitted in 40 descriptors")
        #expect(roster.isRunning, "\(log())")

        for client in clients { client.close() }
        let again = RPCClient(path: socketPath)
        var served = false
        let retried = ContinuousClock.now
        while !served && ContinuousClock.now - retried < .seconds(10) {
            served = (try? await again.call(Introspection.check, .init(), deadline: .seconds(1))) != nil
            if !served { try await Task.sleep(for: .milliseconds(50)) }
        }
        again.close()
        #expect(served, "\(log())")
        roster.signal(SIGTERM)
        let ended = await roster.terminated()
        #expect(ended == .exited(0), "\(log())")
    }

    @Test("report-intake killed with SIGKILL under a stream of submissions loses none it acknowledged, and its file stays sound")
    func killedUnderLoad() async throws {
        let stack = try await Stack.withOneOfficial()
        let intakeSocket = stack.directory + "/report-intake.sock"
        let draft: @Sendable (String) -> ReportDraft = Stack.landReport
        final class Progress: Sendable {
            let acknowledged = Mutex<[String]>([])
            let killed = Atomic<Bool>(false)
        }
        let progress = Progress()
        // Sixteen submitters, each writing until its calls fail; the daemon is killed once some
        // 300 reports are acknowledged, in the middle of their commits.
        await withTaskGroup(of: Void.self) { group in
            for submitter in 0..<16 {
                group.addTask {
                    let client = RPCClient(path: intakeSocket)
                    defer { client.close() }
                    for n in 0..<10_000 {
                        let key = "crash-\(submitter)-\(n)"
                        guard (try? await client.call(IntakeAPI.submitReport, draft(key), deadline: .seconds(5))) != nil else { return }
                        progress.acknowledged.withLock { $0.append(key) }
                    }
                }
            }
            group.addTask {
                // Killed after 300 acknowledgements, or after 30 s whatever came (then the count
                // check below fails instead of the test hanging).
                let giveUp = ContinuousClock.now + .seconds(30)
                while progress.acknowledged.withLock({ $0.count }) < 300 && ContinuousClock.now < giveUp {
                    try? await Task.sleep(for: .milliseconds(2))
                }
                let intake = stack.processes.first { $0.0 == "report-intake" }!.1
                intake.signal(SIGKILL)
                progress.killed.store(true, ordering: .relaxed)
            }
        }
        let wasKilled = progress.killed.load(ordering: .relaxed)
        #expect(wasKilled)
        let keys = progress.acknowledged.withLock { $0 }
        #expect(keys.count >= 300)

        // A killed daemon leaves its socket file behind; the new one replaces it.
        try FileManager.default.removeItem(atPath: intakeSocket)
        try stack.start("report-intake")
        let client = RPCClient(path: intakeSocket)
        defer { client.close() }
        var stored = 0
        var after: UInt64 = 0
        while true {
            let batch = try await client.call(IntakeAPI.listChanges, ListChangesRequest(after: after, limit: 1000), deadline: .seconds(10))
            stored += batch.changes.filter { $0.kind == .report }.count
            after = batch.cursor
            if !batch.more { break }
        }
        #expect(stored >= keys.count, "\(stored) reports stored, \(keys.count) acknowledged")
        // Every acknowledged report is there: submitting it again is answered as a replay.
        for key in keys {
            let again = try await client.call(IntakeAPI.submitReport, draft(key), deadline: .seconds(10))
            #expect(again.replayed, "\(key) was acknowledged but is not stored")
            if !again.replayed { break }
        }
        let database = try Database(path: stack.directory + "/data-report-intake/intake.sqlite")
        #expect(try database.integrityCheck() == [])
        _ = await stack.stop()
    }
}
