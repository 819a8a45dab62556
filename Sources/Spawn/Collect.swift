import CPulseLinux
import Foundation
import Glibc

/// What a child wrote, and how it ended.
public struct Collected: Sendable {
    public var termination: Termination
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]

    public var status: Int32 {
        switch termination {
        case .exited(let status): status
        case .killed(let signal): 128 + signal
        case .unknown: -1
        }
    }
}

extension ChildProcess {
    /// ``collect(executable:arguments:environment:input:)`` on a thread of its own, so that no
    /// cooperative thread is held while the child runs.
    public static func collected(
        executable: String, arguments: [String], environment: [String: String]? = nil, input: [UInt8] = [], timeout: Duration? = nil,
        beforeKilling: (@Sendable (pid_t) -> Void)? = nil
    ) async throws(SpawnError) -> Collected {
        let result: Result<Collected, SpawnError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result { () throws(SpawnError) in
                    try collect(executable: executable, arguments: arguments, environment: environment, input: input, timeout: timeout, beforeKilling: beforeKilling)
                })
            }
        }
        return try result.get()
    }

    /// Runs `executable` to its end: writes `input` to its standard input (then closes it) while
    /// reading its standard output and error, all three at once so that no pipe fills up and
    /// stalls either side. Blocks the calling thread. A child still running after `timeout` is
    /// killed (SIGKILL), and what it wrote until then is returned with that termination;
    /// `beforeKilling` may look at it first (its threads' stacks, say).
    public static func collect(
        executable: String, arguments: [String], environment: [String: String]? = nil, input: [UInt8] = [], timeout: Duration? = nil,
        beforeKilling: (@Sendable (pid_t) -> Void)? = nil
    ) throws(SpawnError) -> Collected {
        func makePipe(_ make: (UnsafeMutablePointer<Int32>) -> Int32) throws(SpawnError) -> (read: Int32, write: Int32) {
            var fds: [Int32] = [-1, -1]
            guard make(&fds) == 0 else { throw SpawnError(executable: "pipe", errno: errno) }
            return (fds[0], fds[1])
        }
        // Standard input is a socket so that writing to a child that stopped reading fails with
        // EPIPE (MSG_NOSIGNAL) rather than raising SIGPIPE in this process.
        let stdin = try makePipe(pulse_socketpair_cloexec)
        let stdout = try makePipe(pulse_pipe_cloexec)
        let stderr = try makePipe(pulse_pipe_cloexec)
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: executable, arguments: arguments, environment: environment,
                standardInput: .descriptor(stdin.read), standardOutput: .descriptor(stdout.write),
                standardError: .descriptor(stderr.write))
        } catch {
            for fd in [stdin.read, stdin.write, stdout.read, stdout.write, stderr.read, stderr.write] { close(fd) }
            throw error
        }
        for fd in [stdin.read, stdout.write, stderr.write] { close(fd) }

        var output: [UInt8] = []
        var errorOutput: [UInt8] = []
        var toWrite = input[...]
        var writeEnd: Int32 = stdin.write
        if toWrite.isEmpty { close(writeEnd); writeEnd = -1 }
        var open: [Int32] = [stdout.read, stderr.read]
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = timeout.map { ContinuousClock.now + $0 }
        var killed = false
        while !open.isEmpty || writeEnd >= 0 {
            var wait: Int32 = -1
            if let deadline {
                // Killed, the child's own children may still hold its pipes: they get a second more.
                let left = (killed ? deadline + .seconds(1) : deadline) - ContinuousClock.now
                if left <= .zero {
                    if killed { break }
                    beforeKilling?(child.pid)
                    _ = child.signal(SIGKILL)
                    killed = true
                    continue
                }
                wait = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            }
            var polled = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if writeEnd >= 0 { polled.append(pollfd(fd: writeEnd, events: Int16(POLLOUT), revents: 0)) }
            guard poll(&polled, nfds_t(polled.count), wait) >= 0 else {
                if errno == EINTR { continue }
                break
            }
            for entry in polled where entry.revents != 0 {
                if entry.fd == writeEnd {
                    let written = toWrite.withUnsafeBytes { send(writeEnd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL)) }
                    if written > 0 { toWrite = toWrite.dropFirst(written) }
                    if toWrite.isEmpty || (written < 0 && errno != EAGAIN && errno != EINTR) {
                        close(writeEnd)  // all written, or the child stopped reading (EPIPE)
                        writeEnd = -1
                    }
                    continue
                }
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    if entry.fd == stdout.read { output += buffer[..<count] } else { errorOutput += buffer[..<count] }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        for fd in open { close(fd) }
        if writeEnd >= 0 { close(writeEnd) }
        return Collected(termination: child.wait(), standardOutput: output, standardError: errorOutput)
    }
}
