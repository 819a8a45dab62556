import Foundation
import Messages

/// A template that cannot be used, named by file and line.
public struct TemplateError: Error, CustomStringConvertible {
    public let description: String
}

/// The subject and body of every rule's notice in each language, from `RULE.LANG.txt` files:
/// an administrator's directory first, the shipped defaults for what it lacks. Every template
/// is checked when loaded, so a mistake stops the service at start, never a send.
public struct NoticeTemplates: Sendable {
    public static let languages = ["vi", "en"]

    /// The template name of each rule, and the fields it may use beyond the common ones.
    static let ruleFields: [NoticeRule: (name: String, fields: Set<String>)] = [
        .reminder: ("reminder", ["days_left", "days_left_text"]),
        .escalation: ("escalation", ["days_late", "days_late_text"]),
        .commissionEscalation: ("commission-escalation", ["days_late", "days_late_text", "missing_count", "missing_count_text", "missing_units"]),
        .spike: ("spike", ["topic", "items", "strength", "baseline"]),
        .surveyClosing: ("survey-closing", ["survey_title", "closes", "days_left", "days_left_text", "responses", "quota"]),
        .returned: ("returned", ["version", "reason"]),
        .digest: ("digest", ["location", "reported", "expected"]),
    ]
    static let commonFields: Set<String> = ["recipient_name", "unit_name", "unit_code", "period", "deadline"]

    /// A template split into literal text and field names.
    struct Compiled: Sendable {
        enum Piece: Sendable {
            case text(String)
            case field(String)
        }
        var subject: [Piece]
        var body: [Piece]
    }

    private var compiled: [String: Compiled] = [:]

    /// The shipped defaults, inside the Notification module's resources.
    public static var defaultDirectory: String? {
        Bundle.module.url(forResource: "Templates", withExtension: nil)?.path
    }

    public init(directory: String? = nil) throws {
        for (rule, spec) in NoticeTemplates.ruleFields.sorted(by: { $0.value.name < $1.value.name }) {
            for language in NoticeTemplates.languages {
                let file = "\(spec.name).\(language).txt"
                let path: String
                if let directory, FileManager.default.fileExists(atPath: directory + "/" + file) {
                    path = directory + "/" + file
                } else if let defaults = NoticeTemplates.defaultDirectory, FileManager.default.fileExists(atPath: defaults + "/" + file) {
                    path = defaults + "/" + file
                } else {
                    throw TemplateError(description: "no template \(file), in \(directory ?? "(no --templates)") or among the defaults")
                }
                let text: String
                do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                    throw TemplateError(description: "\(path): cannot be read as UTF-8 text")
                }
                compiled["\(rule.rawValue).\(language)"] = try NoticeTemplates.compile(text, path: path, allowed: NoticeTemplates.commonFields.union(spec.fields))
            }
        }
    }

    static func compile(_ text: String, path: String, allowed: Set<String>) throws -> Compiled {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, first.hasPrefix("Subject:") else {
            throw TemplateError(description: "\(path):1: the first line must be \"Subject: …\"")
        }
        guard lines.count >= 3, lines[1].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw TemplateError(description: "\(path):2: an empty line must follow the subject, then the body")
        }
        let subject = try pieces(String(first.dropFirst("Subject:".count)).trimmingCharacters(in: .whitespaces), path: path, line: 1, allowed: allowed)
        var body: [Compiled.Piece] = []
        var bodyLines = Array(lines.dropFirst(2))
        while bodyLines.last?.isEmpty == true { bodyLines.removeLast() }
        for (i, line) in bodyLines.enumerated() {
            if i > 0 { body.append(.text("\n")) }
            body += try pieces(line, path: path, line: i + 3, allowed: allowed)
        }
        return Compiled(subject: subject, body: body)
    }

    private static func pieces(_ line: String, path: String, line number: Int, allowed: Set<String>) throws -> [Compiled.Piece] {
        var out: [Compiled.Piece] = []
        var rest = Substring(line)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { out.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError(description: "\(path):\(number): \"{{\" is not closed with \"}}\"")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard allowed.contains(name) else {
                throw TemplateError(description: "\(path):\(number): unknown field {{\(name)}}; this template's fields are \(allowed.sorted().joined(separator: ", "))")
            }
            out.append(.field(name))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { out.append(.text(String(rest))) }
        return out
    }

    /// The subject and body of a rule's notice in `language` (Vietnamese if it has none).
    public func render(_ rule: NoticeRule, language: String, fields: [String: String]) -> (subject: String, body: String) {
        guard let template = compiled["\(rule.rawValue).\(language)"] ?? compiled["\(rule.rawValue).vi"] else {
            return ("Pulse", fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
        }
        func fill(_ pieces: [Compiled.Piece]) -> String {
            var out = ""
            for piece in pieces {
                switch piece {
                case .text(let text): out += text
                case .field(let name): out += fields[name] ?? ""
                }
            }
            return out
        }
        // A subject is one line whatever a field holds.
        return (fill(template.subject).replacingOccurrences(of: "\n", with: " "), fill(template.body))
    }
}
