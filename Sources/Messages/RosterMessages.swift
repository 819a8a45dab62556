import Wire

public enum UnitKind: String, WireEnum {
    case province, commission, subordinateCommittee, commune, ward, front, massOrganisation, agency
    /// Before 1 July 2025 only: a district-level unit (huyện, thị xã, thành phố thuộc tỉnh) and a township (thị trấn).
    case district, township

    /// The kinds of unit that owe the commission a monthly report.
    public static let reporting: Set<UnitKind> = [.subordinateCommittee, .commune, .ward, .front, .township]

    /// The Vietnamese name users see.
    public var vietnamese: String {
        switch self {
        case .province: return "tỉnh"
        case .commission: return "ban"
        case .subordinateCommittee: return "đảng ủy trực thuộc"
        case .commune: return "xã"
        case .ward: return "phường"
        case .front: return "mặt trận"
        case .massOrganisation: return "đoàn thể"
        case .agency: return "cơ quan"
        case .district: return "huyện"
        case .township: return "thị trấn"
        }
    }

    /// Accepts the English code or the Vietnamese name ("xã", "phường", "xa").
    public init?(text: String) {
        if let k = UnitKind(rawValue: text) ?? UnitKind.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) {
            self = k
            return
        }
        let folded = text.lowercased()
        guard let k = UnitKind.allCases.first(where: { $0.vietnamese == folded }) else {
            switch folded {
            case "xa": self = .commune
            case "thi tran": self = .township
            case "huyen", "thị xã", "thi xa": self = .district
            case "phuong": self = .ward
            case "tinh": self = .province
            default: return nil
            }
            return
        }
        self = k
    }
}

/// An organisational unit (đơn vị), valid from one day until (not including) another.
public struct OrgUnit: Codable, Sendable, Hashable {
    public var code: String
    public var kind: UnitKind
    public var nameVi: String
    public var nameEn: String?
    public var parent: String?
    public var validFrom: Day
    /// The first day it no longer exists; nil while it does.
    public var validTo: Day?
    /// Units this one replaced (the 2025 merger joined several into one): all of each, or the
    /// main part of one that was split; their history is this unit's.
    public var predecessors: [String]
    /// Units of which this one took only a part (the rest, and their history, went elsewhere).
    public var partOf: [String]?
    /// The units that replaced this one (filled when one unit is asked for).
    public var successors: [String]?
    public var population: Int?
    /// The agency whose instances own this unit's records.
    public var agency: String

    public init(
        code: String, kind: UnitKind, nameVi: String, nameEn: String? = nil, parent: String? = nil, validFrom: Day,
        validTo: Day? = nil, predecessors: [String] = [], population: Int? = nil, agency: String = "commission"
    ) {
        self.code = code
        self.kind = kind
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.parent = parent
        self.validFrom = validFrom
        self.validTo = validTo
        self.predecessors = predecessors
        self.population = population
        self.agency = agency
    }

    public func isValid(on day: Day) -> Bool { validFrom <= day && (validTo.map { day < $0 } ?? true) }

    /// The words a name may begin with that say its kind, which `fullName` adds.
    public static let namePrefixes: [UnitKind: [String]] = [.commune: ["Xã"], .ward: ["Phường"], .province: ["Tỉnh"], .township: ["Thị trấn"]]

    /// "Xã Kỳ Anh", "Phường Thành Sen": the official name with its type.
    public var fullName: String {
        // A name stored with its kind already ("Xã Thử Nghiệm", before roster stripped it) keeps one.
        if let words = OrgUnit.namePrefixes[kind], words.contains(where: { nameVi.lowercased().hasPrefix($0.lowercased() + " ") }) { return nameVi }
        switch kind {
        case .commune: return "Xã \(nameVi)"
        case .ward: return "Phường \(nameVi)"
        case .province: return "Tỉnh \(nameVi)"
        case .township: return "Thị trấn \(nameVi)"
        default: return nameVi
        }
    }
}

public struct GetUnitRequest: Codable, Sendable {
    public var code: String
    /// Answer as the unit stood on this day; without it, the unit whatever its validity.
    public var asOf: Day?
    public init(code: String, asOf: Day? = nil) {
        self.code = code
        self.asOf = asOf
    }
}

public struct ListUnitsRequest: Codable, Sendable {
    public var parent: String?
    /// Every unit below `parent`, not only its children.
    public var subtree: Bool?
    public var kinds: [UnitKind]?
    public var asOf: Day?
    public init(parent: String? = nil, subtree: Bool? = nil, kinds: [UnitKind]? = nil, asOf: Day? = nil) {
        self.parent = parent
        self.subtree = subtree
        self.kinds = kinds
        self.asOf = asOf
    }
}

public struct UnitList: Codable, Sendable {
    public var units: [OrgUnit]
    public init(units: [OrgUnit]) { self.units = units }
}

public struct SearchRequest: Codable, Sendable {
    public var query: String
    public var asOf: Day?
    public var limit: Int?
    public init(query: String, asOf: Day? = nil, limit: Int? = nil) {
        self.query = query
        self.asOf = asOf
        self.limit = limit
    }
}

public struct ImportUnitsRequest: Codable, Sendable {
    /// CSV text with a header. Required columns: code, name, kind. Optional: parent,
    /// population, valid_from, valid_to, predecessors (separated by `;`), name_en, agency.
    public var csv: String
    /// The parent of rows that name none (the shipped Hà Tĩnh list: the province, 42).
    public var defaultParent: String?
    public var defaultValidFrom: Day?
    /// A data set that ships with roster instead of `csv`: `ha-tinh` (the province, its
    /// commission, committees and Front, and its 69 communes and wards as of 1 July 2025).
    public var dataset: String?
    public init(csv: String = "", defaultParent: String? = nil, defaultValidFrom: Day? = nil, dataset: String? = nil) {
        self.dataset = dataset
        self.csv = csv
        self.defaultParent = defaultParent
        self.defaultValidFrom = defaultValidFrom
    }
}

public struct ImportSummary: Codable, Sendable, Hashable {
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public init(inserted: Int, updated: Int, unchanged: Int) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }
}

public enum PersonRole: String, WireEnum {
    /// A unit's standing-committee member in charge of public-opinion work.
    case official
    /// A public-opinion collaborator (cộng tác viên dư luận xã hội).
    case collaborator
    /// Commission staff.
    case staff
}

/// A member of the network (never a member of the public).
public struct Person: Codable, Sendable, Hashable {
    public var id: Int?
    public var fullName: String
    public var unit: String
    public var role: PersonRole
    /// E.164, e.g. +84912345678.
    public var phone: String?
    public var email: String?
    public var joined: Day
    public var left: Day?
    /// Allowance in đồng per month (chế độ đãi ngộ).
    public var allowance: Int?
    /// The language of the notices this person receives: `vi` (when nil) or `en`.
    public var language: String?

    public init(
        id: Int? = nil, fullName: String, unit: String, role: PersonRole, phone: String? = nil, email: String? = nil,
        joined: Day, left: Day? = nil, allowance: Int? = nil, language: String? = nil
    ) {
        self.language = language
        self.id = id
        self.fullName = fullName
        self.unit = unit
        self.role = role
        self.phone = phone
        self.email = email
        self.joined = joined
        self.left = left
        self.allowance = allowance
    }

    public func isActive(on day: Day) -> Bool { joined <= day && (left.map { day < $0 } ?? true) }
}

public struct GetPersonRequest: Codable, Sendable {
    public var id: Int
    public init(id: Int) { self.id = id }
}

public struct ListPeopleRequest: Codable, Sendable {
    public var unit: String?
    public var role: PersonRole?
    /// Only people active on this day.
    public var activeOn: Day?
    public init(unit: String? = nil, role: PersonRole? = nil, activeOn: Day? = nil) {
        self.unit = unit
        self.role = role
        self.activeOn = activeOn
    }
}

public struct PersonList: Codable, Sendable {
    public var people: [Person]
    public init(people: [Person]) { self.people = people }
}

public struct LeaveRequest: Codable, Sendable {
    public var id: Int
    public var on: Day
    public init(id: Int, on: Day) {
        self.id = id
        self.on = on
    }
}

public struct AssignRequest: Codable, Sendable {
    public var unit: String
    public var person: Int
    public var from: Day
    public init(unit: String, person: Int, from: Day) {
        self.unit = unit
        self.person = person
        self.from = from
    }
}

/// One term of an official in charge of a unit's public-opinion work.
public struct Assignment: Codable, Sendable, Hashable {
    public var unit: String
    public var person: Int
    public var personName: String
    public var from: Day
    /// The first day of the next official's term; nil while current.
    public var to: Day?
    public init(unit: String, person: Int, personName: String, from: Day, to: Day?) {
        self.unit = unit
        self.person = person
        self.personName = personName
        self.from = from
        self.to = to
    }
}

public struct UnitRequest: Codable, Sendable {
    public var unit: String
    public var asOf: Day?
    public init(unit: String, asOf: Day? = nil) {
        self.unit = unit
        self.asOf = asOf
    }
}

public struct AssignmentList: Codable, Sendable {
    public var assignments: [Assignment]
    public init(assignments: [Assignment]) { self.assignments = assignments }
}

public struct TeamStatusRequest: Codable, Sendable {
    public var asOf: Day?
    public var kinds: [UnitKind]?
    /// Only units whose team is below its norm.
    public var missingOnly: Bool?
    public init(asOf: Day? = nil, kinds: [UnitKind]? = nil, missingOnly: Bool? = nil) {
        self.asOf = asOf
        self.kinds = kinds
        self.missingOnly = missingOnly
    }
}

public struct TeamStatusRow: Codable, Sendable, Hashable {
    public var unit: String
    public var name: String
    public var kind: UnitKind
    public var active: Int
    public var norm: Int
    public var official: String?
    public var complete: Bool { active >= norm }
    public init(unit: String, name: String, kind: UnitKind, active: Int, norm: Int, official: String?) {
        self.unit = unit
        self.name = name
        self.kind = kind
        self.active = active
        self.norm = norm
        self.official = official
    }
}

public struct TeamStatus: Codable, Sendable {
    public var asOf: Day
    public var rows: [TeamStatusRow]
    public init(asOf: Day, rows: [TeamStatusRow]) {
        self.asOf = asOf
        self.rows = rows
    }
}

public struct TeamNorm: Codable, Sendable, Hashable {
    public var kind: UnitKind
    public var size: Int
    public init(kind: UnitKind, size: Int) {
        self.kind = kind
        self.size = size
    }
}

public struct TeamNormList: Codable, Sendable {
    public var norms: [TeamNorm]
    public init(norms: [TeamNorm]) { self.norms = norms }
}

public struct Topic: Codable, Sendable, Hashable {
    public var code: String
    public var labelVi: String
    public var labelEn: String
    public var parent: String?
    public var active: Bool
    public init(code: String, labelVi: String, labelEn: String, parent: String? = nil, active: Bool = true) {
        self.code = code
        self.labelVi = labelVi
        self.labelEn = labelEn
        self.parent = parent
        self.active = active
    }
}

public struct ListTopicsRequest: Codable, Sendable {
    public var includeRetired: Bool?
    public init(includeRetired: Bool? = nil) { self.includeRetired = includeRetired }
}

public struct TopicList: Codable, Sendable {
    public var topics: [Topic]
    public init(topics: [Topic]) { self.topics = topics }
}

/// A task of the plan that units of some kinds must carry out by a deadline.
public struct PlanTask: Codable, Sendable, Hashable {
    public var code: String
    public var title: String
    public var kinds: [UnitKind]
    public var deadline: Day
    /// Set for tasks roster checks from its own data: `official` (an official is named) or
    /// `team` (the collaborator team is at its norm). Others are marked done by hand.
    public var automatic: String?
    public init(code: String, title: String, kinds: [UnitKind], deadline: Day, automatic: String? = nil) {
        self.code = code
        self.title = title
        self.kinds = kinds
        self.deadline = deadline
        self.automatic = automatic
    }
}

public struct PlanTaskList: Codable, Sendable {
    public var tasks: [PlanTask]
    public init(tasks: [PlanTask]) { self.tasks = tasks }
}

public struct CompleteTaskRequest: Codable, Sendable {
    public var task: String
    public var unit: String
    public var on: Day
    public var note: String?
    public init(task: String, unit: String, on: Day, note: String? = nil) {
        self.task = task
        self.unit = unit
        self.on = on
        self.note = note
    }
}

public struct TaskStatusRequest: Codable, Sendable {
    public var asOf: Day?
    public var unit: String?
    public var task: String?
    /// Only rows not yet done.
    public var pendingOnly: Bool?
    public init(asOf: Day? = nil, unit: String? = nil, task: String? = nil, pendingOnly: Bool? = nil) {
        self.asOf = asOf
        self.unit = unit
        self.task = task
        self.pendingOnly = pendingOnly
    }
}

public enum TaskState: String, WireEnum {
    case done, doneLate, pending, overdue
}

public struct TaskStatusRow: Codable, Sendable, Hashable {
    public var task: String
    public var unit: String
    public var unitName: String
    public var deadline: Day
    public var state: TaskState
    public var completedOn: Day?
    public var note: String?
    public var automatic: Bool
    public init(task: String, unit: String, unitName: String, deadline: Day, state: TaskState, completedOn: Day?, note: String?, automatic: Bool) {
        self.task = task
        self.unit = unit
        self.unitName = unitName
        self.deadline = deadline
        self.state = state
        self.completedOn = completedOn
        self.note = note
        self.automatic = automatic
    }
}

public struct TaskStatus: Codable, Sendable {
    public var asOf: Day
    public var rows: [TaskStatusRow]
    public init(asOf: Day, rows: [TaskStatusRow]) {
        self.asOf = asOf
        self.rows = rows
    }
}

public struct IsUnderRequest: Codable, Sendable {
    public var unit: String
    public var ancestor: String
    public init(unit: String, ancestor: String) {
        self.unit = unit
        self.ancestor = ancestor
    }
}

public struct BoolValue: Codable, Sendable {
    public var value: Bool
    public init(_ value: Bool) { self.value = value }
}

public struct RosterSummary: Codable, Sendable {
    public var asOf: Day
    public var unitsByKind: [String: Int]
    public var officialsAssigned: Int
    public var unitsNeedingOfficial: Int
    public var teamsBelowNorm: Int
    public var people: Int
    public init(asOf: Day, unitsByKind: [String: Int], officialsAssigned: Int, unitsNeedingOfficial: Int, teamsBelowNorm: Int, people: Int) {
        self.asOf = asOf
        self.unitsByKind = unitsByKind
        self.officialsAssigned = officialsAssigned
        self.unitsNeedingOfficial = unitsNeedingOfficial
        self.teamsBelowNorm = teamsBelowNorm
        self.people = people
    }
}

public struct AsOfRequest: Codable, Sendable {
    public var asOf: Day?
    public init(asOf: Day? = nil) { self.asOf = asOf }
}

/// The roster service's methods: `pulse.roster.v1.Roster/<Method>`.
public enum RosterAPI {
    public static let service = "pulse.roster.v1.Roster"
    /// Applies the current scrubber to the plan's task titles and completion notes, in place.
    public static let rescrub = MethodDescriptor<Empty, RescrubResult>(service: service, method: "Rescrub", access: .only(.admin))
    public static let getUnit = MethodDescriptor<GetUnitRequest, OrgUnit>(service: service, method: "GetUnit", access: .only(.admin, .analyst, .official, .partner))
    public static let listUnits = MethodDescriptor<ListUnitsRequest, UnitList>(service: service, method: "ListUnits", access: .only(.admin, .analyst, .official, .partner))
    public static let searchUnits = MethodDescriptor<SearchRequest, UnitList>(service: service, method: "SearchUnits", access: .only(.admin, .analyst, .official, .partner))
    public static let importUnits = MethodDescriptor<ImportUnitsRequest, ImportSummary>(service: service, method: "ImportUnits", access: .only(.admin))
    public static let upsertUnit = MethodDescriptor<OrgUnit, OrgUnit>(service: service, method: "UpsertUnit", access: .only(.admin))
    public static let isUnder = MethodDescriptor<IsUnderRequest, BoolValue>(service: service, method: "IsUnder", access: .only(.admin, .analyst, .official, .partner))
    public static let addPerson = MethodDescriptor<Person, Person>(service: service, method: "AddPerson", access: .only(.admin))
    public static let updatePerson = MethodDescriptor<Person, Person>(service: service, method: "UpdatePerson", access: .only(.admin))
    public static let getPerson = MethodDescriptor<GetPersonRequest, Person>(service: service, method: "GetPerson", access: .only(.admin))
    public static let listPeople = MethodDescriptor<ListPeopleRequest, PersonList>(service: service, method: "ListPeople", access: .only(.admin))
    public static let searchPeople = MethodDescriptor<SearchRequest, PersonList>(service: service, method: "SearchPeople", access: .only(.admin))
    public static let leave = MethodDescriptor<LeaveRequest, Person>(service: service, method: "Leave", access: .only(.admin))
    public static let assignOfficial = MethodDescriptor<AssignRequest, Assignment>(service: service, method: "AssignOfficial", access: .only(.admin))
    public static let officialHistory = MethodDescriptor<UnitRequest, AssignmentList>(service: service, method: "OfficialHistory", access: AccessRule(roles: [.admin, .analyst, .official, .partner], scoped: [.official, .partner]) { [$0.unit] })
    public static let currentOfficial = MethodDescriptor<UnitRequest, Assignment>(service: service, method: "CurrentOfficial", access: AccessRule(roles: [.admin, .analyst, .official, .partner], scoped: [.official, .partner]) { [$0.unit] })
    public static let teamStatus = MethodDescriptor<TeamStatusRequest, TeamStatus>(service: service, method: "TeamStatus", access: .only(.admin, .analyst))
    public static let setTeamNorm = MethodDescriptor<TeamNorm, TeamNorm>(service: service, method: "SetTeamNorm", access: .only(.admin))
    public static let listTeamNorms = MethodDescriptor<Empty, TeamNormList>(service: service, method: "ListTeamNorms", access: .only(.admin, .analyst, .official, .partner))
    public static let listTopics = MethodDescriptor<ListTopicsRequest, TopicList>(service: service, method: "ListTopics", access: .only(.admin, .analyst, .official, .partner))
    public static let upsertTopic = MethodDescriptor<Topic, Topic>(service: service, method: "UpsertTopic", access: .only(.admin))
    public static let listTasks = MethodDescriptor<Empty, PlanTaskList>(service: service, method: "ListTasks", access: .only(.admin, .analyst))
    public static let upsertTask = MethodDescriptor<PlanTask, PlanTask>(service: service, method: "UpsertTask", access: .only(.admin))
    public static let completeTask = MethodDescriptor<CompleteTaskRequest, TaskStatusRow>(service: service, method: "CompleteTask", access: .only(.admin))
    public static let taskStatus = MethodDescriptor<TaskStatusRequest, TaskStatus>(service: service, method: "TaskStatus", access: .only(.admin, .analyst))
    public static let summary = MethodDescriptor<AsOfRequest, RosterSummary>(service: service, method: "Summary", access: .only(.admin, .analyst))
    /// Every term of every official in charge, for analytics' annual ranking.
    public static let listAssignments = MethodDescriptor<Empty, AssignmentList>(service: service, method: "ListAssignments", access: .only(.admin, .analyst))
}
