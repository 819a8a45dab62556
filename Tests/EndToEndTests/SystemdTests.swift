import Foundation
import Glibc
import RPC
import Spawn
import Testing

/// A datagram socket the test listens on as systemd's NOTIFY_SOCKET.
final class NotifyListener {
    let path: String
    let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The datagrams received within `seconds`, until one contains `until`.
    func messages(until: String, seconds: Double) -> [String] {
        var received: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { continue }
            let message = String(decoding: buffer[..<n], as: UTF8.self)
            received.append(message)
            if message.contains(until) { break }
        }
        return received
    }
}

@Suite("systemd: socket activation and sd_notify, with the real tools", .serialized)
struct SystemdTests {
    static let activate = "/usr/bin/systemd-socket-activate"

    @Test("each daemon serves the socket systemd-socket-activate passes it, and says READY=1, then STOPPING=1 on SIGTERM, leaving the socket in place")
    func socketActivation() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.activate), "systemd-socket-activate (Debian's systemd package) is needed")
        let directory = "/tmp/pulse-sd-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let notify = try NotifyListener(path: directory + "/notify.sock")
        for (name, extra) in [("roster", [String]()), ("report-intake", ["--roster", directory + "/roster-x.sock"])] {
            let socket = directory + "/\(name).sock"
            // systemd-socket-activate binds the socket, then execs the daemon with LISTEN_FDS=1.
            let process = try ChildProcess(
                executable: Self.activate,
                arguments: ["-l", socket, "--fdname=\(name)", "-E", "NOTIFY_SOCKET=\(notify.path)", binDirectory + "/" + name, "--data", directory + "/data-" + name] + extra,
                standardInput: .null, standardOutput: .null, standardError: .appending(toFile: directory + "/\(name).log"))
            // The socket exists before the daemon runs; the first connection starts it.
            var waited = 0
            while !FileManager.default.fileExists(atPath: socket) && waited < 500 {
                usleep(10_000)
                waited += 1
            }
            let client = RPCClient(path: socket)
            let health = try await client.call(Introspection.check, Introspection.HealthCheckRequest(), deadline: .seconds(10))
            #expect(health.status == "SERVING")
            let ready = notify.messages(until: "READY=1", seconds: 5)
            #expect(ready.contains { $0.contains("READY=1") && $0.contains("STATUS=serving on \(socket)") }, "\(ready)")
            let log = (try? String(contentsOfFile: directory + "/\(name).log", encoding: .utf8)) ?? ""
            #expect(log.contains("socket passed by systemd"), "\(log)")
            client.close()
            process.signal(SIGTERM)
            let stopping = notify.messages(until: "STOPPING=1", seconds: 5)
            #expect(stopping.contains { $0.contains("STOPPING=1") }, "\(stopping)")
            #expect(Stack.status(await process.terminated()) == 0)
            #expect(FileManager.default.fileExists(atPath: socket), "systemd's socket is not removed by the service")
        }
    }

    @Test("with WATCHDOG_USEC, the daemon pings WATCHDOG=1 at half the interval while it serves, and stops pinging when stopped (SIGSTOP)")
    func watchdog() async throws {
        let directory = "/tmp/pulse-sd-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let notify = try NotifyListener(path: directory + "/notify.sock")
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment["WATCHDOG_USEC"] = "400000"
        let process = try ChildProcess(
            executable: binDirectory + "/roster", arguments: ["--socket", directory + "/roster.sock", "--data", directory + "/data"],
            environment: environment, standardInput: .null, standardOutput: .null, standardError: .appending(toFile: directory + "/roster.log"))
        _ = notify.messages(until: "READY=1", seconds: 10)
        let start = Date()
        let pings = notify.messages(until: "never", seconds: 1.2).filter { $0 == "WATCHDOG=1" }
        #expect(pings.count >= 3 && pings.count <= 8, "every 0.2 s over 1.2 s: \(pings.count) pings in \(Date().timeIntervalSince(start)) s")
        process.signal(SIGSTOP)
        _ = notify.messages(until: "never", seconds: 0.3)  // what was in flight
        let wedged = notify.messages(until: "never", seconds: 1.0).filter { $0 == "WATCHDOG=1" }
        #expect(wedged.isEmpty, "a stopped server pets no watchdog")
        process.signal(SIGCONT)
        process.signal(SIGTERM)
        #expect(Stack.status(await process.terminated()) == 0)
    }

    @Test("started by hand without --socket, a daemon says what it needs")
    func handStarted() async throws {
        let missing = try await run("roster", ["--data", "/tmp/x"])
        #expect(missing.status == 64 && missing.stderr.contains("--socket"), "\(missing.stderr)")
    }
}
