import Daemon
import Foundation
import Localization
import Messages
import RPC
import Spawn
import Wire

/// The five daemons as child processes on sockets in a temporary directory.
final class DemoStack: @unchecked Sendable {  // `processes` is only touched under `lock`
    let directory: String
    private let lock = NSLock()
    private var started: [(name: String, process: ChildProcess)] = []
    private var reportedDeaths: Set<String> = []
    /// Set once the user asked everything to stop: ends are then expected.
    private var stopping = false
    var processes: [(name: String, process: ChildProcess)] { lock.withLock { started } }

    var gatewaySocket: String { directory + "/gateway.sock" }
    /// The gateway's policy: the user running the demo (and root) administers.
    var policyFile: String { directory + "/policy.json" }
    func socket(_ name: String) -> String { directory + "/\(name).sock" }

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/pulse-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CLIError(tr("không tạo được thư mục tạm", en: "cannot create a temporary directory")) }
        directory = String(cString: made)
        try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
    }

    /// Where the daemons' executables are: beside this `pulse` executable.
    static func executableDirectory() throws -> String {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        for name in ["roster", "report-intake", "analytics", "notification", "gateway"] where !FileManager.default.isExecutableFile(atPath: me + "/" + name) {
            throw CLIError(tr("không thấy \(name) bên cạnh pulse trong \(me); hãy dựng tất cả bằng `swift build` (hoặc chạy `swift run pulse demo`, lệnh này tự dựng)", en: "\(name) is not beside pulse in \(me); build everything with `swift build` (or run `swift run pulse demo`, which does)"))
        }
        return me
    }

    /// Starts roster, intake, analytics and the gateway; notification starts later, with
    /// ``startNotification(clockStart:)``, once the demo's records are in.
    func start(clockStart: String) async throws {
        let admins = Array(Set([0, getuid()])).sorted().map { "  {\"uid\": \($0), \"role\": \"admin\"}" }
        try "{\"principals\": [\n\(admins.joined(separator: ",\n"))\n]}\n".write(toFile: policyFile, atomically: true, encoding: .utf8)
        // One clock for the whole stack: every service starts at the demo's instant.
        try await launch("roster", ["--clock-start", clockStart])
        try await launch("report-intake", ["--roster", socket("roster"), "--clock-start", clockStart])
        try await launch("analytics", ["--intake", socket("report-intake"), "--roster", socket("roster"), "--clock-start", clockStart])
        try await launch(
            "gateway",
            ["--roster", socket("roster"), "--intake", socket("report-intake"), "--analytics", socket("analytics"), "--notification", socket("notification"), "--policy", policyFile])
    }

    /// (Re)starts notification with its clock at `clockStart`, on the same data: what it
    /// recorded and sent before is kept, and only what is new goes out.
    func startNotification(clockStart: String) async throws {
        if let running = processes.first(where: { $0.name == "notification" }) {
            // Out of the list first, so that the watcher does not take this stop for a death.
            lock.withLock { started.removeAll { $0.name == "notification" } }
            running.process.signal(SIGTERM)
            let ended = await running.process.terminated()
            guard ended.succeeded else { throw CLIError(tr("notification \(ended) khi được yêu cầu dừng; xem \(directory)/logs/notification.log", en: "notification \(ended) when asked to stop; see \(directory)/logs/notification.log")) }
        }
        try await launch(
            "notification",
            ["--intake", socket("report-intake"), "--roster", socket("roster"), "--analytics", socket("analytics"), "--clock-start", clockStart,
             "--from", "pulse@btgdv.hatinh.gov.vn"])
    }

    /// Another agency's roster, intake and analytics (`police-roster`, …), for the demo's federation.
    func startAgency(_ agency: String, clockStart: String) async throws {
        try await launch("\(agency)-roster", executable: "roster", ["--clock-start", clockStart])
        try await launch("\(agency)-report-intake", executable: "report-intake", ["--roster", socket("\(agency)-roster"), "--clock-start", clockStart])
        try await launch("\(agency)-analytics", executable: "analytics", ["--intake", socket("\(agency)-report-intake"), "--roster", socket("\(agency)-roster"), "--clock-start", clockStart])
    }

    /// A second gateway, over every agency (`--agencies`); returns its socket.
    func startFederatingGateway(agencies: [(name: String, label: String, prefix: String)]) async throws -> String {
        let entries = agencies.map {
            "{\"name\": \"\($0.name)\", \"label\": \"\($0.label)\", \"roster\": \"\(socket($0.prefix + "roster"))\", \"intake\": \"\(socket($0.prefix + "report-intake"))\", \"analytics\": \"\(socket($0.prefix + "analytics"))\"}"
        }
        let file = directory + "/agencies.json"
        try ("{\"agencies\": [\n" + entries.joined(separator: ",\n") + "\n]}\n").write(toFile: file, atomically: true, encoding: .utf8)
        try await launch("federation-gateway", executable: "gateway", ["--agencies", file, "--policy", policyFile])
        return socket("federation-gateway")
    }

    private func launch(_ name: String, executable: String? = nil, _ extra: [String]) async throws {
        let bin = try DemoStack.executableDirectory()
        let sock = name == "gateway" ? gatewaySocket : socket(name)
        // A group of its own: Ctrl-C reaches the demo, which then stops the daemons in order.
        let process = try ChildProcess(
            executable: bin + "/" + (executable ?? name), arguments: ["--socket", sock, "--data", directory + "/data/" + name] + extra,
            standardInput: .null, standardOutput: .null, standardError: .appending(toFile: directory + "/logs/\(name).log"),
            newProcessGroup: true)
        lock.withLock { started.append((name, process)) }
        try await waitUntilServing(sock, name: name, process: process)
    }

    private func waitUntilServing(_ path: String, name: String, process: ChildProcess) async throws {
        let client = RPCClient(path: path)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let ended = process.termination {
                throw CLIError(tr("\(name) \(ended) khi khởi động; xem \(directory)/logs/\(name).log", en: "\(name) \(ended) at start-up; see \(directory)/logs/\(name).log"))
            }
            if (try? await client.call(Introspection.check, .init(), deadline: .seconds(1))) != nil { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CLIError(tr("\(name) không trả lời tại \(path) trong 15 giây; xem \(directory)/logs/\(name).log", en: "\(name) did not answer on \(path) within 15 s; see \(directory)/logs/\(name).log"))
    }

    /// The services that ended while nobody was stopping them, each named once.
    func deaths() -> [String] {
        lock.withLock {
            guard !stopping else { return [] }
            var out: [String] = []
            for (name, process) in started where !reportedDeaths.contains(name) {
                guard let ended = process.termination else { continue }
                reportedDeaths.insert(name)
                out.append(tr("dịch vụ \(name) đã dừng bất ngờ (\(ended)); xem \(directory)/logs/\(name).log", en: "the \(name) service stopped unexpectedly (\(ended)); see \(directory)/logs/\(name).log"))
            }
            return out
        }
    }

    /// Watches the services until `stop`: a service that dies is said at once, on standard error.
    func watch() -> Task<Void, Never> {
        Task.detached { [self] in
            while !Task.isCancelled {
                for line in deaths() { warn("⚠ " + line) }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Removes the stack's data and sockets, keeping `logs` when asked.
    func remove(keepingLogs: Bool) {
        guard keepingLogs else {
            try? FileManager.default.removeItem(atPath: directory)
            return
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where entry != "logs" {
            try? FileManager.default.removeItem(atPath: directory + "/" + entry)
        }
    }

    /// Asks every daemon to stop (SIGTERM) without waiting: what a signal to the demo does.
    func terminateAll() {
        lock.withLock { stopping = true }
        for (_, process) in processes { process.signal(SIGTERM) }
    }

    /// Stops the daemons in reverse order with SIGTERM, waiting for each to exit; returns the
    /// names of those that did not exit 0.
    @discardableResult
    func stop(removeDirectory: Bool, keepingLogs: Bool = false) -> [String] {
        var unclean: [String] = []
        let running = processes
        // Out of the list first: these stops are asked for, no death to report.
        lock.withLock { started = [] }
        for (name, process) in running.reversed() {
            process.signal(SIGTERM)
            let deadline = ContinuousClock.now + .seconds(15)
            while process.isRunning && ContinuousClock.now < deadline { usleep(5_000) }
            process.signal(SIGKILL)
            let ended = process.wait()
            if !ended.succeeded { unclean.append("\(name) (\(ended))") }
        }
        if removeDirectory && unclean.isEmpty { remove(keepingLogs: keepingLogs) }
        return unclean
    }
}
