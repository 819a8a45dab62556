import CPulseLinux
import Foundation
import Synchronization

/// An errno value with the operation that produced it.
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    public var errno: Int32
    public var operation: String

    public init(errno: Int32, operation: String) {
        self.errno = errno
        self.operation = operation
    }

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}

/// The identity of the process at the other end of a Unix socket, read by the kernel (SO_PEERCRED).
public struct PeerCredentials: Hashable, Sendable, Codable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}

/// The syscalls the RPC uses, in one place: EINTR is retried (except by close), EAGAIN is a
/// value, anything else is thrown as a ``SystemError``.
enum Sockets {
    static let maxPathLength = 107

    static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let utf8 = Array(path.utf8)
        guard !utf8.isEmpty, utf8.count <= maxPathLength else {
            throw RPCError(.invalidArgument, "socket path must be 1 to \(maxPathLength) bytes: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: utf8)
            raw[utf8.count] = 0
        }
        return address
    }

    static func socketFD() throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError(errno: errno, operation: "socket") }
        return fd
    }

    /// Binds and listens on `path` with mode 0660. An old file there is removed only if it is a socket.
    static func listen(path: String, backlog: Int32 = 512) throws -> Int32 {
        var address = try address(path)
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else {
                throw RPCError(.failedPrecondition, "\(path) exists and is not a socket; refusing to replace it")
            }
            // A socket file left by a process that died is replaced; one that answers is not.
            if let live = try? connect(path: path) {
                close(live)
                throw RPCError(.failedPrecondition, "another server is already listening on \(path); stop it first or choose another --socket")
            }
            unlink(path)
        }
        let fd = try socketFD()
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let e = errno
            close(fd)
            throw SystemError(errno: e, operation: "bind \(path)")
        }
        guard chmod(path, 0o660) == 0 else {
            let e = errno
            close(fd)
            throw SystemError(errno: e, operation: "chmod \(path)")
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno
            close(fd)
            throw SystemError(errno: e, operation: "listen \(path)")
        }
        return fd
    }

    static func connect(path: String) throws -> Int32 {
        var address = try address(path)
        let fd = try socketFD()
        while true {
            let r = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if r == 0 { return fd }
            let e = errno
            if e == EINTR { continue }
            close(fd)
            throw SystemError(errno: e, operation: "connect \(path)")
        }
    }

    /// Accepts one connection; nil when the listener was shut down.
    static func accept(_ listener: Int32) -> Int32? {
        while true {
            let fd = pulse_accept_cloexec(listener)
            if fd >= 0 { return fd }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                usleep(10_000)  // out of descriptors: back off rather than spin
                continue
            default: return nil
            }
        }
    }

    static func peerCredentials(_ fd: Int32) -> PeerCredentials? {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
        guard pulse_peercred(fd, &pid, &uid, &gid) == 0 else { return nil }
        return PeerCredentials(pid: pid, uid: uid, gid: gid)
    }

    /// Reads what is available, blocking; 0 at end of stream.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw SystemError(errno: errno, operation: "read")
        }
    }

    enum SendResult { case sent(Int), wouldBlock }

    /// Sends without blocking.
    static func sendNonBlocking(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws -> SendResult {
        while true {
            let n = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
            if n >= 0 { return .sent(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            default: throw SystemError(errno: errno, operation: "send")
            }
        }
    }

    static func waitWritable(_ fd: Int32, timeoutMilliseconds: Int32) {
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&pfd, 1, timeoutMilliseconds)
    }
}

/// Lets Linux schedule the calling connection thread for throughput (SCHED_BATCH): woken by
/// its peer's frame, it waits for the waking thread to finish its turn (which in a request and
/// answer exchange is soon, when that thread waits for the next frame) instead of preempting
/// it. Under load that saves a pair of context switches per exchange; an idle CPU still runs
/// the thread at once, so a lone call's latency is unchanged. Other processes only gain.
func scheduleForThroughput() {
    _ = pulse_schedule_batch()
}

/// Starts an OS thread for blocking work that must not occupy Swift's cooperative pool.
func startThread(name: String, stackSize: Int = 512 << 10, _ body: @escaping @Sendable () -> Void) {
    final class Box {
        let body: @Sendable () -> Void
        let name: String
        init(_ body: @escaping @Sendable () -> Void, _ name: String) {
            self.body = body
            self.name = name
        }
    }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setstacksize(&attributes, stackSize)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let box = Unmanaged.passRetained(Box(body, name)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, &attributes, { raw in
        let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
        pulse_set_thread_name(box.name)
        box.body()
        return nil
    }, box)
    pthread_attr_destroy(&attributes)
    precondition(rc == 0, "pthread_create failed: \(rc)")
}
