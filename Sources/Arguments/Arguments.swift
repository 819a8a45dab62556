import Foundation
import Localization

/// A small command-line parser following swift-argument-parser's conventions: kebab-case
/// long options with optional one-letter short forms, `--name value` or `--name=value`,
/// flags, positionals, `--` to end options, and usage errors that exit 64.
public struct OptionSpec: Sendable, Hashable {
    public var name: String
    public var short: Character?
    public var valueName: String?
    public var help: String
    public var repeatable: Bool

    /// An option that takes a value (`--socket PATH`).
    public static func option(_ name: String, short: Character? = nil, value: String, help: String, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: value, help: help, repeatable: repeatable)
    }

    /// A flag (`--json`).
    public static func flag(_ name: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: nil, help: help, repeatable: false)
    }

    public var takesValue: Bool { valueName != nil }
}

/// A command line that does not fit the command's options: printed as `Error: …` then usage.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    /// The exit code for invalid usage (EX_USAGE).
    public static let exitCode: Int32 = 64
}

public struct ParsedArguments: Sendable {
    public var positionals: [String] = []
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []

    public init() {}

    public func value(_ name: String) -> String? { values[name]?.last }
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    public func has(_ name: String) -> Bool { flags.contains(name) }

    /// A required option's value, or a usage error naming it.
    public func required(_ name: String) throws(UsageError) -> String {
        guard let value = value(name), !value.isEmpty else { throw UsageError(tr("thiếu tùy chọn bắt buộc --\(name)", en: "missing required option --\(name)")) }
        return value
    }

    public func integer(_ name: String) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let n = LocalFormat.parseInteger(text) else {
            throw UsageError(tr("--\(name) nhận một số nguyên, không phải \"\(text)\"", en: "--\(name) takes a whole number, not \"\(text)\""))
        }
        return n
    }
}

public enum ArgumentParser {
    public static var help: OptionSpec { OptionSpec.flag("help", short: "h", help: tr("Xem hướng dẫn của lệnh này.", en: "Show help for this command.")) }

    public static func parse(_ arguments: [String], options: [OptionSpec]) throws(UsageError) -> ParsedArguments {
        let specs = options + [help]
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            // "-2" is a negative number, not an option: the command says what it thinks of it.
            let negativeNumber = argument.count > 1 && argument.hasPrefix("-") && Double(argument) != nil
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") || negativeNumber {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name: String
            var inlineValue: String?
            let spec: OptionSpec?
            if argument.hasPrefix("--") {
                name = String(argument.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                spec = specs.first { $0.name == name }
            } else {
                guard argument.count == 2, let c = argument.last else {
                    throw UsageError(tr("không có tùy chọn \(argument); tùy chọn ngắn đứng riêng, như -h", en: "unknown option \(argument); short options stand alone, like -h"))
                }
                spec = specs.first { $0.short == c }
                name = spec?.name ?? String(c)
            }
            guard let spec else {
                let suggestion = specs.map(\.name).first { $0.hasPrefix(name) || name.hasPrefix($0) }
                throw UsageError(tr("không có tùy chọn \(argument)", en: "unknown option \(argument)") + (suggestion.map { tr("; có phải ý bạn là --\($0)?", en: "; did you mean --\($0)?") } ?? ""))
            }
            if spec.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError(tr("tùy chọn --\(spec.name) cần một giá trị (\(spec.valueName ?? ""))", en: "option --\(spec.name) needs a value (\(spec.valueName ?? ""))")) }
                    value = arguments[index]
                    index += 1
                }
                if !spec.repeatable, parsed.values[spec.name] != nil {
                    throw UsageError(tr("tùy chọn --\(spec.name) được cho hai lần", en: "option --\(spec.name) given twice"))
                }
                parsed.values[spec.name, default: []].append(value)
            } else {
                guard inlineValue == nil else { throw UsageError(tr("cờ --\(spec.name) không nhận giá trị", en: "flag --\(spec.name) takes no value")) }
                parsed.flags.insert(spec.name)
            }
        }
        return parsed
    }

    /// The options part of a help text, aligned.
    public static func optionsHelp(_ options: [OptionSpec]) -> String {
        let rows = (options + [help]).map { spec -> (String, String) in
            var left = spec.short.map { "-\($0), " } ?? "    "
            left += "--\(spec.name)"
            if let v = spec.valueName { left += " <\(v)>" }
            return (left, spec.help)
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { "  " + $0.0 + String(repeating: " ", count: width + 2 - $0.0.count) + $0.1 }.joined(separator: "\n")
    }
}
