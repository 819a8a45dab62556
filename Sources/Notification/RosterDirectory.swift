import Foundation
import Messages
import RPC
import Wire

/// Someone a notice goes to: a member of the network, from roster.
public struct Recipient: Sendable, Hashable {
    public var person: Int
    public var name: String
    public var email: String?
    public var phone: String?
    /// `vi` or `en`.
    public var language: String
    /// Commission staff read every cell; everyone else reads aggregates under the small-cell rule.
    public var isCommissionStaff: Bool

    public init(person: Int, name: String, email: String?, phone: String?, language: String, isCommissionStaff: Bool) {
        self.person = person
        self.name = name
        self.email = email
        self.phone = phone
        self.language = language
        self.isCommissionStaff = isCommissionStaff
    }
}

/// What the rules need of roster on one day: the units, who is in charge of each, the
/// commission's staff and the topics' labels.
public struct RosterDirectory: Sendable {
    public var units: [String: OrgUnit]
    /// The current official of each unit that has one.
    public var officials: [String: Recipient]
    public var people: [Int: Recipient]
    public var commissionStaff: [Recipient]
    /// Topic code → (Vietnamese label, English label).
    public var topics: [String: (vi: String, en: String)]

    public init(units: [OrgUnit], assignments: [Assignment], people: [Person], topics: [Topic], on day: Day) {
        self.units = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let commissionUnits = Set(units.filter { $0.kind == .commission }.map(\.code))
        var recipients: [Int: Recipient] = [:]
        for p in people where p.isActive(on: day) {
            guard let id = p.id else { continue }
            recipients[id] = Recipient(
                person: id, name: p.fullName, email: p.email, phone: p.phone, language: p.language ?? "vi",
                isCommissionStaff: p.role == .staff && commissionUnits.contains(p.unit))
        }
        self.people = recipients
        commissionStaff = recipients.values.filter(\.isCommissionStaff).sorted { $0.person < $1.person }
        var officials: [String: Recipient] = [:]
        for a in assignments where a.from <= day && (a.to.map { day < $0 } ?? true) {
            if let r = recipients[a.person] { officials[a.unit] = r }
        }
        self.officials = officials
        self.topics = Dictionary(topics.map { ($0.code, ($0.labelVi, $0.labelEn)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Asks roster (as this service, an administrator on roster's socket).
    public static func load(from roster: RPCClient, on day: Day) async throws -> RosterDirectory {
        async let units = roster.call(RosterAPI.listUnits, ListUnitsRequest(asOf: day), deadline: .seconds(10))
        async let assignments = roster.call(RosterAPI.listAssignments, Empty(), deadline: .seconds(10))
        async let people = roster.call(RosterAPI.listPeople, ListPeopleRequest(activeOn: day), deadline: .seconds(10))
        async let topics = roster.call(RosterAPI.listTopics, ListTopicsRequest(), deadline: .seconds(10))
        return try await RosterDirectory(units: units.units, assignments: assignments.assignments, people: people.people, topics: topics.topics, on: day)
    }

    /// "Xã Kỳ Anh (18775)": the name people read, with the code beside it.
    public func unitLabel(_ code: String) -> String {
        guard let unit = units[code] else { return "đơn vị \(code)" }
        return "\(unit.fullName) (\(code))"
    }

    public func topicLabel(_ code: String, language: String) -> String {
        guard let labels = topics[code] else { return code }
        return language == "en" ? labels.en : labels.vi
    }

    /// Whether `unit` is `ancestor` or lies under it.
    public func isUnder(_ unit: String, _ ancestor: String) -> Bool {
        var current: String? = unit
        var steps = 0
        while let code = current, steps < 64 {
            if code == ancestor { return true }
            current = units[code]?.parent
            steps += 1
        }
        return false
    }
}
