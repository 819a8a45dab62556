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
            defer { process.signal(SIGKILL) }  // whatever fails below, nothing is left running
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

    @Test("with WATCHDOG_USEC, the daemon pings WATCHDOG=1 at half the interval while it serves, and not while it is stopped")
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
        #expect(pings.count >= 2 && pings.count <= 8, "every 0.2 s over 1.2 s: \(pings.count) pings in \(Date().timeIntervalSince(start)) s")
        process.signal(SIGSTOP)
        _ = notify.messages(until: "never", seconds: 0.3)
        let stopped = notify.messages(until: "never", seconds: 1.0).filter { $0 == "WATCHDOG=1" }
        #expect(stopped.isEmpty, "a stopped server pets no watchdog")
        process.signal(SIGCONT)
        process.signal(SIGTERM)
        #expect(Stack.status(await process.terminated()) == 0)
    }

    @Test("started by hand without --socket, or with sockets meant for another process, a daemon says what it needs")
    func handStarted() async throws {
        let missing = try await run("roster", ["--data", "/tmp/x"])
        #expect(missing.status == 64 && missing.stderr.contains("--socket"), "\(missing.stderr)")
        // Sockets passed to another process (LISTEN_PID) are not this one's: it needs --socket.
        let foreign = try await run("roster", ["--data", "/tmp/x"], environment: ["LISTEN_FDS": "1", "LISTEN_PID": "1"])
        #expect(foreign.status == 1 && foreign.stderr.contains("no socket: give --socket PATH"), "\(foreign.stderr)")
    }
}

@Suite("Metrics: every service's figures, and the Prometheus text format", .serialized)
struct MetricsTests {
    /// Checks one exposition in Prometheus' text format (0.0.4): comment lines are HELP or
    /// TYPE, every sample is `name{label="value",…} number` of a family declared before it.
    static func parse(_ text: String) throws -> [String: [(labels: [String: String], value: Double)]] {
        struct Malformed: Error, CustomStringConvertible { var description: String }
        var declared: Set<String> = []
        var samples: [String: [(labels: [String: String], value: Double)]] = [:]
        let name = try Regex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ", maxSplits: 3)
                guard parts.count >= 4, (try name.wholeMatch(in: String(parts[2]))) != nil else { throw Malformed(description: "bad comment: \(line)") }
                if line.hasPrefix("# TYPE ") {
                    guard ["counter", "gauge", "summary", "histogram", "untyped"].contains(String(parts[3])) else { throw Malformed(description: "bad type: \(line)") }
                    declared.insert(String(parts[2]))
                }
                continue
            }
            guard !line.hasPrefix("#") else { continue }
            let metric: Substring, rest: Substring
            var labels: [String: String] = [:]
            if let open = line.firstIndex(of: "{") {
                metric = line[..<open]
                guard let close = line.lastIndex(of: "}") else { throw Malformed(description: "unclosed labels: \(line)") }
                var body = line[line.index(after: open)..<close]
                while !body.isEmpty {
                    guard let eq = body.firstIndex(of: "="), body[body.index(after: eq)] == "\"" else { throw Malformed(description: "bad label: \(line)") }
                    let key = String(body[..<eq])
                    var value = ""
                    var i = body.index(eq, offsetBy: 2)
                    while i < body.endIndex, body[i] != "\"" {
                        if body[i] == "\\" { i = body.index(after: i) }
                        value.append(body[i])
                        i = body.index(after: i)
                    }
                    guard i < body.endIndex else { throw Malformed(description: "unterminated value: \(line)") }
                    labels[key] = value
                    body = body[body.index(after: i)...]
                    if body.first == "," { body = body.dropFirst() }
                }
                rest = line[line.index(after: close)...]
            } else {
                guard let space = line.firstIndex(of: " ") else { throw Malformed(description: "no value: \(line)") }
                metric = line[..<space]
                rest = line[space...]
            }
            guard (try name.wholeMatch(in: String(metric))) != nil, let value = Double(rest.trimmingCharacters(in: .whitespaces)) else { throw Malformed(description: "bad sample: \(line)") }
            let family = ["_sum", "_count", "_bucket"].reduce(String(metric)) { $0.hasSuffix($1) && declared.contains(String($0.dropLast($1.count))) ? String($0.dropLast($1.count)) : $0 }
            guard declared.contains(family) else { throw Malformed(description: "sample before its TYPE: \(line)") }
            samples[String(metric), default: []].append((labels, value))
        }
        return samples
    }

    @Test("pulse metrics --prometheus parses and holds calls, latencies, errors, connections and store sizes for every service")
    func prometheus() async throws {
        let stack = try Stack()
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        _ = try await stack.pulse(["units", "show", "18073"])
        _ = try await stack.pulse(["units", "show", "no-such-unit"])
        let backups = stack.directory + "/backups"
        #expect(try await stack.pulse(["backup", "--data", stack.directory, "--into", backups]).status == 0)
        let ran = try await stack.pulse(["metrics", "--prometheus", "--backups", backups])
        #expect(ran.status == 0, "\(ran.stderr)")
        let samples = try Self.parse(ran.stdout)
        let calls = samples["pulse_calls_total"] ?? []
        #expect(calls.contains { $0.labels["service"] == "roster" && $0.labels["method"] == "pulse.roster.v1.Roster/GetUnit" && $0.value >= 2 }, "\(ran.stdout.prefix(2000))")
        #expect(calls.contains { $0.labels["service"] == "gateway" })
        #expect((samples["pulse_call_errors_total"] ?? []).contains { $0.labels["status"] == "NOT_FOUND" })
        #expect((samples["pulse_call_latency_microseconds"] ?? []).contains { $0.labels["quantile"] == "0.99" && $0.value > 0 })
        let stores = samples["pulse_store_bytes"] ?? []
        for service in ["roster", "intake", "analytics", "notification", "gateway"] {
            #expect(stores.contains { $0.labels["service"] == service && $0.value > 0 }, "store size of \(service)")
            #expect((samples["pulse_connections"] ?? []).contains { $0.labels["service"] == service })
        }
        // Feed positions (lag is head minus cursor) and the audit log's size.
        #expect((samples["pulse_feed_head"] ?? []).contains { $0.labels["service"] == "intake" && $0.labels["feed"] == "intake-changes" })
        #expect((samples["pulse_audit_entries"] ?? []).contains { $0.labels["service"] == "gateway" && $0.value > 0 })
        #expect((samples["pulse_last_backup_timestamp_seconds"] ?? []).contains { abs($0.value - Date().timeIntervalSince1970) < 600 })
        let table = try await stack.pulse(["top", "-n", "1"])
        #expect(table.status == 0 && table.stdout.contains("GetUnit"), "\(table.stdout)\(table.stderr)")
        _ = await stack.stop()
    }
}
