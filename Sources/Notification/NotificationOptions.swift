import Arguments
import Foundation
import Messages
import Mail

/// The notification daemon's command line: rules, quiet hours, templates and one channel.
public enum NotificationOptions {
    public static let specs: [OptionSpec] = [
        .option("intake", value: "path", help: "report-intake's socket (required): reports received and survey responses."),
        .option("roster", value: "path", help: "roster's socket (required): units, their officials, addresses and topics."),
        .option("analytics", value: "path", help: "analytics' socket: spikes become alerts to their subscribers."),
        .option("due-day", value: "day", help: "Reports are due before this day of the month, as intake's --due-day (default 25)."),
        .option("remind-days", value: "list", help: "Remind this many days before the deadline (default 5,1)."),
        .option("escalate-days", value: "list", help: "Escalate this many days after it: first to officials, later to the commission (default 1,3)."),
        .option("quiet-hours", value: "HH:MM-HH:MM", help: "No notice goes out in these hours, Asia/Ho_Chi_Minh (default 21:00-07:00; off for none)."),
        .option("templates", value: "dir", help: "Notice templates (RULE.LANG.txt) that replace the shipped ones."),
        .option("smtp", value: "host:port", help: "Send through this SMTP relay."),
        .option("from", value: "address", help: "The sender address (required with --smtp or --sendmail; default pulse@localhost)."),
        .option("smtp-tls", value: "mode", help: "opportunistic (STARTTLS when offered, the default), required, or off."),
        .option("smtp-ca", value: "file", help: "Trust these PEM certificates instead of the system's store."),
        .option("smtp-user", value: "name", help: "AUTH with this user (only over TLS)."),
        .option("smtp-password-file", value: "file", help: "The AUTH password, read from this file (never on the command line)."),
        .option("sendmail", value: "path", help: "Hand notices to the local MTA: PATH -t -i."),
        .option("hook", value: "path", help: "Run PATH for each notice with the notice as JSON on its standard input."),
        .option("maildir", value: "dir", help: "The Maildir the default channel writes to (default DATA/maildir)."),
        .option("max-attempts", value: "n", help: "Temporary failures before a notice is dead-lettered (default 8)."),
        .option("retry-base", value: "seconds", help: "The wait after a first temporary failure, doubling after (default 60)."),
        .option("rule-interval", value: "seconds", help: "How often the calendar rules run (default 60)."),
        .option("minimum-cell", value: "n", help: "Spikes with fewer items reach commission staff only (default 3, as analytics)."),
        .option("clock-start", value: "instant", help: "For demos and drills only: the clock starts at this ISO 8601 instant and runs on from there."),
    ]

    static func days(_ arguments: ParsedArguments, _ name: String, default value: [Int]) throws(UsageError) -> [Int] {
        guard let text = arguments.value(name) else { return value }
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && (1...27).contains($0!) }) else {
            throw UsageError("--\(name) takes whole days from 1 to 27 separated by commas, like 5,1; not \"\(text)\"")
        }
        return Array(Set(parts.compactMap { $0 })).sorted(by: >)
    }

    public static func rules(_ arguments: ParsedArguments) throws(UsageError) -> RuleConfiguration {
        let dueDay = try arguments.integer("due-day") ?? 25
        guard (1...28).contains(dueDay) else { throw UsageError("--due-day must be 1 to 28, not \(dueDay)") }
        let cell = try arguments.integer("minimum-cell") ?? 3
        guard (1...1000).contains(cell) else { throw UsageError("--minimum-cell must be 1 to 1000") }
        return RuleConfiguration(
            dueDay: dueDay, remindDays: try days(arguments, "remind-days", default: [5, 1]),
            escalateDays: try days(arguments, "escalate-days", default: [1, 3]).reversed(), minimumCell: cell)
    }

    public static func policy(_ arguments: ParsedArguments) throws(UsageError) -> DeliveryPolicy {
        var policy = DeliveryPolicy()
        if let text = arguments.value("quiet-hours") {
            guard let quiet = QuietHours(text), quiet != .none || text == "off" || text == "none" else {
                throw UsageError("--quiet-hours takes HH:MM-HH:MM with two different times, such as 21:00-07:00, or off; not \"\(text)\"")
            }
            policy.quietHours = quiet
        }
        if let n = try arguments.integer("max-attempts") {
            guard (1...100).contains(n) else { throw UsageError("--max-attempts must be 1 to 100") }
            policy.maxAttempts = n
        }
        if let text = arguments.value("retry-base") {
            guard let s = Double(text), s.isFinite, s >= 0.01, s <= 86_400 else { throw UsageError("--retry-base takes seconds from 0.01 to 86400, not \"\(text)\"") }
            policy.retryBase = s
        }
        return policy
    }

    public static func ruleInterval(_ arguments: ParsedArguments) throws(UsageError) -> TimeInterval {
        guard let text = arguments.value("rule-interval") else { return 60 }
        guard let s = Double(text), s.isFinite, s >= 0.1, s <= 86_400 else { throw UsageError("--rule-interval takes seconds from 0.1 to 86400, not \"\(text)\"") }
        return s
    }

    /// The clock: the real one, or one started at --clock-start.
    public static func clock(_ arguments: ParsedArguments) throws(UsageError) -> @Sendable () -> Date {
        guard let text = arguments.value("clock-start") else { return { Date() } }
        guard let start = ISO8601DateFormatter().date(from: text) else {
            throw UsageError("--clock-start takes an ISO 8601 instant like 2026-11-20T09:00:00+07:00")
        }
        PulseClock.start(at: start)
        return { PulseClock.now }
    }

    /// The one channel the options name; the Maildir under `dataDirectory` when they name none.
    public static func channel(_ arguments: ParsedArguments, dataDirectory: String) throws -> any DeliveryChannel {
        let named = ["smtp", "sendmail", "hook"].filter { arguments.value($0) != nil }
        guard named.count <= 1 else { throw UsageError("choose one channel: --\(named.joined(separator: ", --")) were all given") }
        let from = arguments.value("from") ?? "pulse@localhost"
        if let given = arguments.value("from") {
            let parts = given.split(separator: "@", omittingEmptySubsequences: false)
            let plain = given.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains($0) }
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), given.utf8.count <= 254, plain else {
                throw UsageError("--from takes a plain address such as pulse@btgdv.hatinh.gov.vn, not \"\(given.prefix(80))\"")
            }
        }
        if let relay = arguments.value("smtp") {
            guard arguments.value("from") != nil else { throw UsageError("--smtp needs --from, the address notices are sent from") }
            guard let colon = relay.lastIndex(of: ":"), let port = Int(relay[relay.index(after: colon)...]), (1...65535).contains(port), colon > relay.startIndex else {
                throw UsageError("--smtp takes HOST:PORT such as mail.example.vn:587, not \"\(relay)\"")
            }
            let modeText = arguments.value("smtp-tls") ?? "opportunistic"
            guard let mode = SMTPConfiguration.TLSMode(rawValue: modeText) else {
                throw UsageError("--smtp-tls takes \(SMTPConfiguration.TLSMode.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(modeText)\"")
            }
            var password: String?
            if let file = arguments.value("smtp-password-file") {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw UsageError("--smtp-password-file: cannot read \(file)") }
                password = text.trimmingCharacters(in: .newlines)
            }
            if arguments.value("smtp-user") != nil && password == nil {
                throw UsageError("--smtp-user needs --smtp-password-file (a password is never taken on the command line)")
            }
            var host = String(relay[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            return SMTPChannel(configuration: SMTPConfiguration(
                host: host, port: port, from: from, tls: mode, caFile: arguments.value("smtp-ca"), user: arguments.value("smtp-user"), password: password))
        }
        if let path = arguments.value("sendmail") {
            guard FileManager.default.isExecutableFile(atPath: path) else { throw UsageError("--sendmail: \(path) is not an executable") }
            guard arguments.value("from") != nil else { throw UsageError("--sendmail needs --from, the address notices are sent from") }
            return SendmailChannel(executable: path, from: from)
        }
        if let path = arguments.value("hook") {
            guard FileManager.default.isExecutableFile(atPath: path) else { throw UsageError("--hook: \(path) is not an executable") }
            return HookChannel(executable: path)
        }
        return try MaildirChannel(directory: arguments.value("maildir") ?? dataDirectory + "/maildir", from: from)
    }

    /// The templates, from --templates (which must be a directory) over the shipped ones.
    public static func templates(_ arguments: ParsedArguments) throws -> NoticeTemplates {
        if let directory = arguments.value("templates") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw UsageError("--templates: \(directory) is not a directory; give the folder of RULE.LANG.txt files (a copy of the shipped ones)")
            }
        }
        return try NoticeTemplates(directory: arguments.value("templates"))
    }
}
