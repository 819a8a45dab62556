import Arguments
import Dispatch
import Foundation
import RPC

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

        public init(router: Router, onStart: @escaping @Sendable () async -> Void = {}, onShutdown: @escaping @Sendable () async -> Void = {}) {
            self.router = router
            self.onStart = onStart
            self.onShutdown = onShutdown
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
        .option("log-level", value: "level", help: "trace, debug, info (default), notice, warning or error."),
        .option("max-frame", value: "bytes", help: "Largest frame accepted, in bytes (default 4194304)."),
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
            arguments = try ArgumentParser.parse(Array(CommandLine.arguments.dropFirst()), options: options)
            if arguments.has("help") {
                print("\(name): \(abstract)\n\n\(usage)\n\nOptions:\n\(ArgumentParser.optionsHelp(options))")
                exit(0)
            }
            if arguments.has("version") {
                print("\(name) \(version)")
                exit(0)
            }
            guard arguments.positionals.isEmpty else { throw UsageError("unexpected argument \(arguments.positionals[0])") }
            _ = try arguments.required("socket")
            _ = try arguments.required("data")
            if let level = arguments.value("log-level"), Logger.Level(name: level) == nil {
                throw UsageError("--log-level must be one of trace, debug, info, notice, warning, error")
            }
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n\(usage)\n  See '\(name) --help' for more information.\n".utf8))
            exit(UsageError.exitCode)
        }
        let logger = Logger.standardError(label: name, level: Logger.Level(name: arguments.value("log-level") ?? "info") ?? .info)
        let socketPath = arguments.value("socket")!
        let dataDirectory = arguments.value("data")!
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            let built = try await setup(Context(arguments: arguments, socketPath: socketPath, dataDirectory: dataDirectory, logger: logger))
            var configuration = RPCServer.Configuration(path: socketPath, serviceName: serviceName)
            if let maxFrame = try arguments.integer("max-frame") { configuration.maxFrameSize = maxFrame }
            let server = RPCServer(configuration: configuration, router: built.router, logger: logger)
            try server.start()
            let background = Task { await built.onStart() }
            let signal = await ShutdownSignal.wait()
            logger.info("received \(signal), shutting down")
            background.cancel()
            await server.shutdown()
            await background.value
            await built.onShutdown()
            exit(0)
        } catch {
            logger.error("cannot start: \(error)")
            exit(1)
        }
    }
}

/// Waits for SIGTERM or SIGINT through Dispatch, off the signal handler.
public enum ShutdownSignal {
    public static func wait() async -> String {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let sources = SignalSources()
        let name = await withCheckedContinuation { continuation in
            let once = OnceFlag()
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                sources.watch(number) {
                    if once.claim() { continuation.resume(returning: name) }
                }
            }
        }
        sources.cancel()
        return name
    }
}

import Synchronization

final class OnceFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func claim() -> Bool { flag.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged }
}

/// The signal sources of one wait, alive until it ends.
final class SignalSources: @unchecked Sendable {  // `sources` only touched under `lock`
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []

    func watch(_ number: Int32, _ handler: @escaping @Sendable () -> Void) {
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
        lock.withLock { sources.append(source) }
    }

    func cancel() {
        lock.withLock {
            for source in sources { source.cancel() }
            sources = []
        }
    }
}
