import Foundation

/// A plain-text message in UTF-8 (RFC 5322 with MIME): Vietnamese names and subjects as
/// RFC 2047 encoded words, the body as 8-bit text or quoted-printable.
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var fromName: String?
    public var to: String
    public var toName: String?
    public var subject: String
    public var body: String
    public var date: Date
    /// Without the angle brackets, e.g. "notice-42.3f9a@pulse".
    public var messageID: String

    public init(from: String, fromName: String? = nil, to: String, toName: String? = nil, subject: String, body: String, date: Date, messageID: String) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.toName = toName
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
    }

    /// The whole message with CRLF line ends, ending in CRLF.
    public func rendered(eightBit: Bool) -> String {
        var out = ""
        out += "From: " + MailMessage.mailbox(from, fromName) + "\r\n"
        out += "To: " + MailMessage.mailbox(to, toName) + "\r\n"
        out += "Subject: " + MailMessage.encodedWords(subject, prefixLength: 9) + "\r\n"
        out += "Date: " + MailMessage.rfc5322Date(date) + "\r\n"
        out += "Message-ID: <\(messageID)>\r\n"
        out += "MIME-Version: 1.0\r\n"
        out += "Content-Type: text/plain; charset=utf-8\r\n"
        out += "Content-Transfer-Encoding: " + (eightBit ? "8bit" : "quoted-printable") + "\r\n"
        // RFC 3834: no vacation replies to machine notices.
        out += "Auto-Submitted: auto-generated\r\n"
        out += "\r\n"
        let lines = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines {
            out += eightBit ? String(line) : MailMessage.quotedPrintable(String(line))
            out += "\r\n"
        }
        return out
    }

    /// `"Name" <address>`, the name as encoded words when it is not plain ASCII.
    /// Without an address (a Maildir copy for someone roster has none for), an empty group:
    /// `"Name": ;` (RFC 5322 §3.4), never an invalid `<>`.
    static func mailbox(_ address: String, _ name: String?) -> String {
        let name = name?.filter { $0 != "\r" && $0 != "\n" } ?? ""
        guard !name.isEmpty else { return address.isEmpty ? "undisclosed-recipients:;" : "<\(address)>" }
        let plain = name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" }
        let shown = plain ? "\"\(name)\"" : encodedWords(name, prefixLength: 6)
        if address.isEmpty { return shown + ":;" }
        // The address goes on a folded line of its own when it would push this one past 78.
        let lastLine = shown.components(separatedBy: "\r\n").last ?? shown
        let room = (shown.contains("\r\n") ? 0 : 6) + lastLine.utf8.count + address.utf8.count + 3
        return shown + (room > 78 ? "\r\n <\(address)>" : " <\(address)>")
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, split between characters (never
    /// inside one's UTF-8 bytes), folded onto continuation lines; plain ASCII as it is.
    static func encodedWords(_ text: String, prefixLength: Int) -> String {
        let clean = text.filter { $0 != "\r" && $0 != "\n" }
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) && clean.utf8.count + prefixLength <= 78 && !clean.contains("=?") {
            return clean
        }
        // A word is at most 75 characters ("=?UTF-8?B?" + 60 of base64 + "?=": 45 bytes of text),
        // and the first shares its line with the header's name.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in clean {
            let bytes = Array(String(character).utf8)
            let limit = words.isEmpty ? min(45, (78 - prefixLength - 12) / 4 * 3) : 45
            if chunk.count + bytes.count > limit && !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// One line as quoted-printable (RFC 2045 §6.7), with soft breaks to keep lines ≤ 76.
    static func quotedPrintable(_ line: String) -> String {
        let bytes = Array(line.utf8)
        var out = ""
        var length = 0
        for (i, byte) in bytes.enumerated() {
            let isLast = i == bytes.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
            let piece = literal ? String(UnicodeScalar(byte)) : "=" + String(format: "%02X", byte)
            if length + piece.count > 75 {
                out += "=\r\n"
                length = 0
            }
            out += piece
            length += piece.count
        }
        return out
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
