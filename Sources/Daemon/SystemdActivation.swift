import Foundation
import Glibc

/// The sockets systemd passes a socket-activated service (the `sd_listen_fds` protocol):
/// `LISTEN_PID` names this process, `LISTEN_FDS` counts the descriptors from 3 on, and
/// `LISTEN_FDNAMES` names them, colon-separated. The variables are removed once read, so that
/// children do not take the sockets for theirs, and each descriptor is made close-on-exec.
public enum SystemdActivation {
    public struct Listener: Sendable {
        public var fd: Int32
        public var name: String
    }

    /// The first descriptor systemd passes (`SD_LISTEN_FDS_START`).
    static let firstDescriptor: Int32 = 3

    /// The listening sockets passed to this process, none when it was started by hand.
    public static func listeners(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [Listener] {
        defer {
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
        }
        guard let pidText = environment["LISTEN_PID"], let countText = environment["LISTEN_FDS"] else { return [] }
        guard let pid = Int32(pidText), pid == getpid() else { return [] }  // meant for another process
        guard let count = Int32(countText), count >= 0, count <= 64 else {
            throw ActivationError("LISTEN_FDS=\(countText) is not a count of sockets")
        }
        let names = environment["LISTEN_FDNAMES"].map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) } ?? []
        var listeners: [Listener] = []
        for k in 0..<count {
            let fd = firstDescriptor + k
            let flags = fcntl(fd, F_GETFD)
            guard flags >= 0 else { throw ActivationError("LISTEN_FDS promised descriptor \(fd), which is not open") }
            _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
            listeners.append(Listener(fd: fd, name: Int(k) < names.count ? names[Int(k)] : "unknown"))
        }
        return listeners
    }

    /// Checks that `fd` is a listening Unix stream socket and returns the path it is bound to.
    public static func unixStreamListener(_ fd: Int32) throws -> String {
        var type: Int32 = 0, listening: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0, type == Int32(SOCK_STREAM.rawValue) else {
            throw ActivationError("descriptor \(fd) from systemd is not a stream socket; use ListenStream= in the .socket unit")
        }
        length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0, listening == 1 else {
            throw ActivationError("descriptor \(fd) from systemd is not listening (Accept=no is needed)")
        }
        var address = sockaddr_un()
        var size = socklen_t(MemoryLayout<sockaddr_un>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
        }
        guard named == 0, address.sun_family == sa_family_t(AF_UNIX) else {
            throw ActivationError("descriptor \(fd) from systemd is not a Unix socket; Pulse listens on a path (ListenStream=/run/pulse/…)")
        }
        return withUnsafeBytes(of: &address.sun_path) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

/// What is wrong with the sockets systemd passed, in words an operator can act on.
public struct ActivationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
