import Foundation
import Synchronization
import Testing

/// The built executables, beside the test bundle.
let binDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path

struct Ran {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs an executable to completion on a thread of its own, so that waiting for it never
/// holds one of Swift's cooperative threads (other suites run beside this one).
func run(_ name: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Ran {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runBlocking(name, arguments, environment: environment, input: input) })
        }
    }
}

func runBlocking(_ name: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Ran {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binDirectory + "/" + name)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["PULSE_SOCKET"] = nil
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let stdin = Pipe()
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Ran(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// The five daemons as separate processes on temporary sockets.
final class Stack: @unchecked Sendable {  // processes are set up in init and only read afterwards
    let directory: String
    var processes: [(String, Process)] = []
    var gateway: String { directory + "/gateway.sock" }

    init() throws {
        directory = "/tmp/pulse-e2e-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let s = { (name: String) in self.directory + "/\(name).sock" }
        let specs: [(String, [String])] = [
            ("roster", []),
            ("report-intake", ["--roster", s("roster")]),
            ("analytics", ["--intake", s("report-intake"), "--roster", s("roster")]),
            ("notification", ["--intake", s("report-intake")]),
            ("gateway", ["--roster", s("roster"), "--intake", s("report-intake"), "--analytics", s("analytics"), "--notification", s("notification")]),
        ]
        for (name, extra) in specs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binDirectory + "/" + name)
            process.arguments = ["--socket", s(name), "--data", directory + "/data-" + name] + extra
            FileManager.default.createFile(atPath: directory + "/\(name).log", contents: nil)
            process.standardError = FileHandle(forWritingAtPath: directory + "/\(name).log")
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            processes.append((name, process))
            let deadline = Date().addingTimeInterval(10)
            while !FileManager.default.fileExists(atPath: s(name)) && Date() < deadline { usleep(10_000) }
        }
    }

    func log(_ name: String) -> String { (try? String(contentsOfFile: directory + "/\(name).log", encoding: .utf8)) ?? "" }

    func pulse(_ arguments: [String], input: String? = nil) async throws -> Ran {
        try await run("pulse", arguments, environment: ["PULSE_SOCKET": gateway], input: input)
    }

    /// SIGTERM in reverse order; returns each exit status.
    func stop() async -> [String: Int32] {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.stopBlocking()) }
        }
    }

    func stopBlocking() -> [String: Int32] {
        var statuses: [String: Int32] = [:]
        for (name, process) in processes.reversed() {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            process.waitUntilExit()
            statuses[name] = process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
        }
        return statuses
    }
}

@Suite("End to end: the built executables over real sockets", .serialized)
struct EndToEndTests {
    @Test("a report goes from pulse through the gateway to intake, is checked against roster, and reaches analytics and notification")
    func fullPath() async throws {
        let stack = try Stack()
        #expect(try await stack.pulse(["health"]).status == 0)
        let imported = try await stack.pulse(["units", "import", "--ha-tinh"])
        #expect(imported.stdout.contains("imported: 74 new"), "\(imported.stderr)")
        let added = try await stack.pulse(["people", "add", "--name", "Nguyễn Văn An", "--unit", "18775", "--role", "official", "--phone", "0912 345 678", "--joined", "2025-07-01", "--json"])
        #expect(added.stdout.contains("\"phone\" : \"+84912345678\""), "\(added.stdout)\(added.stderr)")
        let period = { () -> String in
            var c = Calendar(identifier: .gregorian)
            c.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
            let d = c.dateComponents([.year, .month], from: Date())
            return String(format: "%04d-%02d", d.year!, d.month!)
        }()
        let template = try await stack.pulse(["report", "template", "18775", period])
        var json = template.stdout.replacingOccurrences(of: "\"submitter\" : 0", with: "\"submitter\" : 1")
        json = json.replacingOccurrences(of: "Người dân quan tâm …", with: "Bà con lo mưa bão, liên hệ 0987 654 321.")
        let file = stack.directory + "/report.json"
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let submitted = try await stack.pulse(["report", "submit", file])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stdout.contains("version 1"))
        #expect(submitted.stdout.contains("personal identifiers removed: 1 phone"))
        let again = try await stack.pulse(["report", "submit", file])
        #expect(again.stdout.contains("Already stored"))
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
        var noticed = false
        for _ in 0..<100 where !noticed {
            noticed = try await stack.pulse(["outbox"]).stdout.contains("18775")
            if !noticed { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(noticed, "notification made a notice")

        // Each daemon logs one line per request with method, status and microseconds.
        #expect(stack.log("report-intake").contains("rpc.method=pulse.intake.v1.Intake/SubmitReport rpc.status=OK rpc.duration_us="))
        #expect(stack.log("roster").contains("rpc.method=pulse.roster.v1.Roster/GetUnit rpc.status=OK"))

        // SIGTERM: every daemon exits 0 and removes its socket.
        let statuses = await stack.stop()
        #expect(statuses.values.allSatisfy { $0 == 0 }, "\(statuses)")
        for name in ["roster", "report-intake", "analytics", "notification", "gateway"] {
            #expect(!FileManager.default.fileExists(atPath: stack.directory + "/\(name).sock"))
        }
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
        #expect(ran.stdout.contains("18229 moi-truong"))
        #expect(ran.stdout.contains("[số điện thoại]"))
        #expect(ran.stdout.contains("5 of 72 units reported"))
        #expect(ran.stdout.contains("all five services stopped cleanly"))
        #expect(!ran.stdout.contains("0912 345 678"))
    }

    @Test("usage errors exit 64 with the usage; no gateway is a clear error, exit 1")
    func errors() async throws {
        let usage = try await run("pulse", ["units", "list", "--kind"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("Error: option --kind needs a value"))
        #expect(usage.stderr.contains("Usage: pulse units list"))
        let unknown = try await run("pulse", ["units", "lsit"])
        #expect(unknown.status == 64)
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

    @Test("text tools work offline, one line in, one line out")
    func offlineText() async throws {
        let ran = try await run("pulse", ["text", "scrub"], input: "Gọi 0912345678 nhé\nkhông có gì\nemail a@b.vn\n")
        #expect(ran.stdout == "Gọi [số điện thoại] nhé\nkhông có gì\nemail [email]\n")
        let json = try await run("pulse", ["text", "scrub", "--json"], input: "Gọi 0912345678\n")
        #expect(json.stdout.contains("\"kind\":\"phone\""))
        #expect(json.stdout.contains("\"start\":4"))
    }
}
