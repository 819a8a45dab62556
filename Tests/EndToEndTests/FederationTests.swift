import Foundation
import Spawn
import Testing
import Text

/// Issue 17, federation: agencies' services behind one gateway, their answers merged as figures.
@Suite("Federation: three agencies behind one gateway", .serialized)
struct FederationTests {
    /// One agency's roster, intake and analytics on sockets of their own.
    final class Agency: @unchecked Sendable {
        let name: String
        let directory: String
        var processes: [String: ChildProcess] = [:]
        func socket(_ service: String) -> String { directory + "/\(service).sock" }

        init(_ name: String, under root: String) throws {
            self.name = name
            directory = root + "/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try start("roster", [])
            try start("report-intake", ["--roster", socket("roster")])
            try start("analytics", ["--intake", socket("report-intake"), "--roster", socket("roster")])
        }

        func start(_ service: String, _ extra: [String]) throws {
            processes[service] = try ChildProcess(
                executable: binDirectory + "/" + service, arguments: ["--socket", socket(service), "--data", directory + "/data-" + service] + extra,
                standardInput: .null, standardOutput: .null, standardError: .appending(toFile: directory + "/\(service).log"))
            let deadline = Date().addingTimeInterval(10)
            while !acceptsConnections(socket(service)) && Date() < deadline { usleep(10_000) }
        }

        /// `pulse` straight at this agency's roster, as its own administrator would.
        func roster(_ arguments: [String]) async throws -> Ran {
            try await run("pulse", ["--socket", socket("roster")] + arguments)
        }

        func stop() async {
            for process in processes.values { process.signal(SIGTERM) }
            for (service, process) in processes where await process.terminated(within: .seconds(60)) == nil {
                Issue.record("\(name)'s \(service) did not stop within 60 s of SIGTERM")
                process.signal(SIGKILL)
            }
        }

        deinit { for process in processes.values { process.signal(SIGKILL) } }
    }

    static func month(_ offset: Int) -> String { OutputFormatTests.month(offset) }

    /// `text` as JSON, or a failure that shows it.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            Issue.record("not the JSON of \(T.self): \(text.prefix(600))")
            throw error
        }
    }

    /// A report file for `unit` by person 1 of its roster.
    static func report(_ directory: String, _ unit: String, _ period: String, submitter: Int = 1, topic: String = "dat-dai") throws -> String {
        let file = directory + "/r-\(unit)-\(period).json"
        try """
            {"unit": "\(unit)", "period": "\(period)", "submitter": \(submitter), "assessment": "Tình hình ổn định.",
             "items": [{"topic": "\(topic)", "summary": "Bà con quan tâm việc bồi thường ở \(unit).", "prevalence": "some", "trend": "rising", "sentiment": -1, "channels": [], "localities": []}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("reads fan out and merge as figures equal to one place's; writes go to the unit's agency; an agency down gives a partial answer with a warning, an error with --strict")
    func threeAgencies() async throws {
        let root = "/tmp/pulse-fed-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let commission = try Agency("commission", under: root)
        let police = try Agency("police", under: root)
        let front = try Agency("front", under: root)
        // Each agency's roster holds its own units (and the province, their root).
        #expect(try await commission.roster(["units", "import", "--ha-tinh"]).status == 0)
        let own: [(Agency, [String], String)] = [(police, ["42-CA-1", "42-CA-2"], "subordinateCommittee"), (front, ["42-MT-1", "42-MT-2", "42-MT-3"], "front")]
        for (agency, codes, kind) in own {
            let csv = agency.directory + "/units.csv"
            try ("code,name,kind,parent,valid_from,agency\n42,Hà Tĩnh,province,,2025-07-01,\(agency.name)\n"
                + codes.map { "\($0),Đơn vị \($0),\(kind),42,2025-07-01,\(agency.name)" }.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
            let imported = try await agency.roster(["units", "import", csv])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        for agency in [commission, police, front] {
            _ = try await agency.roster(["people", "add", "--name", "Cán Bộ \(agency.name)", "--unit", agency === commission ? "18073" : (agency === police ? "42-CA-1" : "42-MT-1"), "--role", "official", "--joined", "2025-07-01"])
        }
        _ = try await police.roster(["people", "add", "--name", "Cán Bộ Hai", "--unit", "42-CA-2", "--role", "official", "--joined", "2025-07-01"])
        _ = try await commission.roster(["people", "add", "--name", "Cán Bộ Ba", "--unit", "18100", "--role", "official", "--joined", "2025-07-01"])
        // The gateway over the three.
        let agencies = root + "/agencies.json"
        try """
            {"agencies": [
              {"name": "commission", "label": "Ban Tuyên giáo và Dân vận", "roster": "\(commission.socket("roster"))", "intake": "\(commission.socket("report-intake"))", "analytics": "\(commission.socket("analytics"))"},
              {"name": "police", "label": "Đảng ủy Công an tỉnh", "roster": "\(police.socket("roster"))", "intake": "\(police.socket("report-intake"))", "analytics": "\(police.socket("analytics"))"},
              {"name": "front", "label": "Mặt trận Tổ quốc tỉnh", "roster": "\(front.socket("roster"))", "intake": "\(front.socket("report-intake"))", "analytics": "\(front.socket("analytics"))"}
            ]}
            """.write(toFile: agencies, atomically: true, encoding: .utf8)
        let gatewaySocket = root + "/gateway.sock"
        // The administrator, and the police's partner account (uid 60003) for its own units.
        let policy = root + "/policy.json"
        try "{\"principals\": [{\"uid\": 0, \"role\": \"admin\"}, {\"uid\": 60003, \"role\": \"partner\", \"agency\": \"police\", \"units\": [\"42-CA-1\"]}]}"
            .write(toFile: policy, atomically: true, encoding: .utf8)
        let gateway = try ChildProcess(
            executable: binDirectory + "/gateway", arguments: ["--socket", gatewaySocket, "--data", root + "/data-gateway", "--agencies", agencies, "--policy", policy, "--agency-deadline", "1.5"],
            standardInput: .null, standardOutput: .null, standardError: .appending(toFile: root + "/gateway.log"))
        defer { gateway.signal(SIGKILL) }
        let deadline = Date().addingTimeInterval(10)
        while !acceptsConnections(gatewaySocket) && Date() < deadline { usleep(10_000) }
        func pulse(_ arguments: [String]) async throws -> Ran { try await run("pulse", arguments, environment: ["PULSE_SOCKET": gatewaySocket]) }

        // Writes go to the agency that owns the unit, whoever sends them.
        let period = Self.month(-1)
        for unit in ["18073", "18100", "42-CA-1", "42-CA-2", "42-MT-1"] {
            let submitted = try await pulse(["report", "submit", try Self.report(root, unit, period, submitter: unit == "42-CA-2" || unit == "18100" ? 2 : 1)])
            #expect(submitted.status == 0, "\(unit): \(submitted.stderr)")
        }
        // Three months before, one item a month from the commission's 18073 alone: a baseline of
        // 0.5 a month for the province, against which five items are a spike in the sum only
        // (no agency has more than two of them).
        for months in 2...4 {
            let submitted = try await pulse(["report", "submit", try Self.report(root, "18073", Self.month(-months))])
            #expect(submitted.status == 0, "\(submitted.stderr)")
        }
        #expect(try await run("pulse", ["--socket", police.socket("report-intake"), "report", "history", "42-CA-1", "--json"]).stdout.contains("\"version\" : 1"), "stored in the police's own intake")
        #expect(try await run("pulse", ["--socket", commission.socket("report-intake"), "report", "history", "42-CA-1", "--json"]).stdout.contains("\"versions\" : [\n\n  ]"), "and not in the commission's")

        // Reads fan out: the province's completeness over every agency's units, rates recomputed.
        var status = ""
        for _ in 0..<100 {
            let ran = try await pulse(["status", "--period", period, "--json"])
            status = ran.stdout.isEmpty ? ran.stderr : ran.stdout
            if status.contains("\"reported\" : 5") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        struct Completeness: Decodable { var expected: Int; var reported: Int; var onTime: Int; var reportingRate: Double }
        let merged = try Self.decode(Completeness.self, status)
        // One place would count the commission's 72 reporting units, the police's 2 and the front's 3.
        #expect(merged.expected == 72 + 2 + 3 && merged.reported == 5, "\(status.prefix(400))")
        struct Rows: Decodable { struct Row: Decodable { var state: String }; var rows: [Row] }
        let order = ["missing": 0, "returned": 1, "late": 2, "onTime": 3]
        let states = try Self.decode(Rows.self, status).rows.map { order[$0.state] ?? -1 }
        #expect(states == states.sorted() && states.first == 0, "missing units first across the agencies, as one analytics lists them")
        #expect(abs(merged.reportingRate - 5.0 / 77) < 1e-9)
        let units = try await pulse(["units", "list", "--json"])
        #expect(units.stdout.contains("\"42-CA-2\"") && units.stdout.contains("\"42-MT-3\"") && units.stdout.contains("\"18775\""))
        #expect(units.stdout.components(separatedBy: "\"code\" : \"42\"").count - 1 == 1, "the province once")
        struct Trends: Decodable { struct Series: Decodable { struct Point: Decodable { var items: Int? }; var topic: String; var points: [Point] }; var series: [Series] }
        let trends = try Self.decode(Trends.self, try await pulse(["trends", "--to", period, "--json"]).stdout)
        #expect(trends.series.first { $0.topic == "dat-dai" }?.points.last?.items == 5, "items summed over the agencies")
        let rising = try await pulse(["rising", "--period", period, "--json"])
        #expect(rising.stdout.contains("\"items\" : 5") && rising.stdout.contains("\"baselineMonths\" : 3"), "rising from the summed counts: \(rising.stdout)\(rising.stderr)")

        // Analytics has every report once search finds all eight (status above waits only for the month's).
        struct Hits: Decodable { struct H: Decodable { var unit: String }; var total: Int; var hits: [H] }
        var found = Hits(total: 0, hits: [])
        for _ in 0..<100 {
            found = try Self.decode(Hits.self, try await pulse(["search", "boi", "thuong", "--json"]).stdout)
            if found.total == 8 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        // The province's spike exists only in the sum: tested again over the summed months.
        struct Spikes: Decodable { struct S: Decodable { var unit: String; var topic: String; var items: Int; var baseline: Double }; var spikes: [S] }
        let spikes = try await pulse(["spikes", "--period", period, "--json"])
        #expect(spikes.status == 0, "\(spikes.stderr)")
        let listed = try Self.decode(Spikes.self, spikes.stdout).spikes
        #expect(listed.count == 1 && listed.first?.unit == "42" && listed.first?.items == 5 && listed.first?.baseline == 0.5, "\(spikes.stdout)\(spikes.stderr)")
        for agency in [commission, police, front] {
            let own = try await run("pulse", ["--socket", agency.socket("analytics"), "rpc", "pulse.analytics.v1.Analytics/Spikes", "{\"period\": \"\(period)\"}"])
            #expect(own.status == 0, "\(own.stderr)")
            #expect(try Self.decode(Spikes.self, own.stdout).spikes.isEmpty, "\(agency.name) alone has no spike: \(own.stdout)")
        }
        // Spike ids are each agency's own: following them across agencies is refused, naming the field.
        let followed = try await pulse(["rpc", "pulse.analytics.v1.Analytics/Spikes", "{\"after\": 0}"])
        #expect(followed.status != 0 && followed.stderr.contains("after:"), "\(followed.status) \(followed.stdout)\(followed.stderr)")
        // Search across agencies, the most recent month first; the totals summed.
        #expect(found.total == 8 && Set(found.hits.prefix(5).map(\.unit)) == ["18073", "18100", "42-CA-1", "42-CA-2", "42-MT-1"], "\(found)")
        // Sentiment: the province's row weighs each agency's mean by its items.
        struct Sentiment: Decodable { struct Row: Decodable { var topic: String; var unit: String; var items: Int?; var assessed: Double? }; var rows: [Row] }
        let sentiment = try await pulse(["rpc", "pulse.analytics.v1.Analytics/Sentiment", "{\"unit\": \"42\", \"from\": \"\(period)\", \"to\": \"\(period)\"}"])
        let rows = try Self.decode(Sentiment.self, sentiment.stdout).rows
        #expect(rows.filter { $0.unit == "42" && $0.topic == "dat-dai" }.map(\.items) == [5], "\(sentiment.stdout)\(sentiment.stderr)")
        #expect(Set(rows.map(\.unit)).isSuperset(of: ["42", "42-CA-1", "42-MT-1", "18073"]), "every agency's areas")
        // The ranking is over every agency's units, ranked once.
        struct Ranked: Decodable { struct Row: Decodable { var rank: Int; var unit: String }; var rows: [Row] }
        let ranking = try await pulse(["ranking", "--year", String(period.prefix(4)), "--json"])
        let ranked = try Self.decode(Ranked.self, ranking.stdout).rows
        #expect(ranked.map(\.rank) == Array(1...ranked.count) && Set(ranked.map(\.unit)).isSuperset(of: ["18073", "42-CA-1", "42-CA-2", "42-MT-3"]), "\(ranking.stdout.prefix(300))\(ranking.stderr)")
        #expect(Set(ranked.map(\.unit)).count == ranked.count, "each unit once")
        // Key phrases from the agencies' counts summed: exactly what all the texts in one place give.
        struct Phrases: Decodable { struct P: Decodable { var phrase: String; var count: Int; var z: Double }; var texts: Int?; var phrases: [P] }
        let phrases = try await pulse(["phrases", "--topic", "dat-dai", "--period", period, "--json"])
        #expect(phrases.status == 0, "\(phrases.stderr)")
        let mergedPhrases = try Self.decode(Phrases.self, phrases.stdout)
        let summary = { (unit: String) in "Bà con quan tâm việc bồi thường ở \(unit)." }
        let onePlace = KeyPhrases.distinguishing(["18073", "18100", "42-CA-1", "42-CA-2", "42-MT-1"].map(summary), from: Array(repeating: summary("18073"), count: 3), limit: 10)
        #expect(mergedPhrases.texts == 5 && !onePlace.isEmpty, "\(phrases.stdout)\(phrases.stderr)")
        let got = mergedPhrases.phrases
        #expect(got.map { $0.phrase } == onePlace.map { $0.phrase } && got.map { $0.count } == onePlace.map { $0.count }, "\(got.map { $0.phrase }) vs \(onePlace.map { $0.phrase })")
        #expect(got.count == onePlace.count && zip(got, onePlace).allSatisfy { abs($0.z - $1.z) < 1e-9 })
        let badLimit = try await pulse(["rpc", "pulse.analytics.v1.Analytics/Rising", "{\"period\": \"\(period)\", \"limit\": -1}"])
        #expect(badLimit.status == 1 && badLimit.stderr.contains("limit: -1 is not from 1 to 100"), "\(badLimit.stderr)")

        // A partner across agencies: each agency withholds its small cells, and a month withheld
        // in any agency is withheld in the sum, so the province's five items, two or fewer from
        // each agency, are not shown, nor the spike made of them.
        if getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            chmod(root, 0o755)
            chmod(gatewaySocket, 0o666)
            func partner(_ arguments: [String]) async throws -> Ran {
                try await run("/usr/bin/setpriv", ["--reuid=60003", "--regid=60003", "--clear-groups", binDirectory + "/pulse", "--socket", gatewaySocket] + arguments)
            }
            #expect(try await partner(["whoami"]).stdout.contains("partner"))
            struct PartnerTrends: Decodable { struct Series: Decodable { struct Point: Decodable { var period: String; var items: Int?; var suppressed: Bool? }; var topic: String; var points: [Point] }; var series: [Series] }
            let seen = try await partner(["trends", "--to", period, "--json"])
            let land = try Self.decode(PartnerTrends.self, seen.stdout).series.first { $0.topic == "dat-dai" }
            // Withheld: the month marked so, or no series at all for the topic.
            #expect(land == nil || (land?.points.last?.suppressed == true && land?.points.last?.items == nil), "\(seen.stdout.prefix(300))\(seen.stderr)")
            let all = try Self.decode(PartnerTrends.self, seen.stdout).series.flatMap(\.points)
            #expect(seen.status == 0 && all.allSatisfy { ($0.items ?? 0) == 0 || ($0.items ?? 0) >= 3 }, "no cell under 3 shown")
            let partnerSpikes = try await partner(["spikes", "--period", period, "--json"])
            #expect(partnerSpikes.status == 0 && !partnerSpikes.stdout.contains("\"unit\" : \"42\""), "\(partnerSpikes.stdout)\(partnerSpikes.stderr)")
            let partnerPhrases = try await partner(["phrases", "--topic", "dat-dai", "--period", period])
            #expect(partnerPhrases.status == 1, "a partner's phrases keep the small-cell rule, which summed counts cannot: \(partnerPhrases.stdout)")
            let stranger = try await run("/usr/bin/setpriv", ["--reuid=60009", "--regid=60009", "--clear-groups", binDirectory + "/pulse", "--socket", gatewaySocket, "status"])
            #expect(stranger.status == 1 && stranger.stderr.contains("is not in Pulse's policy"), "\(stranger.stderr)")
        }

        // An agency that stops answering in the middle of a query (its analytics frozen with
        // SIGSTOP: connections are accepted, nothing is answered): the others' figures in time,
        // and a warning naming it, not the caller's deadline passing.
        let frozen = try #require(front.processes["analytics"])
        kill(frozen.pid, SIGSTOP)
        let asked = ContinuousClock.now
        let stalled = try await pulse(["status", "--period", period])
        let waited = ContinuousClock.now - asked
        kill(frozen.pid, SIGCONT)
        #expect(stalled.status == 0 && stalled.stderr.contains("a partial answer: nothing from Mặt trận Tổ quốc tỉnh"), "\(stalled.stdout)\(stalled.stderr)")
        #expect(waited < .seconds(10), "answered after the agency's 1.5 s, in \(waited)")

        // An agency down: what the others know, and a warning naming it.
        await police.stop()
        let partial = try await pulse(["status", "--period", period])
        #expect(partial.status == 0 && partial.stderr.contains("a partial answer: nothing from Đảng ủy Công an tỉnh"), "\(partial.stdout)\(partial.stderr)")
        let strict = try await pulse(["status", "--period", period, "--strict"])
        #expect(strict.status == 1 && strict.stderr.contains("Đảng ủy Công an tỉnh"), "\(strict.stderr)")
        gateway.signal(SIGTERM)
        _ = await gateway.terminated()
        await commission.stop()
        await front.stop()
    }

    @Test("two levels: a national gateway over two provincial gateways, each over its agencies; the national status is both provinces' units once, rates recomputed")
    func national() async throws {
        let root = "/tmp/pulse-nat-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var gateways: [ChildProcess] = []
        defer { for g in gateways { g.signal(SIGKILL) } }
        // The national gateway runs as an account of its own, which each provincial gateway's
        // policy names as a partner with no units of its own: aggregates only.
        let nationalUID: UInt32 = 60_010
        let asOtherUser = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        let provincialPolicy = root + "/provincial-policy.json"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "{\"principals\": [{\"uid\": 0, \"role\": \"admin\"}, {\"uid\": \(nationalUID), \"role\": \"partner\", \"agency\": \"national\"}]}"
            .write(toFile: provincialPolicy, atomically: true, encoding: .utf8)
        func startGateway(_ name: String, agencies: String, national: Bool = false) throws -> String {
            let directory = root + "/\(name)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let socket = directory + "/gateway.sock"
            var arguments = ["--socket", socket, "--data", directory + "/data", "--agencies", agencies]
            var executable = binDirectory + "/gateway"
            if national && asOtherUser {
                chown(directory, nationalUID, nationalUID)
                arguments = ["--reuid=\(nationalUID)", "--regid=\(nationalUID)", "--clear-groups", executable] + arguments
                executable = "/usr/bin/setpriv"
            } else if !national {
                arguments += ["--policy", provincialPolicy]
            }
            let process = try ChildProcess(
                executable: executable, arguments: arguments,
                standardInput: .null, standardOutput: .null, standardError: .appending(toFile: root + "/\(name).log"))
            gateways.append(process)
            let deadline = Date().addingTimeInterval(10)
            while !acceptsConnections(socket) && Date() < deadline { usleep(10_000) }
            chmod(socket, 0o666)  // the national gateway's account connects to the provincial ones
            return socket
        }
        // Two provinces (Hà Tĩnh 42, Nghệ An 40), each one agency with three communes, one reporting.
        var provincial: [String] = []
        var kept: [Agency] = []  // alive until the end of the test
        for (code, name) in [("42", "Hà Tĩnh"), ("40", "Nghệ An")] {
            let agency = try Agency("commission-\(code)", under: root)
            kept.append(agency)
            let csv = agency.directory + "/units.csv"
            try ("code,name,kind,parent,valid_from\n\(code),\(name),province,,2025-07-01\n" + (1...3).map { "\(code)00\($0),Xã \(code)-\($0),commune,\(code),2025-07-01" }.joined(separator: "\n") + "\n")
                .write(toFile: csv, atomically: true, encoding: .utf8)
            #expect(try await agency.roster(["units", "import", csv]).status == 0)
            _ = try await agency.roster(["people", "add", "--name", "Cán Bộ \(code)", "--unit", "\(code)001", "--role", "official", "--joined", "2025-07-01"])
            let file = root + "/agencies-\(code).json"
            try "{\"agencies\": [{\"name\": \"commission\", \"label\": \"\(name)\", \"roster\": \"\(agency.socket("roster"))\", \"intake\": \"\(agency.socket("report-intake"))\", \"analytics\": \"\(agency.socket("analytics"))\"}]}"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let socket = try startGateway("gateway-\(code)", agencies: file)
            provincial.append(socket)
            let submitted = try await run("pulse", ["report", "submit", try Self.report(root, "\(code)001", Self.month(-1))], environment: ["PULSE_SOCKET": socket])
            #expect(submitted.status == 0, "\(submitted.stderr)")
        }
        // The national gateway: each province an agency behind its own gateway.
        let national = root + "/national.json"
        try "{\"agencies\": [{\"name\": \"ha-tinh\", \"label\": \"Hà Tĩnh\", \"gateway\": \"\(provincial[0])\"}, {\"name\": \"nghe-an\", \"label\": \"Nghệ An\", \"gateway\": \"\(provincial[1])\"}]}"
            .write(toFile: national, atomically: true, encoding: .utf8)
        let top = try startGateway("national", agencies: national, national: true)
        var status = ""
        var problem = ""
        for _ in 0..<100 {
            let ran = try await run("pulse", ["status", "--period", Self.month(-1), "--json"], environment: ["PULSE_SOCKET": top])
            status = ran.stdout
            problem = ran.stderr
            if status.contains("\"reported\" : 2") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status.contains("\"expected\" : 6") && status.contains("\"reported\" : 2") && status.contains("\"root\" : \"42+40\""), "\(status.prefix(300))\(problem)")
        let units = try await run("pulse", ["units", "list", "--json"], environment: ["PULSE_SOCKET": top]).stdout
        #expect(units.contains("\"40003\"") && units.contains("\"42003\""), "codes nest: both provinces' trees")
        if asOtherUser {
            // Each province answers the national gateway as the partner its policy says: figures
            // with small cells withheld (one report a province), no report of any unit.
            let history = try await run("pulse", ["report", "history", "42001"], environment: ["PULSE_SOCKET": top])
            #expect(history.status == 1 && history.stderr.contains("has no units"), "\(history.stdout)\(history.stderr)")
            struct Trends: Decodable { struct Series: Decodable { struct Point: Decodable { var items: Int?; var suppressed: Bool? }; var points: [Point] }; var series: [Series] }
            let trends = try await run("pulse", ["trends", "--to", Self.month(-1), "--json"], environment: ["PULSE_SOCKET": top])
            let points = try Self.decode(Trends.self, trends.stdout).series.flatMap(\.points)
            #expect(trends.status == 0 && points.allSatisfy { ($0.items ?? 0) == 0 || ($0.items ?? 0) >= 3 }, "no cell of one report shown: \(trends.stdout.prefix(300))")
        }
        for agency in kept { await agency.stop() }
    }
}

