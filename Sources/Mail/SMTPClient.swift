import Foundation

/// What an SMTP server answered: its three-digit code and the text of every line.
public struct SMTPReply: Sendable, CustomStringConvertible {
    public let code: Int
    public let lines: [String]
    public var isPositive: Bool { (200..<400).contains(code) }
    /// 4xx: try again later.
    public var isTemporary: Bool { (400..<500).contains(code) }
    public var description: String { "\(code) \(lines.joined(separator: " / "))" }
}

/// How one message fared in a transaction.
public enum SMTPOutcome: Sendable, Equatable {
    case accepted(String)
    /// A 4xx answer, or the connection failing: the message may be sent again later.
    case temporary(String)
    /// A 5xx answer: sending it again would fail the same way.
    case permanent(String)
}

/// Where and how to reach a mail relay.
public struct SMTPConfiguration: Sendable {
    public enum TLSMode: String, Sendable, CaseIterable {
        /// STARTTLS when the server offers it (the default).
        case opportunistic
        /// STARTTLS or nothing: a server that does not offer it is a failure.
        case required
        /// Never (a relay on loopback).
        case off
    }

    public var host: String
    public var port: Int
    public var from: String
    public var tls: TLSMode
    /// A PEM file of the certificates to trust instead of the system's store.
    public var caFile: String?
    public var user: String?
    public var password: String?
    public var timeout: Duration
    /// The name given in EHLO.
    public var heloName: String

    public init(
        host: String, port: Int, from: String, tls: TLSMode = .opportunistic, caFile: String? = nil, user: String? = nil,
        password: String? = nil, timeout: Duration = .seconds(30), heloName: String = ProcessInfo.processInfo.hostName
    ) {
        self.host = host
        self.port = port
        self.from = from
        self.tls = tls
        self.caFile = caFile
        self.user = user
        self.password = password
        self.timeout = timeout
        self.heloName = heloName.isEmpty || heloName.contains(" ") ? "localhost" : heloName
    }
}

/// A small SMTP client (RFC 5321): EHLO, STARTTLS (RFC 3207), AUTH PLAIN or LOGIN (RFC 4954),
/// then any number of MAIL/RCPT/DATA transactions on the one connection.
public final class SMTPClient {
    private let connection: MailConnection
    private let configuration: SMTPConfiguration
    private var extensions: Set<String> = []
    private var authMechanisms: Set<String> = []

    /// Whether the server takes 8-bit bodies (else bodies go quoted-printable).
    public var accepts8Bit: Bool { extensions.contains("8BITMIME") }
    public var isTLS: Bool { connection.isTLS }

    /// Connects, greets, secures and authenticates; every failure here is thrown as a
    /// ``MailConnectionError`` (temporary) or an ``SMTPReply`` text in one.
    public init(_ configuration: SMTPConfiguration) throws {
        self.configuration = configuration
        connection = try MailConnection(host: configuration.host, port: configuration.port, timeout: configuration.timeout)
        try expect(try readReply(), 220, "greeting")
        try hello()
        if configuration.tls != .off {
            if extensions.contains("STARTTLS") {
                try expect(try command("STARTTLS"), 220, "STARTTLS")
                try connection.startTLS(caFile: configuration.caFile)
                try hello()
            } else if configuration.tls == .required {
                throw MailConnectionError("\(configuration.host) does not offer STARTTLS, and --smtp-tls required asks for it")
            }
        }
        if let user = configuration.user {
            guard connection.isTLS else {
                throw MailConnectionError("refusing to send the SMTP password to \(configuration.host) without TLS (the server did not offer STARTTLS)")
            }
            try authenticate(user: user, password: configuration.password ?? "")
        }
    }

    private func hello() throws {
        let reply = try command("EHLO \(configuration.heloName)")
        try expect(reply, 250, "EHLO")
        extensions = []
        authMechanisms = []
        for line in reply.lines.dropFirst() {
            let words = line.uppercased().split(separator: " ").map(String.init)
            guard let keyword = words.first else { continue }
            extensions.insert(keyword)
            if keyword == "AUTH" { authMechanisms.formUnion(words.dropFirst()) }
        }
    }

    private func authenticate(user: String, password: String) throws {
        if authMechanisms.contains("PLAIN") {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try expect(try command("AUTH PLAIN \(token)", secret: true), 235, "AUTH PLAIN")
        } else if authMechanisms.contains("LOGIN") {
            try expect(try command("AUTH LOGIN"), 334, "AUTH LOGIN")
            try expect(try command(Data(user.utf8).base64EncodedString(), secret: true), 334, "AUTH LOGIN user")
            try expect(try command(Data(password.utf8).base64EncodedString(), secret: true), 235, "AUTH LOGIN password")
        } else {
            throw MailConnectionError("\(configuration.host) offers no AUTH mechanism Pulse speaks (PLAIN, LOGIN)")
        }
    }

    /// Sends one message to `recipient`. A refusal of this message is its outcome; a failure of
    /// the connection is thrown, and the connection is then of no further use.
    public func send(_ message: MailMessage, to recipient: String) throws -> SMTPOutcome {
        let body = accepts8Bit ? " BODY=8BITMIME" : ""
        let mail = try command("MAIL FROM:<\(configuration.from)>\(body)")
        guard mail.code == 250 else { return try refused(mail, "MAIL FROM") }
        let rcpt = try command("RCPT TO:<\(recipient)>")
        guard rcpt.code == 250 || rcpt.code == 251 else { return try refused(rcpt, "RCPT TO") }
        let data = try command("DATA")
        guard data.code == 354 else { return try refused(data, "DATA") }
        try connection.write(message.rendered(eightBit: accepts8Bit).smtpDotStuffed + ".\r\n")
        let done = try readReply()
        if done.code == 250 { return .accepted(done.description) }
        return done.isTemporary ? .temporary(done.description) : .permanent(done.description)
    }

    /// Resets the transaction after a refusal, so the connection serves the next message.
    private func refused(_ reply: SMTPReply, _ step: String) throws -> SMTPOutcome {
        _ = try command("RSET")
        let text = "\(step): \(reply)"
        return reply.isTemporary ? .temporary(text) : reply.code >= 500 ? .permanent(text) : .temporary(text)
    }

    /// Ends the session politely; errors here change nothing already sent.
    public func quit() {
        _ = try? command("QUIT")
    }

    private func command(_ line: String, secret: Bool = false) throws -> SMTPReply {
        guard !line.contains("\r"), !line.contains("\n") else { throw MailConnectionError("an SMTP command may not hold a line break") }
        try connection.write(line + "\r\n")
        return try readReply()
    }

    private func readReply() throws -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try connection.readLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                throw MailConnectionError("\(configuration.host) answered something that is not SMTP: \(line.prefix(80))")
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") {
                guard lines.count < 1000 else { throw MailConnectionError("\(configuration.host) sent a reply of over 1,000 lines") }
                return SMTPReply(code: code, lines: lines)
            }
            guard lines.count < 1000 else { throw MailConnectionError("\(configuration.host) sent a reply of over 1,000 lines") }
        }
    }

    private func expect(_ reply: SMTPReply, _ code: Int, _ step: String) throws {
        guard reply.code == code else { throw MailConnectionError("\(configuration.host) refused \(step): \(reply)") }
    }
}

extension String {
    /// Lines that begin with "." get another (RFC 5321 §4.5.2), so that none ends the DATA early.
    var smtpDotStuffed: String {
        var out = ""
        out.reserveCapacity(utf8.count + 16)
        var atLineStart = true
        for scalar in unicodeScalars {
            if atLineStart && scalar == "." { out.unicodeScalars.append(".") }
            out.unicodeScalars.append(scalar)
            atLineStart = scalar == "\n"
        }
        return out
    }
}
