/// The language Pulse speaks to a person in: Vietnamese unless they ask for English.
///
/// The current language is task-local: the CLI sets it once from `--lang` or `PULSE_LANG`, and a
/// service sets it per call from the caller's request metadata (`Language.metadataKey`), so two
/// callers in two languages never see each other's words.
public enum Language: String, Sendable, CaseIterable {
    case vi, en

    @TaskLocal public static var current: Language = .vi

    /// The request metadata key that carries the caller's language through the gateway.
    public static let metadataKey = "pulse-lang"

    /// Reads "vi", "en", a locale such as "en_US.UTF-8" or "vi-VN", or the language's own name.
    public init?(text: String) {
        let lowered = text.lowercased()
        let code = lowered.prefix { $0.isLetter && $0.isASCII }
        switch code {
        case "vi", "vie", "vietnamese": self = .vi
        case "en", "eng", "english": self = .en
        default:
            if lowered == "tiếng việt" || lowered == "tieng viet" { self = .vi } else { return nil }
        }
    }

    /// The language chosen by `PULSE_LANG`, Vietnamese when it is unset or names no language.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        environment["PULSE_LANG"].flatMap { Language(text: $0) } ?? .vi
    }
}

/// The text in the current language: the Vietnamese first, as its users read it.
@inline(__always)
public func tr(_ vietnamese: String, en english: String) -> String {
    Language.current == .en ? english : vietnamese
}
