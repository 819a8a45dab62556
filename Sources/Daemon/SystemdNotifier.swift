import Foundation
import Glibc

/// Tells systemd how the service is doing (the `sd_notify` protocol): one datagram of
/// newline-separated `KEY=value` lines to the Unix socket named by `NOTIFY_SOCKET` (a path, or
/// an abstract name after "@"). Without `NOTIFY_SOCKET` (started by hand, `Type=simple`) every
/// call does nothing.
public struct SystemdNotifier: Sendable {
    let address: [UInt8]?

    /// The watchdog interval systemd expects pings within (`WATCHDOG_USEC`, for this process
    /// when `WATCHDOG_PID` is set), or nil when there is no watchdog.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let socket = environment["NOTIFY_SOCKET"], !socket.isEmpty, socket.utf8.count < 108 {
            var bytes = Array(socket.utf8)
            if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract namespace
            address = bytes
        } else {
            address = nil
        }
        let forUs = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if forUs, let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 {
            watchdogInterval = .microseconds(Int64(clamping: usec))
        } else {
            watchdogInterval = nil
        }
    }

    public var isActive: Bool { address != nil }

    /// Sends `state` ("READY=1", "STATUS=…", "STOPPING=1", "WATCHDOG=1"); returns whether it went.
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let address else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var target = sockaddr_un()
        target.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &target.sun_path) { path in
            for (i, byte) in address.enumerated() where i < path.count { path[i] = byte }
        }
        // An abstract name's length is exact; a path's includes its terminating zero.
        let length = MemoryLayout<sa_family_t>.size + address.count + (address.first == 0 ? 0 : 1)
        let payload = Array(state.utf8)
        let sent = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sockaddr, socklen_t(length)) }
            }
        }
        return sent == payload.count
    }
}
