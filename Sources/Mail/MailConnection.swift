import COpenSSL
import Foundation
import Glibc

/// Why a mail exchange failed before the server could answer a command: the connection, TLS
/// or a timeout. Such a failure is temporary for every message it touched.
public struct MailConnectionError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A blocking TCP connection to a mail server, which can turn into TLS in place (STARTTLS).
/// Every read and write is bounded by `timeout`.
final class MailConnection {
    private var fd: Int32
    private var tls: OpaquePointer?  // SSL*
    private var tlsContext: OpaquePointer?  // SSL_CTX*
    private var buffer: [UInt8] = []
    private var start = 0
    let host: String

    var isTLS: Bool { tls != nil }

    init(host: String, port: Int, timeout: Duration) throws {
        self.host = host
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw MailConnectionError("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let s = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            if s < 0 { continue }
            if MailConnection.connect(s, info.pointee.ai_addr, info.pointee.ai_addrlen, timeout: timeout, error: &lastError) {
                fd = s
                var tv = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return
            }
            close(s)
        }
        throw MailConnectionError("cannot connect to \(host):\(port): \(lastError)")
    }

    /// A non-blocking connect waited for with poll, so that a silent host costs `timeout`.
    private static func connect(_ s: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, timeout: Duration, error: inout String) -> Bool {
        let flags = fcntl(s, F_GETFL)
        _ = fcntl(s, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(s, F_SETFL, flags) }
        if Glibc.connect(s, address, length) == 0 { return true }
        guard errno == EINPROGRESS else {
            error = String(cString: strerror(errno))
            return false
        }
        var p = pollfd(fd: s, events: Int16(POLLOUT), revents: 0)
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&p, 1, milliseconds) == 1 else {
            error = "timed out after \(timeout)"
            return false
        }
        var code: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(s, SOL_SOCKET, SO_ERROR, &code, &size)
        if code != 0 {
            error = String(cString: strerror(code))
            return false
        }
        return true
    }

    deinit {
        if let tls { SSL_free(tls) }
        if let tlsContext { SSL_CTX_free(tlsContext) }
        if fd >= 0 { close(fd) }
    }

    /// Turns the connection into TLS, checking the server's certificate against the system's
    /// trust store (or `caFile` alone) and `host`.
    func startTLS(caFile: String?) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw MailConnectionError("TLS: \(MailConnection.opensslError())") }
        tlsContext = context
        _ = pulse_ssl_require_tls12(context)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        if let caFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                throw MailConnectionError("TLS: cannot read the CA certificate \(caFile): \(MailConnection.opensslError())")
            }
        } else {
            SSL_CTX_set_default_verify_paths(context)
        }
        guard let ssl = SSL_new(context) else { throw MailConnectionError("TLS: \(MailConnection.opensslError())") }
        tls = ssl
        SSL_set_fd(ssl, fd)
        _ = pulse_ssl_set_server_name(ssl, host)
        guard pulse_ssl_expect_host(ssl, host) == 1 else { throw MailConnectionError("TLS: cannot check the name \(host)") }
        guard SSL_connect(ssl) == 1 else {
            let verify = SSL_get_verify_result(ssl)
            let reason = verify != X509_V_OK ? String(cString: X509_verify_cert_error_string(verify)) : MailConnection.opensslError()
            throw MailConnectionError("TLS handshake with \(host) failed: \(reason)")
        }
    }

    private static func opensslError() -> String {
        var text = [CChar](repeating: 0, count: 256)
        pulse_ssl_last_error(&text, text.count)
        let message = String(cString: text)
        return message.isEmpty ? String(cString: strerror(errno)) : message
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n: Int = bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress! + offset
                if let tls { return Int(SSL_write(tls, base, Int32(clamping: bytes.count - offset))) }
                return Glibc.send(fd, base, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 {
                if tls == nil, n < 0, errno == EINTR { continue }
                throw MailConnectionError(errno == EAGAIN ? "timed out writing to \(host)" : "connection to \(host) lost while writing")
            }
            offset += n
        }
    }

    /// One line without its CRLF; a line longer than 4,096 bytes is a protocol error.
    func readLine() throws -> String {
        while true {
            if let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[start..<end]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                start = end + 1
                if start == buffer.count {
                    buffer.removeAll(keepingCapacity: true)
                    start = 0
                }
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count - start < 4096 else { throw MailConnectionError("\(host) sent a line longer than 4,096 bytes") }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n: Int = chunk.withUnsafeMutableBytes { raw in
                if let tls { return Int(SSL_read(tls, raw.baseAddress, Int32(raw.count))) }
                return Glibc.recv(fd, raw.baseAddress, raw.count, 0)
            }
            if n < 0, tls == nil, errno == EINTR { continue }
            if n <= 0 {
                throw MailConnectionError(n == 0 || errno != EAGAIN ? "\(host) closed the connection" : "timed out waiting for \(host)")
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}
