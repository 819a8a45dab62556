import Arguments
import Foundation
import Messages
import Text
import Wire

enum RosterCommands {
    static let asOf = OptionSpec.option("as-of", value: "date", help: "As the network stood on this day (YYYY-MM-DD).")

    static func kinds(_ inv: Invocation) throws(UsageError) -> [UnitKind]? {
        let texts = inv.arguments.all("kind")
        if texts.isEmpty { return nil }
        var kinds: [UnitKind] = []
        for t in texts {
            guard let k = UnitKind(text: t) else {
                throw UsageError("--kind: \"\(t)\" is not a unit kind (\(UnitKind.allCases.map(\.rawValue).joined(separator: ", ")), or xã/phường)")
            }
            kinds.append(k)
        }
        return kinds
    }

    static func unitRows(_ units: [OrgUnit]) -> [[String]] {
        units.map { [$0.code, $0.fullName, $0.kind.vietnamese, $0.parent ?? "", $0.validFrom.description + ($0.validTo.map { " – \($0)" } ?? ""), $0.population.map(String.init) ?? ""] }
    }

    static func printUnits(_ inv: Invocation, _ units: [OrgUnit]) {
        inv.output.emit(units) {
            inv.output.table(["code", "name", "kind", "parent", "valid", "population"], unitRows(units), numeric: [5])
            if inv.output.format == .table { print("\(units.count) units") }
        }
    }

    static var units: Command {
        Command(
            "units", "The network's units (đơn vị), with their history.",
            subcommands: [
                Command(
                    "list", "List units.",
                    options: [
                        .option("parent", value: "code", help: "Only units under this one."),
                        .flag("subtree", help: "With --parent: the whole subtree, not only children."),
                        .option("kind", value: "kind", help: "Only this kind (repeatable): commune, ward, xã, phường, …", repeatable: true), asOf,
                    ]
                ) { inv in
                    let units = try await inv.call(
                        RosterAPI.listUnits,
                        ListUnitsRequest(parent: inv.arguments.value("parent"), subtree: inv.arguments.has("subtree"), kinds: try kinds(inv), asOf: try inv.day("as-of")))
                    printUnits(inv, units.units)
                },
                Command("show", "Show one unit, its predecessors and its officials in charge.", arguments: "<code>", options: [asOf]) { inv in
                    let code = try inv.positional(0, "code")
                    let unit = try await inv.call(RosterAPI.getUnit, GetUnitRequest(code: code, asOf: try inv.day("as-of")))
                    let history = try await inv.call(RosterAPI.officialHistory, UnitRequest(unit: code)).assignments
                    struct Shown: Encodable { var unit: OrgUnit; var officials: [Assignment] }
                    inv.output.emit(Shown(unit: unit, officials: history)) {
                        print("\(unit.fullName) (\(unit.code)), \(unit.kind.vietnamese)")
                        if let en = unit.nameEn { print("  English:      \(en)") }
                        print("  parent:       \(unit.parent ?? "—")")
                        print("  valid:        from \(unit.validFrom)" + (unit.validTo.map { " until \($0)" } ?? ""))
                        if !unit.predecessors.isEmpty { print("  formed from:  \(unit.predecessors.joined(separator: ", "))") }
                        if let p = unit.population { print("  population:   \(p)") }
                        print("  agency:       \(unit.agency)")
                        print("  officials in charge:")
                        if history.isEmpty { print("    none named") }
                        for a in history { print("    \(a.from) – \(a.to?.description ?? "now")  \(a.personName) (#\(a.person))") }
                    }
                },
                Command("search", "Find units by name, ignoring case, diacritics and Unicode form.", arguments: "<text>", options: [asOf]) { inv in
                    let text = inv.arguments.positionals.joined(separator: " ")
                    guard !text.isEmpty else { throw UsageError("missing <text>") }
                    printUnits(inv, try await inv.call(RosterAPI.searchUnits, SearchRequest(query: text, asOf: try inv.day("as-of"))).units)
                },
                Command(
                    "import", "Import units from CSV (all or nothing; importing again changes nothing).", arguments: "<file.csv> | --ha-tinh",
                    options: [
                        .flag("ha-tinh", help: "Load the shipped Hà Tĩnh network: the province and its 69 communes and wards (1 July 2025)."),
                        .option("parent", value: "code", help: "Parent of rows that name none."),
                        .option("valid-from", value: "date", help: "Start of validity for rows that give none."),
                    ]
                ) { inv in
                    var request: ImportUnitsRequest
                    if inv.arguments.has("ha-tinh") {
                        request = ImportUnitsRequest(dataset: "ha-tinh")
                    } else {
                        let path = try inv.positional(0, "file.csv")
                        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("\(path): no such file") }
                        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot be read (check its permissions)") }
                        guard let csv = String(data: data, encoding: .utf8) else {
                            throw CLIError("\(path) is not UTF-8 text; save it as \"CSV UTF-8\" and import again")
                        }
                        request = ImportUnitsRequest(csv: csv, defaultParent: inv.arguments.value("parent"), defaultValidFrom: try inv.day("valid-from"))
                    }
                    let summary = try await inv.call(RosterAPI.importUnits, request)
                    inv.output.emit(summary) { print("imported: \(summary.inserted) new, \(summary.updated) updated, \(summary.unchanged) unchanged") }
                },
            ])
    }

    static func personRows(_ people: [Person]) -> [[String]] {
        people.map { [String($0.id ?? 0), $0.fullName, $0.unit, $0.role.rawValue, $0.phone ?? "", $0.email ?? "", $0.joined.description, $0.left?.description ?? ""] }
    }

    static func printPeople(_ inv: Invocation, _ people: [Person]) {
        inv.output.emit(people) {
            inv.output.table(["id", "name", "unit", "role", "phone", "email", "joined", "left"], personRows(people), numeric: [0])
        }
    }

    static var people: Command {
        Command(
            "people", "Officials, collaborators and staff of the network (never members of the public).",
            subcommands: [
                Command(
                    "add", "Add a person.",
                    options: [
                        .option("name", value: "full name", help: "Full name (required)."),
                        .option("unit", value: "code", help: "Their unit (required)."),
                        .option("role", value: "role", help: "official, collaborator or staff (required)."),
                        .option("phone", value: "number", help: "Phone, in any usual Vietnamese form; stored as E.164."),
                        .option("email", value: "address", help: "E-mail address."),
                        .option("joined", value: "date", help: "Day they joined (default today)."),
                        .option("allowance", value: "đồng", help: "Allowance per month, in đồng."),
                        .option("lang", value: "vi|en", help: "The language of the notices they receive (default vi)."),
                    ]
                ) { inv in
                    let a = inv.arguments
                    guard let role = PersonRole(rawValue: try a.required("role")) else { throw UsageError("--role is official, collaborator or staff") }
                    let person = Person(
                        fullName: try a.required("name"), unit: try a.required("unit"), role: role, phone: a.value("phone"), email: a.value("email"),
                        joined: try inv.day("joined") ?? Day.today, allowance: try a.integer("allowance"), language: try language(a))
                    let added = try await inv.call(RosterAPI.addPerson, person)
                    inv.output.emit(added) { print("added #\(added.id ?? 0) \(added.fullName), \(added.role.rawValue) of \(added.unit)" + (added.phone.map { ", \($0)" } ?? "")) }
                },
                Command(
                    "list", "List people.",
                    options: [
                        .option("unit", value: "code", help: "Only this unit's."),
                        .option("role", value: "role", help: "official, collaborator or staff."),
                        .option("active-on", value: "date", help: "Only those active on this day."),
                    ]
                ) { inv in
                    var role: PersonRole?
                    if let r = inv.arguments.value("role") {
                        guard let parsed = PersonRole(rawValue: r) else { throw UsageError("--role is official, collaborator or staff") }
                        role = parsed
                    }
                    printPeople(inv, try await inv.call(RosterAPI.listPeople, ListPeopleRequest(unit: inv.arguments.value("unit"), role: role, activeOn: try inv.day("active-on"))).people)
                },
                Command(
                    "update", "Change a person's contact details, name or notice language.", arguments: "<id>",
                    options: [
                        .option("name", value: "full name", help: "Full name."),
                        .option("phone", value: "number", help: "Phone (an empty value removes it)."),
                        .option("email", value: "address", help: "E-mail address (an empty value removes it)."),
                        .option("lang", value: "vi|en", help: "The language of the notices they receive."),
                    ]
                ) { inv in
                    let text = try inv.positional(0, "id")
                    guard let id = Int(text), id > 0 else { throw UsageError("<id> is a person's number from `pulse people list`, not \"\(text)\"") }
                    var person = try await inv.call(RosterAPI.getPerson, GetPersonRequest(id: id))
                    let a = inv.arguments
                    if let name = a.value("name") { person.fullName = name }
                    if let phone = a.value("phone") { person.phone = phone.isEmpty ? nil : phone }
                    if let email = a.value("email") { person.email = email.isEmpty ? nil : email }
                    if let lang = try language(a) { person.language = lang }
                    let updated = try await inv.call(RosterAPI.updatePerson, person)
                    inv.output.emit(updated) { print("updated #\(id) \(updated.fullName): \(updated.email ?? "no e-mail"), \(updated.phone ?? "no phone"), notices in \(updated.language ?? "vi")") }
                },
                Command("search", "Find people by name, ignoring case and diacritics.", arguments: "<text>") { inv in
                    let text = inv.arguments.positionals.joined(separator: " ")
                    guard !text.isEmpty else { throw UsageError("missing <text>") }
                    printPeople(inv, try await inv.call(RosterAPI.searchPeople, SearchRequest(query: text)).people)
                },
                Command("show", "Show one person.", arguments: "<id>") { inv in
                    guard let id = Int(try inv.positional(0, "id")) else { throw UsageError("<id> is a number") }
                    printPeople(inv, [try await inv.call(RosterAPI.getPerson, GetPersonRequest(id: id))])
                },
                Command("leave", "Record that a person left (an official's term in charge ends too).", arguments: "<id>", options: [.option("on", value: "date", help: "Day they left (default today).")]) { inv in
                    guard let id = Int(try inv.positional(0, "id")) else { throw UsageError("<id> is a number") }
                    let p = try await inv.call(RosterAPI.leave, LeaveRequest(id: id, on: try inv.day("on") ?? Day.today))
                    inv.output.emit(p) { print("\(p.fullName) left \(p.unit) on \(p.left?.description ?? "?")") }
                },
            ])
    }

    static var assign: Command {
        Command(
            "assign", "Put an official in charge of a unit's public-opinion work (closes the previous term).", arguments: "<unit> <person-id>",
            options: [.option("from", value: "date", help: "First day of the term (default today).")]
        ) { inv in
            let unit = try inv.positional(0, "unit")
            guard let person = Int(try inv.positional(1, "person-id")) else { throw UsageError("<person-id> is a number") }
            let a = try await inv.call(RosterAPI.assignOfficial, AssignRequest(unit: unit, person: person, from: try inv.day("from") ?? Day.today))
            inv.output.emit(a) { print("\(a.personName) (#\(a.person)) is in charge of \(a.unit) from \(a.from)") }
        }
    }

    static var teams: Command {
        Command(
            "teams", "Collaborator teams (đội ngũ cộng tác viên) against their norms.",
            subcommands: [
                Command(
                    "status", "Active collaborators per unit against the norm, incomplete teams first.",
                    options: [.flag("missing", help: "Only units whose team is below the norm."), asOf, .option("kind", value: "kind", help: "Kinds of unit (default commune and ward; repeatable).", repeatable: true)]
                ) { inv in
                    let status = try await inv.call(RosterAPI.teamStatus, TeamStatusRequest(asOf: try inv.day("as-of"), kinds: try kinds(inv), missingOnly: inv.arguments.has("missing")))
                    inv.output.emit(status) {
                        inv.output.table(
                            ["unit", "name", "active", "norm", "team", "official in charge"],
                            status.rows.map { [$0.unit, $0.name, String($0.active), String($0.norm), $0.complete ? "đủ" : "thiếu \($0.norm - $0.active)", $0.official ?? "— chưa phân công"] },
                            numeric: [2, 3])
                        if inv.output.format == .table {
                            let below = status.rows.filter { !$0.complete }.count
                            print("as of \(status.asOf): \(below) of \(status.rows.count) units below the norm")
                        }
                    }
                },
                Command("norm", "Set the team size norm for a kind of unit.", arguments: "<kind> <size>") { inv in
                    let kindText = try inv.positional(0, "kind")
                    guard let kind = UnitKind(text: kindText) else {
                        throw UsageError("<kind> \"\(kindText)\" is not a unit kind; the kinds are " + UnitKind.allCases.map { "\($0.rawValue) (\($0.vietnamese))" }.joined(separator: ", "))
                    }
                    let sizeText = try inv.positional(1, "size")
                    guard let size = Int(sizeText), (1...1000).contains(size) else {
                        throw UsageError("<size> is how many collaborators a \(kind.vietnamese) should have, 1 to 1000; not \"\(sizeText)\"")
                    }
                    let n = try await inv.call(RosterAPI.setTeamNorm, TeamNorm(kind: kind, size: size))
                    inv.output.emit(n) { print("norm for \(n.kind.rawValue): \(n.size) collaborators") }
                },
            ])
    }

    static var topics: Command {
        Command(
            "topics", "The topic taxonomy (stable codes, bilingual labels).",
            subcommands: [
                Command("list", "List topics.", options: [.flag("all", help: "Include retired topics.")]) { inv in
                    let list = try await inv.call(RosterAPI.listTopics, ListTopicsRequest(includeRetired: inv.arguments.has("all")))
                    inv.output.emit(list.topics) {
                        inv.output.table(["code", "nhãn", "label", "parent", "active"], list.topics.map { [$0.code, $0.labelVi, $0.labelEn, $0.parent ?? "", $0.active ? "yes" : "retired"] })
                    }
                },
                Command(
                    "add", "Add or change a topic.", arguments: "<code>",
                    options: [
                        .option("vi", value: "label", help: "Vietnamese label (required)."), .option("en", value: "label", help: "English label (required)."),
                        .option("parent", value: "code", help: "Parent topic."), .flag("retire", help: "Mark it retired."),
                    ]
                ) { inv in
                    let t = Topic(
                        code: try inv.positional(0, "code"), labelVi: try inv.arguments.required("vi"), labelEn: try inv.arguments.required("en"),
                        parent: inv.arguments.value("parent"), active: !inv.arguments.has("retire"))
                    let saved = try await inv.call(RosterAPI.upsertTopic, t)
                    inv.output.emit(saved) { print("topic \(saved.code): \(saved.labelVi) / \(saved.labelEn)") }
                },
                AnalyticsCommands.checkTopics,
            ])
    }

    static let stateNames: [TaskState: String] = [.done: "xong", .doneLate: "xong muộn", .pending: "đang làm", .overdue: "quá hạn"]

    static var tasks: Command {
        Command(
            "tasks", "The plan's tasks for units and who is behind.",
            subcommands: [
                Command("list", "List the plan's tasks.") { inv in
                    let list = try await inv.call(RosterAPI.listTasks, Empty())
                    inv.output.emit(list.tasks) {
                        inv.output.table(["code", "deadline", "for", "checked", "task"], list.tasks.map { [$0.code, $0.deadline.description, $0.kinds.map(\.vietnamese).joined(separator: ", "), $0.automatic ?? "by hand", $0.title] })
                    }
                },
                Command(
                    "done", "Record that a unit completed a task.", arguments: "<task> <unit>",
                    options: [.option("on", value: "date", help: "Day it was done (default today)."), .option("note", value: "text", help: "A note.")]
                ) { inv in
                    let row = try await inv.call(
                        RosterAPI.completeTask,
                        CompleteTaskRequest(task: try inv.positional(0, "task"), unit: try inv.positional(1, "unit"), on: try inv.day("on") ?? Day.today, note: inv.arguments.value("note")))
                    inv.output.emit(row) { print("\(row.unitName): \(row.task) \(stateNames[row.state]!) on \(row.completedOn?.description ?? "?")") }
                },
                Command(
                    "status", "Each task for each unit, overdue first.",
                    options: [asOf, .option("unit", value: "code", help: "Only this unit."), .option("task", value: "code", help: "Only this task."), .flag("pending", help: "Only tasks not done.")]
                ) { inv in
                    let status = try await inv.call(
                        RosterAPI.taskStatus,
                        TaskStatusRequest(asOf: try inv.day("as-of"), unit: inv.arguments.value("unit"), task: inv.arguments.value("task"), pendingOnly: inv.arguments.has("pending")))
                    inv.output.emit(status) {
                        inv.output.table(
                            ["state", "deadline", "task", "unit", "done on", "note"],
                            status.rows.map { [stateNames[$0.state]!, $0.deadline.description, $0.task, $0.unitName, $0.completedOn?.description ?? "", $0.note ?? ""] })
                        if inv.output.format == .table {
                            let overdue = status.rows.filter { $0.state == .overdue }.count
                            print("as of \(status.asOf): \(overdue) overdue of \(status.rows.count)")
                        }
                    }
                },
            ])
    }

    static var network: Command {
        Command("network", "A summary of the network: units by kind, officials named, teams below norm.", options: [asOf]) { inv in
            let s = try await inv.call(RosterAPI.summary, AsOfRequest(asOf: try inv.day("as-of")))
            inv.output.emit(s) { printSummary(s) }
        }
    }

    static func printSummary(_ s: RosterSummary) {
        print("The network on \(s.asOf):")
        for kind in UnitKind.allCases {
            if let n = s.unitsByKind[kind.rawValue] { print("  \(Output.pad(kind.vietnamese, 18)) \(n)") }
        }
        print("  officials in charge named: \(s.officialsAssigned); units still without one: \(s.unitsNeedingOfficial)")
        print("  commune and ward teams below their norm: \(s.teamsBelowNorm)")
        print("  people active in the network: \(s.people)")
    }

    static func language(_ a: ParsedArguments) throws -> String? {
        guard let lang = a.value("lang") else { return nil }
        guard ["vi", "en"].contains(lang) else { throw UsageError("--lang is vi (Vietnamese) or en (English), not \"\(lang)\"") }
        return lang
    }
}
