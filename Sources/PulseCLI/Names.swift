import Localization
import Messages

/// Topics and units by the names people read, fetched once per command: a topic by its label in
/// the reader's language, a unit by its name with its code beside it.
enum Names {
    /// Topic code → label ("Đất đai", or "Land" in English).
    static func topics(_ inv: Invocation) async throws -> [String: String] {
        let topics = try await inv.call(RosterAPI.listTopics, ListTopicsRequest(includeRetired: true)).topics
        return Dictionary(topics.map { ($0.code, Language.current == .en ? $0.labelEn : $0.labelVi) }, uniquingKeysWith: { a, _ in a })
    }

    /// Unit code → full name ("Xã Cẩm Xuyên").
    static func units(_ inv: Invocation) async throws -> [String: String] {
        let units = try await inv.call(RosterAPI.listUnits, ListUnitsRequest()).units
        return Dictionary(units.map { ($0.code, $0.fullName) }, uniquingKeysWith: { a, _ in a })
    }

    /// "Xã Cẩm Xuyên (42004)" for a table; the bare code in CSV, where a script joins on it.
    static func unit(_ code: String, _ names: [String: String], _ output: Output) -> String {
        guard output.format != .csv, let name = names[code] else { return code }
        return "\(name) (\(code))"
    }

    /// A topic's label for a table; its code in CSV.
    static func topic(_ code: String, _ labels: [String: String], _ output: Output) -> String {
        output.format == .csv ? code : labels[code] ?? code
    }
}
