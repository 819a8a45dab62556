import Daemon
import Foundation
import Messages
import RPC
import Wire

/// The five daemons as child processes on sockets in a temporary directory.
final class DemoStack: @unchecked Sendable {  // `processes` is only touched under `lock`
    let directory: String
    private let lock = NSLock()
    private var started: [(name: String, process: Process)] = []
    var processes: [(name: String, process: Process)] { lock.withLock { started } }

    var gatewaySocket: String { directory + "/gateway.sock" }
    func socket(_ name: String) -> String { directory + "/\(name).sock" }

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/pulse-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CLIError("cannot create a temporary directory") }
        directory = String(cString: made)
        try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
    }

    /// Where the daemons' executables are: beside this `pulse` executable.
    static func executableDirectory() throws -> String {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        for name in ["roster", "report-intake", "analytics", "notification", "gateway"] where !FileManager.default.isExecutableFile(atPath: me + "/" + name) {
            throw CLIError("\(name) is not beside pulse in \(me); build everything with `swift build` (or run `swift run pulse demo`, which does)")
        }
        return me
    }

    func start(clockStart: String) async throws {
        let bin = try DemoStack.executableDirectory()
        let specs: [(String, [String])] = [
            ("roster", []),
            ("report-intake", ["--roster", socket("roster"), "--clock-start", clockStart]),
            ("analytics", ["--intake", socket("report-intake"), "--roster", socket("roster")]),
            ("notification", ["--intake", socket("report-intake"), "--analytics", socket("analytics")]),
            ("gateway", ["--roster", socket("roster"), "--intake", socket("report-intake"), "--analytics", socket("analytics"), "--notification", socket("notification")]),
        ]
        for (name, extra) in specs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: bin + "/" + name)
            let sock = name == "gateway" ? gatewaySocket : socket(name)
            process.arguments = ["--socket", sock, "--data", directory + "/data/" + name] + extra
            let log = directory + "/logs/\(name).log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log)
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            lock.withLock { started.append((name, process)) }
            try await waitUntilServing(sock, name: name, process: process)
        }
    }

    private func waitUntilServing(_ path: String, name: String, process: Process) async throws {
        let client = RPCClient(path: path)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                throw CLIError("\(name) exited at start-up (status \(process.terminationStatus)); see \(directory)/logs/\(name).log")
            }
            if (try? await client.call(Introspection.check, .init(), deadline: .seconds(1))) != nil { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CLIError("\(name) did not answer on \(path) within 15 s; see \(directory)/logs/\(name).log")
    }

    /// Asks every daemon to stop (SIGTERM) without waiting: what a signal to the demo does.
    func terminateAll() {
        for (_, process) in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
    }

    /// Stops the daemons in reverse order with SIGTERM, waiting for each to exit; returns the
    /// names of those that did not exit 0.
    @discardableResult
    func stop(removeDirectory: Bool) -> [String] {
        var unclean: [String] = []
        for (name, process) in processes.reversed() {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                let deadline = Date().addingTimeInterval(15)
                while process.isRunning && Date() < deadline { usleep(5_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
            }
            if process.terminationStatus != 0 || process.terminationReason != .exit { unclean.append("\(name) (status \(process.terminationStatus))") }
        }
        lock.withLock { started = [] }
        if removeDirectory && unclean.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
        return unclean
    }
}
