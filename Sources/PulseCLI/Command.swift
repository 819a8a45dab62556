import Arguments
import Base
import CPulseLinux
import Daemon
import Foundation
import Localization
import Messages
import RPC
import Wire

/// A failure to report to the user: printed as `Lỗi: …` (`Error: …`), exit 1.
public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    /// The process's exit status: 1 unless the command documents another.
    public var exitCode: Int32 = 1
    /// The service's status, when a call was refused.
    public var status: StatusCode?
    public init(_ description: String, exitCode: Int32 = 1, status: StatusCode? = nil) {
        self.description = description
        self.exitCode = exitCode
        self.status = status
    }
}

/// What a running command has: its arguments, how to print, and the gateway.
public struct Invocation: Sendable {
    public var arguments: ParsedArguments
    public var output: Output
    public let socketPath: String
    /// One client, and so one connection and one reader thread, for every call the command makes.
    public let client: RPCClient

    public init(arguments: ParsedArguments, output: Output, socketPath: String) {
        self.arguments = arguments
        self.output = output
        self.socketPath = socketPath
        client = RPCClient(path: socketPath)
    }

    public func positional(_ index: Int, _ name: String) throws(UsageError) -> String {
        guard index < arguments.positionals.count else { throw UsageError(tr("thiếu <\(name)>", en: "missing <\(name)>")) }
        return arguments.positionals[index]
    }

    public func day(_ option: String) throws(UsageError) -> Day? {
        guard let text = arguments.value(option) else { return nil }
        guard let d = Day.typed(text) else {
            throw UsageError(tr("--\(option) nhận một ngày dd/mm/yyyy (hoặc YYYY-MM-DD), không phải \"\(text)\"", en: "--\(option) takes a date YYYY-MM-DD (or dd/mm/yyyy), not \"\(text)\""))
        }
        return d
    }

    /// The month the positional argument shown as `<name>` gives.
    public func period(_ text: String, _ name: String) throws(UsageError) -> Period {
        try Invocation.month(text, named: "<\(name)>")
    }

    /// The month option `--name` gives.
    public func period(_ text: String, option name: String) throws(UsageError) -> Period {
        try Invocation.month(text, named: "--\(name)")
    }

    private static func month(_ text: String, named field: String) throws(UsageError) -> Period {
        guard let p = Period.typed(text) else {
            throw UsageError(tr("\(field) là một tháng mm/yyyy (như 11/2026, hoặc 2026-11), không phải \"\(text)\"", en: "\(field) is a month YYYY-MM (such as 2026-11, or 11/2026), not \"\(text)\""))
        }
        return p
    }

    /// Calls the gateway, turning an unreachable one into advice.
    public func call<Req, Res>(_ method: MethodDescriptor<Req, Res>, _ request: Req, deadline: Duration = .seconds(60)) async throws -> Res {
        let progress = ProgressLine(tr("đang chờ \(method.fullName.split(separator: "/").last ?? "")", en: "waiting for \(method.fullName.split(separator: "/").last ?? "")"))
        defer { progress.finish() }
        do {
            let (response, notice) = try await client.callNoting(method, request, deadline: deadline, metadata: [Language.metadataKey: Language.current.rawValue])
            if let notice {
                // A partial answer: shown, and an error only when asked (--strict).
                if arguments.has("strict") { throw CLIError(notice) }
                warn(tr("Cảnh báo: ", en: "Warning: ") + notice)
            }
            return response
        } catch let error as CLIError {
            throw error
        } catch let error as RPCError {
            if error.code == .unavailable && error.message.hasPrefix("nothing answers at \(socketPath)") {
                throw CLIError(
                    tr("không có gì trả lời tại \(socketPath).\n  Hãy khởi động các dịch vụ của Pulse (xem README), hoặc trỏ --socket hay PULSE_SOCKET tới một gateway đang chạy;\n  `pulse demo --keep` dựng sẵn một hệ thống đầy đủ để thử.",
                       en: "nothing answers at \(socketPath).\n  Start Pulse's services (see README), or point --socket or PULSE_SOCKET at a running gateway;\n  `pulse demo --keep` starts a complete stack to try."))
            }
            throw CLIError(error.message.isEmpty ? CLI.describe(error.code) : error.message, status: error.code)
        }
    }
}

public struct Command: Sendable {
    /// How many positional arguments the command takes, read from its `arguments` text (nil:
    /// any number, for free text such as a search).
    var maximumArguments: Int? {
        if arguments.contains("...") || arguments.contains("…") { return nil }
        return arguments.split(separator: " ").filter { $0.hasPrefix("<") || $0.hasPrefix("[") }.count
    }

    public var name: String
    public var abstract: String
    public var arguments: String
    public var options: [OptionSpec]
    public var subcommands: [Command]
    public var run: (@Sendable (Invocation) async throws -> Void)?

    public init(
        _ name: String, _ abstract: String, arguments: String = "", options: [OptionSpec] = [], subcommands: [Command] = [],
        run: (@Sendable (Invocation) async throws -> Void)? = nil
    ) {
        self.name = name
        self.abstract = abstract
        self.arguments = arguments
        self.options = options
        self.subcommands = subcommands
        self.run = run
    }
}

public enum CLI {
    public static let defaultSocket = "/run/pulse/gateway.sock"

    public static var globalOptions: [OptionSpec] {
        [
            .option("socket", short: "s", value: tr("đường dẫn", en: "path"), help: tr("Socket của gateway (nếu không có: $PULSE_SOCKET, rồi \(defaultSocket)).", en: "The gateway's socket (else $PULSE_SOCKET, else \(defaultSocket)).")),
            .flag("json", help: tr("In JSON, cho script.", en: "Print JSON, for scripts.")),
            .flag("csv", help: tr("In CSV (UTF-8 có BOM), cho Excel và bảng tính.", en: "Print CSV (UTF-8 with a BOM), for Excel and spreadsheets.")),
            .option("lang", value: "vi|en", help: tr("Ngôn ngữ: vi (mặc định) hoặc en; cũng đặt được bằng PULSE_LANG.", en: "Language: vi (the default) or en; PULSE_LANG sets it too.")),
            .flag("strict", help: tr("Coi câu trả lời chưa đủ (một cơ quan không trả lời) là lỗi.", en: "Treat a partial answer (an agency that did not answer) as an error.")),
        ]
    }

    /// The global option `word` is (`--socket`, `--socket=…`, `-s`), if it is one.
    static func globalOption(_ word: String) -> OptionSpec? {
        globalOptions.first { word == "--\($0.name)" || word.hasPrefix("--\($0.name)=") || ($0.short.map { word == "-\($0)" } ?? false) }
    }

    /// A status code in words, for an error that came without a message.
    static func describe(_ code: StatusCode) -> String {
        switch code {
        case .unavailable: return tr("dịch vụ không trả lời", en: "the service does not answer")
        case .deadlineExceeded: return tr("quá thời gian chờ", en: "the deadline passed")
        case .permissionDenied: return tr("không được phép", en: "not allowed")
        case .notFound: return tr("không tìm thấy", en: "not found")
        case .invalidArgument: return tr("yêu cầu không hợp lệ", en: "invalid request")
        default: return "\(code)"
        }
    }

    static func usage(_ path: [Command]) -> String {
        let command = path.last!
        let names = path.map(\.name).joined(separator: " ")
        if !command.subcommands.isEmpty { return "\(names) \(tr("<lệnh> [tùy chọn]", en: "<command> [options]"))" }
        return "\(names)\(command.arguments.isEmpty ? "" : " " + command.arguments) \(tr("[tùy chọn]", en: "[options]"))"
    }

    static func help(_ path: [Command]) -> String {
        let command = path.last!
        var text = "\(path.map(\.name).joined(separator: " ")): \(command.abstract)\n\n\(tr("Cách dùng", en: "Usage")): \(usage(path))\n"
        if !command.subcommands.isEmpty {
            text += "\n\(tr("Lệnh", en: "Commands")):\n"
            let width = command.subcommands.map(\.name.count).max() ?? 0
            for sub in command.subcommands { text += "  \(sub.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(sub.abstract)\n" }
            text += "\n" + tr("Xem '\(path.map(\.name).joined(separator: " ")) <lệnh> --help' để biết tùy chọn của từng lệnh.", en: "See '\(path.map(\.name).joined(separator: " ")) <command> --help' for a command's options.") + "\n"
            if path.count == 1 { text += tr("Các trang hướng dẫn: pulse help <chủ đề> (\(HelpTopics.names)).", en: "Guides: pulse help <topic> (\(HelpTopics.names)).") + "\n" }
        }
        text += "\n\(tr("Tùy chọn", en: "Options")):\n" + ArgumentParser.optionsHelp(command.options + globalOptions)
        return text
    }

    /// Runs `pulse` with its arguments; returns the exit code.
    public static func main(_ argv: [String], root: Command? = nil) async -> Int32 {
        pulse_line_buffer_stdout()
        var argv = argv
        let environment = ProcessInfo.processInfo.environment
        var language = Language.fromEnvironment(environment)
        if let value = environment["PULSE_LANG"], !value.isEmpty, Language(text: value) == nil {
            warn("Lỗi: PULSE_LANG nhận vi hoặc en, không phải \"\(value)\"\nError: PULSE_LANG takes vi or en, not \"\(value)\"")
            return UsageError.exitCode
        }
        // The demo's clock, for commands run beside `pulse demo --keep`.
        if let start = environment["PULSE_CLOCK_START"], !start.isEmpty, !PulseClock.start(iso8601: start) {
            warn("Lỗi: PULSE_CLOCK_START không phải thời điểm ISO 8601 như 2026-11-20T09:00:00+07:00\nError: PULSE_CLOCK_START is not an ISO 8601 instant like 2026-11-20T09:00:00+07:00")
            return UsageError.exitCode
        }
        // `--lang` is read first, wherever it stands, so that every word after it (help included) is in its language.
        if let at = argv.firstIndex(where: { $0 == "--lang" || $0.hasPrefix("--lang=") }) {
            let value = argv[at].hasPrefix("--lang=") ? String(argv[at].dropFirst(7)) : (at + 1 < argv.count ? argv[at + 1] : "")
            guard let chosen = Language(text: value) else {
                warn("Lỗi: --lang nhận vi hoặc en, không phải \"\(value)\"\nError: --lang takes vi or en, not \"\(value)\"")
                return UsageError.exitCode
            }
            language = chosen
            argv.removeSubrange(at..<(argv[at].hasPrefix("--lang=") ? at + 1 : min(argv.count, at + 2)))
        }
        return await Language.$current.withValue(language) { await run(argv, root: root ?? Commands.root) }
    }

    static func run(_ argv: [String], root: Command) async -> Int32 {
        var path = [root]
        var rest = argv[...]
        // `pulse --socket S help …` is `pulse help …`: global options may come first here too.
        var skipped = 0
        while skipped < rest.count, let option = globalOption(rest[rest.startIndex + skipped]) {
            skipped += option.takesValue && !rest[rest.startIndex + skipped].contains("=") ? 2 : 1
        }
        if skipped > 0, skipped < rest.count, rest[rest.startIndex + skipped] == "help" {
            rest = ArraySlice(["help"] + rest[(rest.startIndex + skipped + 1)...] + rest[rest.startIndex..<(rest.startIndex + skipped)])
        }
        if rest.first == "help" {
            rest = rest.dropFirst()
            if let word = rest.first, path.last!.subcommands.first(where: { $0.name == word }) == nil {
                guard let page = HelpTopics.page(word) else {
                    warn(tr("Lỗi: không có lệnh hay chủ đề \"\(word)\"; các chủ đề: \(HelpTopics.names)", en: "Error: no command or topic \"\(word)\"; the topics: \(HelpTopics.names)"))
                    return UsageError.exitCode
                }
                print(page)
                return 0
            }
            while let word = rest.first, let sub = path.last!.subcommands.first(where: { $0.name == word }) {
                path.append(sub)
                rest = rest.dropFirst()
            }
            print(help(path))
            return 0
        }
        // Global options may come before the command words: `pulse --socket S status`.
        var leading: [String] = []
        while let word = rest.first {
            if let sub = path.last!.subcommands.first(where: { $0.name == word }) {
                path.append(sub)
                rest = rest.dropFirst()
            } else if let option = globalOption(word) {
                leading.append(word)
                rest = rest.dropFirst()
                if option.takesValue && !word.contains("="), let value = rest.first {
                    leading.append(value)
                    rest = rest.dropFirst()
                }
            } else {
                break
            }
        }
        rest = ArraySlice(leading + rest)
        let command = path.last!
        if rest.first == "--version" {
            print("pulse \(Daemon.version)")
            return 0
        }
        do {
            let parsed = try ArgumentParser.parse(Array(rest), options: command.options + globalOptions)
            if parsed.has("help") {
                print(help(path))
                return 0
            }
            guard let run = command.run else {
                if let word = parsed.positionals.first {
                    throw UsageError(tr("không có lệnh \"\(word)\"; các lệnh: \(command.subcommands.map(\.name).joined(separator: ", "))", en: "unknown command \"\(word)\"; the commands: \(command.subcommands.map(\.name).joined(separator: ", "))"))
                }
                // A command word is missing: a usage error like any other (issue 14), the help on standard error.
                warn(help(path))
                return UsageError.exitCode
            }
            if parsed.has("json") && parsed.has("csv") { throw UsageError(tr("chọn một trong --json và --csv", en: "choose one of --json and --csv")) }
            if let limit = command.maximumArguments, parsed.positionals.count > limit {
                throw UsageError(
                    tr("thừa đối số \"\(parsed.positionals[limit])\"", en: "unexpected argument \"\(parsed.positionals[limit])\"")
                        + (command.arguments.isEmpty ? tr("; lệnh này chỉ nhận tùy chọn", en: "; this command takes options only") : ""))
            }
            let format: OutputFormat = parsed.has("json") ? .json : parsed.has("csv") ? .csv : .table
            let environment = ProcessInfo.processInfo.environment["PULSE_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
            let socket = parsed.value("socket") ?? environment ?? defaultSocket
            try await run(Invocation(arguments: parsed, output: Output(format: format), socketPath: socket))
            return 0
        } catch let error as UsageError {
            warn(
                tr("Lỗi: \(error.message)\nCách dùng: \(usage(path))\n  Xem '\(path.map(\.name).joined(separator: " ")) --help' để biết thêm.",
                   en: "Error: \(error.message)\nUsage: \(usage(path))\n  See '\(path.map(\.name).joined(separator: " ")) --help' for more information."))
            return UsageError.exitCode
        } catch let error as CLIError {
            warn(tr("Lỗi: ", en: "Error: ") + error.description)
            return error.exitCode
        } catch {
            warn(tr("Lỗi: ", en: "Error: ") + "\(error)")
            return 1
        }
    }
}

