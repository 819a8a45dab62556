import Arguments
import Base
import CPulseLinux
import Daemon
import Foundation
import Messages
import RPC
import Wire

/// A failure to report to the user: printed as `Error: …`, exit 1.
public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    /// The process's exit status: 1 unless the command documents another.
    public var exitCode: Int32 = 1
    public init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
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
        guard index < arguments.positionals.count else { throw UsageError("missing <\(name)>") }
        return arguments.positionals[index]
    }

    public func day(_ option: String) throws(UsageError) -> Day? {
        guard let text = arguments.value(option) else { return nil }
        guard let d = Day(text) else { throw UsageError("--\(option) takes a date YYYY-MM-DD, not \"\(text)\"") }
        return d
    }

    public func period(_ text: String, _ name: String) throws(UsageError) -> Period {
        guard let p = Period(text) else { throw UsageError("<\(name)> is a month YYYY-MM, not \"\(text)\"") }
        return p
    }

    /// Calls the gateway, turning an unreachable one into advice.
    public func call<Req, Res>(_ method: MethodDescriptor<Req, Res>, _ request: Req, deadline: Duration = .seconds(60)) async throws -> Res {
        do {
            return try await client.call(method, request, deadline: deadline)
        } catch {
            if error.code == .unavailable && error.message.hasPrefix("nothing answers at \(socketPath)") {
                throw CLIError(
                    "nothing answers at \(socketPath).\n  Start Pulse's services (see README), or point --socket or PULSE_SOCKET at a running gateway;\n  `pulse demo --keep` starts a complete stack to try.")
            }
            throw CLIError(error.message.isEmpty ? "\(error.code)" : "\(error.message) (\(error.code))")
        }
    }
}

public struct Command: Sendable {
    /// How many positional arguments the command takes, read from its `arguments` text (nil:
    /// any number, for free text such as a search).
    var maximumArguments: Int? {
        if arguments.contains("...") || arguments.contains("<text>") || arguments.contains("<words>") { return nil }
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

    public static let globalOptions: [OptionSpec] = [
        .option("socket", short: "s", value: "path", help: "The gateway's socket (else $PULSE_SOCKET, else \(defaultSocket))."),
        .flag("json", help: "Print JSON, for scripts."),
        .flag("csv", help: "Print CSV, for spreadsheets."),
    ]

    static func usage(_ path: [Command]) -> String {
        let command = path.last!
        let names = path.map(\.name).joined(separator: " ")
        if !command.subcommands.isEmpty { return "\(names) <command> [options]" }
        return "\(names)\(command.arguments.isEmpty ? "" : " " + command.arguments) [options]"
    }

    static func help(_ path: [Command]) -> String {
        let command = path.last!
        var text = "\(path.map(\.name).joined(separator: " ")): \(command.abstract)\n\nUsage: \(usage(path))\n"
        if !command.subcommands.isEmpty {
            text += "\nCommands:\n"
            let width = command.subcommands.map(\.name.count).max() ?? 0
            for sub in command.subcommands { text += "  \(sub.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\(sub.abstract)\n" }
            text += "\nSee '\(path.map(\.name).joined(separator: " ")) <command> --help' for a command's options.\n"
        }
        text += "\nOptions:\n" + ArgumentParser.optionsHelp(command.options + globalOptions)
        return text
    }

    /// Runs `pulse` with its arguments; returns the exit code.
    public static func main(_ argv: [String], root: Command = Commands.root) async -> Int32 {
        pulse_line_buffer_stdout()
        var path = [root]
        var rest = argv[...]
        if rest.first == "help" {
            rest = rest.dropFirst()
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
            } else if let option = globalOptions.first(where: { word == "--\($0.name)" || word.hasPrefix("--\($0.name)=") || ($0.short.map { word == "-\($0)" } ?? false) }) {
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
                if let word = parsed.positionals.first { throw UsageError("unknown command \"\(word)\"") }
                // A command word is missing: a usage error like any other (issue 14), the help on standard error.
                warn(help(path))
                return UsageError.exitCode
            }
            if parsed.has("json") && parsed.has("csv") { throw UsageError("choose one of --json and --csv") }
            if let limit = command.maximumArguments, parsed.positionals.count > limit {
                throw UsageError("unexpected argument \"\(parsed.positionals[limit])\"" + (command.arguments.isEmpty ? "; this command takes options only" : ""))
            }
            let format: OutputFormat = parsed.has("json") ? .json : parsed.has("csv") ? .csv : .table
            let environment = ProcessInfo.processInfo.environment["PULSE_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
            let socket = parsed.value("socket") ?? environment ?? defaultSocket
            try await run(Invocation(arguments: parsed, output: Output(format: format), socketPath: socket))
            return 0
        } catch let error as UsageError {
            warn("Error: \(error.message)\nUsage: \(usage(path))\n  See '\(path.map(\.name).joined(separator: " ")) --help' for more information.")
            return UsageError.exitCode
        } catch let error as CLIError {
            warn("Error: \(error)")
            return error.exitCode
        } catch {
            warn("Error: \(error)")
            return 1
        }
    }
}

