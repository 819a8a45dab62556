import Foundation
import Glibc

/// The smallest SMTP server that accepts everything, on a loopback port, one connection at a
/// time on a thread of its own: the far end for `pulse-bench notify`, so that what is measured
/// is Pulse's side of the exchange, not a slow peer's.
final class SMTPSink: @unchecked Sendable {  // `accepted` is only touched under `lock`
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var accepted = 0

    var messages: Int { lock.withLock { accepted } }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Serves until the process ends.
    func start() {
        Thread.detachNewThread { self.serve() }
    }

    private func serve() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 { return }
            session(fd)
            close(fd)
        }
    }

    private func session(_ fd: Int32) {
        func say(_ text: String) { _ = text.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }
        var buffer: [UInt8] = []
        var inData = false
        var chunk = [UInt8](repeating: 0, count: 65536)
        say("220 sink ESMTP\r\n")
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return }
            buffer += chunk[0..<n]
            var start = 0
            while true {
                if inData {
                    // The end of DATA: CRLF . CRLF.
                    guard let end = SMTPSink.find([13, 10, 46, 13, 10], in: buffer, from: max(0, start - 2)) else { break }
                    start = end + 5
                    inData = false
                    lock.withLock { accepted += 1 }
                    say("250 ok\r\n")
                    continue
                }
                guard let newline = buffer[start...].firstIndex(of: 10) else { break }
                let line = String(decoding: buffer[start..<newline], as: UTF8.self).uppercased()
                start = newline + 1
                if line.hasPrefix("EHLO") {
                    say("250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                } else if line.hasPrefix("DATA") {
                    say("354 go on\r\n")
                    inData = true
                    // The message may already be in the buffer: look from its first byte (a
                    // message starting with "." CRLF would need the CRLF before it, which is this line's).
                    start -= 2
                } else if line.hasPrefix("QUIT") {
                    say("221 bye\r\n")
                    return
                } else {
                    say("250 ok\r\n")
                }
            }
            buffer.removeFirst(min(start, buffer.count))
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && Array(haystack[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }
}
