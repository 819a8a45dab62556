import Arguments
import Base
import CPulseLinux
import Foundation
import Localization
import RPC
import Store
import Synchronization

/// What every daemon's `main` does: parse the common flags, build the service, serve it on
/// its socket, and on SIGTERM or SIGINT stop accepting, let in-flight calls finish, remove the
/// socket file and exit 0.
public enum Daemon {
    public struct Setup: Sendable {
        public var router: Router
        /// Runs after the server has stopped: close stores, stop background loops.
        public var onShutdown: @Sendable () async -> Void
        /// Runs once the server is listening: background loops such as feed pulling.
        public var onStart: @Sendable () async -> Void
        /// Runs on SIGHUP: read configuration again.
        public var onReload: (@Sendable () -> Void)?
        /// Who is served; nil: the uids of `--allow-uid`, this process's own and root's.
        public var identification: (any CallerIdentification)?
        /// The service's view of the unit tree, for scoped access rules.
        public var unitScope: (any UnitScope)?
        /// Sets anything else of the server's configuration (the gateway's audit hooks).
        public var configure: (@Sendable (inout RPCServer.Configuration) -> Void)?

        public init(
            router: Router, identification: (any CallerIdentification)? = nil, unitScope: (any UnitScope)? = nil,
            onStart: @escaping @Sendable () async -> Void = {}, onShutdown: @escaping @Sendable () async -> Void = {},
            onReload: (@Sendable () -> Void)? = nil, configure: (@Sendable (inout RPCServer.Configuration) -> Void)? = nil
        ) {
            self.configure = configure
            self.router = router
            self.identification = identification
            self.unitScope = unitScope
            self.onStart = onStart
            self.onShutdown = onShutdown
            self.onReload = onReload
        }
    }

    public struct Context: Sendable {
        public var arguments: ParsedArguments
        public var socketPath: String
        public var dataDirectory: String
        public var logger: Logger
    }

    public static let commonOptions: [OptionSpec] = [
        .option("socket", short: "s", value: "path", help: "Unix socket to listen on (created with mode 0660)."),
        .option("data", short: "d", value: "dir", help: "Directory for this instance's SQLite store (created if missing)."),
        .option("log-level", value: "level", help: "trace, debug, info (default: a line per call), notice, warning or error; or PULSE_LOG_LEVEL."),
        .option("max-frame", value: "bytes", help: "Largest frame accepted, in bytes (default 4194304)."),
        .option(
            "allow-uid", value: "uid",
            help: "Serve this uid too (repeatable): the gateway's and the other services' accounts. This process's own uid and root are always served; no one else reaches the service.",
            repeatable: true),
        .option("allow-user", value: "name", help: "Serve this user's uid too (repeatable), as --allow-uid does: pulse-gateway, say.", repeatable: true),
        .flag("version", help: "Print the version and exit."),
    ]

    public static let version = "0.1.0"

    /// Runs the daemon and never returns.
    public static func main(
        name: String, serviceName: String, abstract: String, options extra: [OptionSpec] = [],
        setup: @Sendable (Context) async throws -> Setup
    ) async -> Never {
        let options = commonOptions + extra
        let usage = "Usage: \(name) --socket <path> --data <dir> [options]"
        let arguments: ParsedArguments
        do {
            // A daemon's command line is the operator's, and its words English like its logs.
            arguments = try Language.$current.withValue(.en) { () throws -> ParsedArguments in
                try ArgumentParser.parse(Array(CommandLine.arguments.dropFirst()), options: options)
            }
            if arguments.has("help") {
                print("\(name): \(abstract)\n\n\(usage)\n\nOptions:\n\(Language.$current.withValue(.en) { ArgumentParser.optionsHelp(options) })")
                exit(0)
            }
            if arguments.has("version") {
                print("\(name) \(version)")
                exit(0)
            }
            guard arguments.positionals.isEmpty else { throw UsageError("unexpected argument \(arguments.positionals[0])") }
            // Socket activation passes the socket instead (see SystemdActivation).
            try Language.$current.withValue(.en) { () throws in
                if ProcessInfo.processInfo.environment["LISTEN_FDS"] == nil { _ = try arguments.required("socket") }
                _ = try arguments.required("data")
            }
            if let level = arguments.value("log-level") ?? ProcessInfo.processInfo.environment["PULSE_LOG_LEVEL"], Logger.Level(name: level) == nil {
                throw UsageError("--log-level (or PULSE_LOG_LEVEL) must be one of trace, debug, info, notice, warning, error")
            }
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n\(usage)\n  See '\(name) --help' for more information.\n".utf8))
            exit(UsageError.exitCode)
        }
        umask(0o077)  // the data directory, the database files and the Maildir are the service's alone
        // Frame buffers of a few MiB come and go with connections: keep them in their own
        // mappings, returned to the system when freed, instead of letting glibc raise its
        // threshold and keep them in per-thread heaps (a burst of large frames would stay resident).
        pulse_map_large_allocations(256 << 10)
        let shutdown = ShutdownSignal.install()
        let logger = Logger.standardError(label: name, level: Logger.Level(name: arguments.value("log-level") ?? ProcessInfo.processInfo.environment["PULSE_LOG_LEVEL"] ?? "info") ?? .info)
        raiseDescriptorLimit(logger: logger)
        let dataDirectory = arguments.value("data")!
        let notifier = SystemdNotifier()
        do {
            let inherited = try SystemdActivation.listeners()
            guard inherited.count <= 1 else {
                throw ActivationError("systemd passed \(inherited.count) sockets (\(inherited.map(\.name).joined(separator: ", "))); a Pulse service listens on one")
            }
            let socketPath: String
            if let listener = inherited.first {
                socketPath = try SystemdActivation.unixStreamListener(listener.fd)
                if let given = arguments.value("socket"), given != socketPath {
                    throw ActivationError("--socket \(given) differs from the socket systemd passed (\(socketPath)); drop --socket or make them agree")
                }
                logger.info("socket passed by systemd", ["socket": socketPath, "name": listener.name])
            } else {
                // LISTEN_FDS may have been meant for another process (LISTEN_PID): then --socket.
                guard let given = arguments.value("socket") else {
                    throw ActivationError("no socket: give --socket PATH, or start \(name) from its systemd .socket unit")
                }
                socketPath = given
            }
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var st = stat()
            if stat(dataDirectory, &st) == 0, st.st_mode & 0o077 != 0 {
                logger.warning("\(dataDirectory) was open to others (mode \(String(st.st_mode & 0o777, radix: 8))); making it 0700")
                guard chmod(dataDirectory, 0o700) == 0 else { throw SystemError.last("chmod 0700 \(dataDirectory)") }
            }
            let context = Context(arguments: arguments, socketPath: socketPath, dataDirectory: dataDirectory, logger: logger)
            let built = try await Language.$current.withValue(.en) { try await setup(context) }
            var configuration = RPCServer.Configuration(path: socketPath, serviceName: serviceName)
            configuration.inheritedListener = inherited.first?.fd
            if let maxFrame = try Language.$current.withValue(.en, operation: { () throws -> Int? in try arguments.integer("max-frame") }) { configuration.maxFrameSize = maxFrame }
            if let identification = built.identification {
                guard arguments.all("allow-uid").isEmpty && arguments.all("allow-user").isEmpty else {
                    throw UsageError("--allow-uid and --allow-user are for back-end services; \(name) serves whom its own configuration says")
                }
                configuration.identification = identification
            } else {
                let allowed = try arguments.all("allow-uid").map { text throws(UsageError) -> UInt32 in
                    guard let uid = UInt32(text) else { throw UsageError("--allow-uid takes a uid (a number), not \"\(text)\"") }
                    return uid
                }
                let users = try arguments.all("allow-user").map { name throws(UsageError) -> UInt32 in
                    guard let entry = getpwnam(name) else { throw UsageError("--allow-user: no user \"\(name)\" on this machine (getent passwd \(name))") }
                    return entry.pointee.pw_uid
                }
                let uids = TrustedPeers.local.uids.union(allowed).union(users)
                configuration.identification = TrustedPeers(uids: uids)
                logger.info("serving uids \(uids.sorted().map(String.init).joined(separator: ", ")) only")
            }
            configuration.unitScope = built.unitScope
            configuration.gauges = { [dataDirectory] in storeGauges(dataDirectory) }
            built.configure?(&configuration)
            if let reload = built.onReload { ShutdownSignal.onReload { logger.info("received SIGHUP, reloading"); reload() } }
            let server = RPCServer(configuration: configuration, router: built.router, logger: logger)
            try server.start()
            notifier.notify("READY=1\nSTATUS=serving on \(socketPath)\nMAINPID=\(getpid())")
            let background = Task { await built.onStart() }
            let watchdog = Task { await petWatchdog(notifier, socketPath: socketPath, logger: logger) }
            // What it is doing, for `systemctl status`, every 10 s.
            let status = Task {
                guard notifier.isActive else { return }
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(10))
                    notifier.notify("STATUS=serving on \(socketPath): \(server.connectionsOpen) connections, \(server.connectionsAccepted) accepted, \(server.callsInFlight) calls running")
                }
            }
            // Still installed: a second signal during the shutdown changes nothing, and is not fatal.
            let signal = await shutdown.wait() ?? "cancel"
            logger.info("received \(signal), shutting down")
            notifier.notify("STOPPING=1\nSTATUS=stopping (\(signal))")
            watchdog.cancel()
            status.cancel()
            background.cancel()
            await server.shutdown()
            // Cancelled, the background loops stop at their next await; one that does not is not
            // waited for past the grace period: what it had not committed, it does again next start.
            guard await finished(within: .seconds(10), { await background.value }) else {
                logger.warning("background work did not stop within 10 s of \(signal); exiting without it")
                exit(0)
            }
            if !(await finished(within: .seconds(10), { await built.onShutdown() })) {
                logger.warning("closing the stores took longer than 10 s; exiting")
                exit(0)
            }
            checkpointStores(dataDirectory, logger: logger)
            exit(0)
        } catch {
            logger.error("cannot start: \(error)")
            exit(1)
        }
    }
}

/// At shutdown, once nothing writes: every store's write-ahead log copied into its file and
/// emptied, so that the file alone is the store (for a backup, a restore, a copy).
func checkpointStores(_ directory: String, logger: Logger) {
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []) where name.hasSuffix(".sqlite") {
        do {
            let db = try Database(path: directory + "/" + name)
            _ = try db.query("PRAGMA wal_checkpoint(TRUNCATE)")
        } catch {
            logger.warning("could not checkpoint \(name) at shutdown: \(error)")
        }
    }
}

/// The sizes of the service's database files and their write-ahead logs.
func storeGauges(_ directory: String) -> [MetricsSnapshot.Gauge] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    var gauges: [MetricsSnapshot.Gauge] = []
    for name in names.sorted() {
        var st = stat()
        guard stat(directory + "/" + name, &st) == 0 else { continue }
        if name.hasSuffix(".sqlite") {
            gauges.append(.init(name: "pulse_store_bytes", value: Double(st.st_size), labels: ["file": name], help: "Size of a service's SQLite database file."))
            gauges += feedGauges(directory + "/" + name)
        } else if name.hasSuffix(".sqlite-wal") {
            gauges.append(.init(name: "pulse_wal_bytes", value: Double(st.st_size), labels: ["file": name], help: "Size of a database's write-ahead log (checkpoint lag)."))
        }
    }
    return gauges
}

/// What a store says of its feeds and queues, read on a connection of its own: how far each
/// feed it follows is applied, the head of the feed it publishes (the difference is the lag),
/// its outbox by state, its audit log's size.
func feedGauges(_ path: String) -> [MetricsSnapshot.Gauge] {
    guard let db = try? Database(path: path, readOnly: true) else { return [] }
    func has(_ table: String) -> Bool { (try? db.exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table])) == true }
    var gauges: [MetricsSnapshot.Gauge] = []
    if has("feed_cursor"), let rows = try? db.query("SELECT name, cursor FROM feed_cursor") {
        for row in rows {
            guard let name = try? row.get(0, as: String.self), let cursor = try? row.get(1, as: Int64.self) else { continue }
            gauges.append(.init(name: "pulse_feed_cursor", value: Double(cursor), labels: ["feed": name], help: "How far a followed feed is applied (compare with pulse_feed_head)."))
        }
    }
    if has("changes"), let head = try? db.scalar("SELECT coalesce(max(cursor), 0) FROM changes", as: Int64.self) {
        gauges.append(.init(name: "pulse_feed_head", value: Double(head), labels: ["feed": "intake-changes"], help: "The last position of a feed this service publishes."))
    }
    if has("spikes"), let head = try? db.scalar("SELECT coalesce(max(id), 0) FROM spikes", as: Int64.self) {
        gauges.append(.init(name: "pulse_feed_head", value: Double(head), labels: ["feed": "analytics-spikes"], help: "The last position of a feed this service publishes."))
    }
    if has("notices"), let rows = try? db.query("SELECT state, count(*) FROM notices GROUP BY state") {
        for row in rows {
            guard let state = try? row.get(0, as: String.self), let n = try? row.get(1, as: Int64.self) else { continue }
            gauges.append(.init(name: "pulse_outbox", value: Double(n), labels: ["state": state], help: "Notices in the outbox, by state."))
        }
    }
    if has("audit_log"), let n = try? db.scalar("SELECT count(*) FROM audit_log", as: Int64.self) {
        gauges.append(.init(name: "pulse_audit_entries", value: Double(n), help: "Entries in the gateway's audit log."))
    }
    return gauges
}

/// Pings systemd's watchdog at half its interval, each time only after a health check answered
/// on a new connection to the service's own socket: through accept, a connection thread and a
/// handler, so a server wedged anywhere on that path, or no longer accepting, stops the pings
/// and systemd restarts it.
func petWatchdog(_ notifier: SystemdNotifier, socketPath: String, logger: Logger) async {
    guard let interval = notifier.watchdogInterval else { return }
    while !Task.isCancelled {
        // A new connection each time, so that accepting is proved too.
        let client = RPCClient(path: socketPath)
        defer { client.close() }
        do {
            _ = try await client.call(Introspection.check, Introspection.HealthCheckRequest(), deadline: interval / 2)
            notifier.notify("WATCHDOG=1")
        } catch where error.code == .unauthenticated || error.code == .permissionDenied {
            notifier.notify("WATCHDOG=1")  // it answered: the gateway refuses its own account unless the policy names it
        } catch {
            logger.warning("watchdog: the service does not answer its own health check (\(error.message)); not pinging systemd")
        }
        try? await Task.sleep(for: interval / 2)
    }
}

/// Each connection holds three descriptors (socket, eventfd, epoll), so the soft limit that
/// systemd gives services (1,024) would cap a daemon near 300 connections; the hard limit is the
/// operator's ceiling (LimitNOFILE).
func raiseDescriptorLimit(logger: Logger) {
    var limit = rlimit()
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    guard getrlimit(resource, &limit) == 0 else { return }
    if limit.rlim_cur < limit.rlim_max {
        let soft = limit.rlim_cur
        limit.rlim_cur = limit.rlim_max
        if setrlimit(resource, &limit) != 0 { limit.rlim_cur = soft }
    }
    logger.info("descriptor limit \(limit.rlim_cur), about \(limit.rlim_cur / 3) connections")
}

/// SIGTERM and SIGINT, caught from the moment `install()` returns: one that arrives while the
/// daemon is still starting is kept for `wait()` rather than killing a half-started process.
///
/// The handler only writes the signal's number to a pipe; one thread (with the two signals
/// unblocked, whatever mask the thread that installed it had) reads the pipe and hands each
/// signal to the `ShutdownSignal` installed last.
public final class ShutdownSignal: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<String?, Never>)
        case received(String)
        case cancelled
    }
    private let state = Mutex<State>(.idle)

    private static let watched: [Int32] = [SIGTERM, SIGINT, SIGHUP]
    private static let reload = Mutex<(@Sendable () -> Void)?>(nil)

    /// Runs `handler` on each SIGHUP (a daemon without one logs and ignores the signal).
    public static func onReload(_ handler: @escaping @Sendable () -> Void) {
        reload.withLock { $0 = handler }
    }
    private static let current = Mutex<ShutdownSignal?>(nil)
    private static let reader = Mutex<Bool>(false)

    private init() {}

    public static func install() -> ShutdownSignal {
        signal(SIGPIPE, SIG_IGN)
        let shutdown = ShutdownSignal()
        current.withLock { $0 = shutdown }
        let readEnd = pulse_catch_signals(watched, Int32(watched.count))
        precondition(readEnd >= 0, "cannot catch SIGTERM and SIGINT: \(SystemError.lastReason)")
        reader.withLock { started in
            guard !started else { return }
            started = true
            Thread.detachNewThread { readSignals(from: readEnd) }
        }
        return shutdown
    }

    private static func readSignals(from fd: Int32) {
        pulse_set_thread_name("signals")
        pulse_unblock_signals(watched, Int32(watched.count))
        var byte: UInt8 = 0
        while true {
            let count = try? SystemError.retryingInterrupts("read") { read(fd, &byte, 1) }
            guard count == 1 else { return }
            let name: String
            switch Int32(byte) {
            case SIGTERM: name = "SIGTERM"
            case SIGINT: name = "SIGINT"
            case SIGHUP:
                reload.withLock { $0 }?()
                continue
            default: continue
            }
            current.withLock { $0 }?.received(name)
        }
    }

    private func received(_ name: String?) {
        let waiter: CheckedContinuation<String?, Never>? = state.withLock { state in
            let waiter: CheckedContinuation<String?, Never>?
            switch state {
            case .idle: waiter = nil
            case .waiting(let continuation): waiter = continuation
            case .received, .cancelled: return nil
            }
            state = name.map { .received($0) } ?? .cancelled
            return waiter
        }
        waiter?.resume(returning: name)
    }

    /// Returns the name of the first signal received (at once if it came already), or nil once
    /// cancelled. One waiter at a time.
    public func wait() async -> String? {
        await withCheckedContinuation { continuation in
            let already: String?? = state.withLock { state in
                switch state {
                case .received(let name): return .some(name)
                case .cancelled: return .some(nil)
                case .idle, .waiting:
                    state = .waiting(continuation)
                    return nil
                }
            }
            if let already { continuation.resume(returning: already) }
        }
    }

    /// Gives SIGTERM and SIGINT back their default action; a pending `wait()` returns nil.
    public func cancel() {
        let wasCurrent = Self.current.withLock { current in
            guard current === self else { return false }
            current = nil
            return true
        }
        if wasCurrent {
            for number in Self.watched { signal(number, SIG_DFL) }
        }
        received(nil)
    }
}
