import Base
import CPulseLinux
import Foundation
import Glibc
import Synchronization

/// How a child process ended.
public enum Termination: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case killed(signal: Int32)
    /// Ended, but its status was collected by someone else (SIGCHLD ignored, say).
    case unknown

    public var succeeded: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .killed(let signal): "killed by signal \(signal)"
        case .unknown: "ended with a status nobody kept"
        }
    }
}

public struct SpawnError: Error, CustomStringConvertible {
    public let executable: String
    public let errno: Int32
    public var description: String { "cannot start \(executable): \(SystemError.reason(errno))" }
}

/// A process started with posix_spawn and reaped exactly once.
///
/// Unlike Foundation's `Process`, it never walks `/proc/self/fd` (Foundation's walk reads past
/// the end of its buffer once a process has some 1,400 descriptors open, and crashed a test run
/// that way); the child is instead spawned with every descriptor above standard error closed.
public final class ChildProcess: Sendable {
    /// What one of the child's standard streams is.
    public enum Stream: Sendable {
        /// The parent's own.
        case inherit
        /// `/dev/null`.
        case null
        /// This descriptor; it stays open in the parent and remains the caller's to close.
        case descriptor(Int32)
        /// This file, created if missing, written at its end.
        case appending(toFile: String)
    }

    public let pid: pid_t
    public let executable: String
    private let reaped = Mutex<Termination?>(nil)

    /// Starts `executable` (a path) with `arguments` (argv[1...]). `environment` nil passes this
    /// process's environment on.
    public init(
        executable: String, arguments: [String], environment: [String: String]? = nil,
        standardInput: Stream = .inherit, standardOutput: Stream = .inherit, standardError: Stream = .inherit,
        newProcessGroup: Bool = false
    ) throws(SpawnError) {
        self.executable = executable
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        func descriptor(_ stream: Stream, reading: Bool) throws(SpawnError) -> Int32 {
            let path: String
            let flags: Int32
            switch stream {
            case .inherit: return -1
            case .descriptor(let fd): return fd
            case .null: (path, flags) = ("/dev/null", reading ? O_RDONLY : O_WRONLY)
            case .appending(let file): (path, flags) = (file, O_WRONLY | O_APPEND | O_CREAT)
            }
            let fd = open(path, flags | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw SpawnError(executable: path, errno: Glibc.errno) }
            opened.append(fd)
            return fd
        }
        let input = try descriptor(standardInput, reading: true)
        let output = try descriptor(standardOutput, reading: false)
        let error = try descriptor(standardError, reading: false)

        var argv = ([executable] + arguments).map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?]? = environment.map { variables in
            variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { for pointer in envp ?? [] { free(pointer) } }

        var child: Int32 = 0
        let result: Int32 = argv.withUnsafeBufferPointer { argvBuffer in
            if envp == nil {
                return pulse_spawn(executable, argvBuffer.baseAddress, nil, input, output, error, newProcessGroup ? 1 : 0, &child)
            }
            return envp!.withUnsafeMutableBufferPointer { envpBuffer in
                pulse_spawn(executable, argvBuffer.baseAddress, envpBuffer.baseAddress, input, output, error, newProcessGroup ? 1 : 0, &child)
            }
        }
        guard result == 0 else { throw SpawnError(executable: executable, errno: result) }
        pid = child
    }

    /// How the child ended, or nil while it runs. Never blocks.
    public var termination: Termination? {
        reaped.withLock { state in
            if state == nil {
                var status: Int32 = 0
                let waited = waitpid(pid, &status, WNOHANG)
                if waited == pid {
                    state = Self.termination(status)
                } else if waited < 0 && Glibc.errno == ECHILD {
                    state = .unknown
                }
            }
            return state
        }
    }

    public var isRunning: Bool { termination == nil }

    /// Waits for the child to end; blocks the calling thread (never call it from Swift's
    /// cooperative pool).
    @discardableResult
    public func wait() -> Termination {
        while true {
            if let ended = termination { return ended }
            // Wait without reaping, so that the one reaping happens under the lock above.
            var info = siginfo_t()
            let waited = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT)
            if waited != 0 && Glibc.errno != EINTR {
                // ECHILD: another waiter reaped it meanwhile, and `termination` has its result.
                if let ended = termination { return ended }
            }
        }
    }

    /// Waits for the child to end on a thread of its own, so that no cooperative thread is held.
    public func terminated() async -> Termination {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.wait()) }
        }
    }

    /// Waits for the child to end, at most `limit`; nil if it still runs then.
    public func terminated(within limit: Duration) async -> Termination? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let deadline = ContinuousClock.now + limit
                while ContinuousClock.now < deadline {
                    if let ended = self.termination { return continuation.resume(returning: ended) }
                    usleep(10_000)
                }
                continuation.resume(returning: self.termination)
            }
        }
    }

    /// Sends `signal` while the child has not been reaped (so never to a reused pid); returns
    /// whether it was sent.
    @discardableResult
    public func signal(_ signal: Int32) -> Bool {
        reaped.withLock { state in state == nil && kill(pid, signal) == 0 }
    }

    private static func termination(_ status: Int32) -> Termination {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .killed(signal: signal)
    }
}
