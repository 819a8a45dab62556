import Base
import CPulseLinux
import Glibc

/// The socket syscalls the RPC uses, in one place; their errno is judged by ``SystemError``
/// (EINTR retried, EAGAIN a value, anything else thrown).
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
        guard fd >= 0 else { throw SystemError.last("socket") }
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
            throw closing(fd, SystemError.last("bind \(path)"))
        }
        guard chmod(path, 0o660) == 0 else {
            throw closing(fd, SystemError.last("chmod \(path)"))
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            throw closing(fd, SystemError.last("listen \(path)"))
        }
        return fd
    }

    /// Closes `fd` after a failed set-up step, keeping that step's error.
    private static func closing(_ fd: Int32, _ error: SystemError) -> SystemError {
        close(fd)
        return error
    }

    static func connect(path: String) throws -> Int32 {
        var address = try address(path)
        let fd = try socketFD()
        do {
            _ = try SystemError.retryingInterrupts("connect \(path)") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
            }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Accepts one connection; nil when the listener was shut down.
    /// The next connection on `listener` (non-blocking), or nil once `wake` (an eventfd) is
    /// signalled or the listener fails. Waking by eventfd rather than by shutting the listener
    /// down leaves a socket that systemd passed us (and keeps) able to listen for the next start.
    static func accept(_ listener: Int32, wake: Int32) -> Int32? {
        while true {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if fds[1].revents != 0 { return nil }
            let fd = pulse_accept_cloexec(listener)
            if fd >= 0 { return fd }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO, EAGAIN: continue
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
        // Most accounts are in a few groups; the kernel allows 65,536.
        for capacity in [64, 65_536] {
            var groups = [UInt32](repeating: 0, count: capacity)
            let count = pulse_peergroups(fd, &groups, Int32(capacity))
            if count >= 0 { return PeerCredentials(pid: pid, uid: uid, gid: gid, groups: Array(groups.prefix(Int(count)))) }
            if errno != ERANGE { break }
        }
        return PeerCredentials(pid: pid, uid: uid, gid: gid)
    }

    /// Reads what is available, blocking; 0 at end of stream.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try SystemError.retryingInterrupts("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) } ?? 0
    }

    enum SendResult { case sent(Int), wouldBlock }

    /// Sends without blocking.
    static func sendNonBlocking(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws -> SendResult {
        let sent = try SystemError.retryingInterrupts("send", expected: [EAGAIN]) {
            send(fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
        }
        return sent.map { .sent($0) } ?? .wouldBlock
    }

    static func waitWritable(_ fd: Int32, timeoutMilliseconds: Int32) {
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&pfd, 1, timeoutMilliseconds)
    }
}
