import Arguments
import Foundation
import Localization
import Messages
import Text
import Wire

enum RosterCommands {
    static var asOf: OptionSpec { .option("as-of", value: dateValue, help: tr("Mạng lưới như vào ngày này.", en: "As the network stood on this day.")) }
    static var dateValue: String { tr("dd/mm/yyyy", en: "YYYY-MM-DD") }
    static var monthValue: String { tr("mm/yyyy", en: "YYYY-MM") }
    static var codeValue: String { tr("mã", en: "code") }

    static func kinds(_ inv: Invocation) throws(UsageError) -> [UnitKind]? {
        let texts = inv.arguments.all("kind")
        if texts.isEmpty { return nil }
        var kinds: [UnitKind] = []
        for t in texts {
            guard let k = UnitKind(text: t) else {
                throw UsageError(tr("--kind: \"\(t)\" không phải loại đơn vị; các loại: ", en: "--kind: \"\(t)\" is not a unit kind; the kinds: ") + kindList)
            }
            kinds.append(k)
        }
        return kinds
    }

    /// Every kind, as "xã (commune)" in Vietnamese or "commune (xã)" in English: both are accepted.
    static var kindList: String {
        UnitKind.allCases.map { Language.current == .en ? "\($0.rawValue) (\($0.vietnamese))" : "\($0.vietnamese) (\($0.rawValue))" }.joined(separator: ", ")
    }

    static func unitRows(_ units: [OrgUnit], _ output: Output, parents: [String: String] = [:]) -> [[String]] {
        let names = parents.merging(units.map { ($0.code, $0.fullName) }, uniquingKeysWith: { _, b in b })
        // CSV keeps the codes and the kind's Vietnamese name, whatever the language: it is data to
        // join on, in the columns `units import` reads, so that an export imports again as it was.
        if output.format == .csv {
            return units.map {
                [$0.code, $0.fullName, $0.kind.vietnamese, $0.parent ?? "", $0.validFrom.description, $0.validTo?.description ?? "", $0.population.map(String.init) ?? "",
                 $0.predecessors.joined(separator: ";"), ($0.partOf ?? []).joined(separator: ";"), $0.nameEn ?? "", $0.agency]
            }
        }
        return units.map {
            [$0.code, $0.fullName, $0.kind.word, $0.parent.map { p in names[p].map { "\($0) (\(p))" } ?? p } ?? "",
             output.day($0.validFrom) + ($0.validTo.map { " – " + output.day($0) } ?? ""), $0.population.map(output.number) ?? ""]
        }
    }

    /// An agency by the name its people use; its code when Pulse knows no name for it.
    static func agencyName(_ code: String) -> String {
        switch code {
        case "commission": return tr("Ban Tuyên giáo và Dân vận Tỉnh ủy", en: "the commission (Ban Tuyên giáo và Dân vận)")
        case "police": return tr("Đảng ủy Công an tỉnh", en: "the provincial police party committee")
        case "front": return tr("Ủy ban Mặt trận Tổ quốc tỉnh", en: "the Fatherland Front")
        default: return code
        }
    }

    static func printUnits(_ inv: Invocation, _ units: [OrgUnit]) async throws {
        // Parents by name, whichever of them the list itself holds.
        let known = Set(units.map(\.code))
        let parents = inv.output.format == .table && units.contains(where: { $0.parent.map { !known.contains($0) } ?? false }) ? try await Names.units(inv) : [:]
        inv.output.emit(units) {
            inv.output.table(
                inv.output.format == .csv
                    ? ["code", "name", "kind", "parent", "valid_from", "valid_to", "population", "predecessors", "part_of", "name_en", "agency"]
                    : [tr("mã", en: "code"), tr("tên", en: "name"), tr("loại", en: "kind"), tr("trực thuộc", en: "parent"), tr("hiệu lực", en: "valid"), tr("dân số", en: "population")],
                unitRows(units, inv.output, parents: parents), numeric: [5])
            inv.output.note(LocalFormat.count(units.count, vi: "đơn vị", en: "unit"))
        }
    }

    static var units: Command {
        Command(
            "units", tr("Các đơn vị của mạng lưới, với lịch sử của chúng.", en: "The network's units (đơn vị), with their history."),
            subcommands: [
                Command(
                    "list", tr("Liệt kê đơn vị.", en: "List units."),
                    options: [
                        .option("parent", value: codeValue, help: tr("Chỉ các đơn vị trực thuộc đơn vị này.", en: "Only units under this one.")),
                        .flag("subtree", help: tr("Cùng --parent: cả cây, không chỉ cấp dưới trực tiếp.", en: "With --parent: the whole subtree, not only children.")),
                        .option("kind", value: tr("loại", en: "kind"), help: tr("Chỉ loại này (lặp lại được): xã, phường, commune, ward, …", en: "Only this kind (repeatable): commune, ward, xã, phường, …"), repeatable: true), asOf,
                        .flag("all", help: tr("Cả các đơn vị đã giải thể hay sáp nhập (mặc định chỉ các đơn vị hôm nay).", en: "Include units dissolved or merged away (by default only today's).")),
                    ]
                ) { inv in
                    if inv.arguments.has("all") && inv.arguments.value("as-of") != nil { throw UsageError(tr("chọn một trong --all và --as-of", en: "choose one of --all and --as-of")) }
                    // Today's network unless asked otherwise: the merger's history is there, but seldom wanted.
                    let asOf = inv.arguments.has("all") ? nil : try inv.day("as-of") ?? Day.today
                    let units = try await inv.call(
                        RosterAPI.listUnits,
                        ListUnitsRequest(parent: inv.arguments.value("parent"), subtree: inv.arguments.has("subtree"), kinds: try kinds(inv), asOf: asOf))
                    try await printUnits(inv, units.units)
                },
                Command("show", tr("Một đơn vị, các đơn vị tiền thân và cán bộ phụ trách.", en: "Show one unit, its predecessors and its officials in charge."), arguments: tr("<mã>", en: "<code>"), options: [asOf]) { inv in
                    let code = try inv.positional(0, codeValue)
                    let unit = try await inv.call(RosterAPI.getUnit, GetUnitRequest(code: code, asOf: try inv.day("as-of")))
                    let history = try await inv.call(RosterAPI.officialHistory, UnitRequest(unit: code)).assignments
                    struct Shown: Encodable { var unit: OrgUnit; var officials: [Assignment] }
                    let names = inv.output.format != .table ? [:] : try await Names.units(inv)
                    inv.output.emit(Shown(unit: unit, officials: history)) {
                        if inv.output.format == .csv {
                            return inv.output.table(
                                ["code", "name", "kind", "parent", "valid_from", "valid_to", "predecessors", "population", "agency"],
                                [[unit.code, unit.fullName, unit.kind.rawValue, unit.parent ?? "", unit.validFrom.description, unit.validTo?.description ?? "", unit.predecessors.joined(separator: " "), unit.population.map(String.init) ?? "", unit.agency]])
                        }
                        let label = { (text: String) in Output.pad(text + ":", 22) }
                        print("\(unit.fullName) (\(unit.code)), \(unit.kind.word)")
                        if let en = unit.nameEn { print("  \(label(tr("tên tiếng Anh", en: "English")))\(en)") }
                        print("  \(label(tr("trực thuộc", en: "parent")))\(unit.parent.map { p in names[p].map { "\($0) (\(p))" } ?? p } ?? "—")")
                        print("  \(label(tr("hiệu lực", en: "valid")))" + tr("từ ", en: "from ") + unit.validFrom.text + (unit.validTo.map { tr(" đến ", en: " until ") + $0.text } ?? ""))
                        func listed(_ codes: [String]) -> String { codes.map { code in names[code].map { "\($0) (\(code))" } ?? code }.joined(separator: ", ") }
                        if !unit.predecessors.isEmpty { print("  \(label(tr("hình thành từ", en: "formed from")))\(listed(unit.predecessors))") }
                        if let parts = unit.partOf { print("  \(label(tr("và một phần của", en: "and part of")))\(listed(parts))") }
                        if let successors = unit.successors { print("  \(label(tr("sáp nhập vào", en: "merged into")))\(listed(successors))") }
                        if let p = unit.population { print("  \(label(tr("dân số", en: "population")))\(Output.number(p))") }
                        print("  \(label(tr("cơ quan", en: "agency")))\(agencyName(unit.agency))")
                        print("  " + tr("cán bộ phụ trách:", en: "officials in charge:"))
                        if history.isEmpty { print("    " + tr("chưa phân công", en: "none named")) }
                        for a in history { print("    \(a.from.text) – \(a.to?.text ?? tr("nay", en: "now"))  \(a.personName) (#\(a.person))") }
                    }
                },
                Command(
                    "search", tr("Tìm đơn vị theo tên, không phân biệt hoa thường, dấu và dạng Unicode.", en: "Find units by name, ignoring case, diacritics and Unicode form."), arguments: tr("<từ khóa…>", en: "<text…>"),
                    options: [asOf, .flag("all", help: tr("Cả các đơn vị trước sắp xếp 2025 và đã giải thể.", en: "Include units from before the 2025 merger and those dissolved."))]
                ) { inv in
                    let text = inv.arguments.positionals.joined(separator: " ")
                    guard !text.isEmpty else { throw UsageError(tr("thiếu <từ khóa>", en: "missing <text>")) }
                    if inv.arguments.has("all") && inv.arguments.value("as-of") != nil { throw UsageError(tr("chọn một trong --all và --as-of", en: "choose one of --all and --as-of")) }
                    let asOf = inv.arguments.has("all") ? nil : try inv.day("as-of") ?? Day.today
                    try await printUnits(inv, try await inv.call(RosterAPI.searchUnits, SearchRequest(query: text, asOf: asOf)).units)
                },
                Command(
                    "import", tr("Nhập đơn vị từ CSV (tất cả hoặc không; nhập lại không đổi gì).", en: "Import units from CSV (all or nothing; importing again changes nothing)."), arguments: tr("<tệp.csv> | --ha-tinh", en: "<file.csv> | --ha-tinh"),
                    options: [
                        .flag("ha-tinh", help: tr("Nạp mạng lưới Hà Tĩnh có sẵn: tỉnh và 69 xã, phường (1/7/2025).", en: "Load the shipped Hà Tĩnh network: the province and its 69 communes and wards (1 July 2025).")),
                        .option("parent", value: codeValue, help: tr("Đơn vị trực thuộc cho các dòng không ghi.", en: "Parent of rows that name none.")),
                        .option("valid-from", value: dateValue, help: tr("Ngày bắt đầu hiệu lực cho các dòng không ghi.", en: "Start of validity for rows that give none.")),
                    ]
                ) { inv in
                    var request: ImportUnitsRequest
                    if inv.arguments.has("ha-tinh") {
                        request = ImportUnitsRequest(dataset: "ha-tinh")
                    } else {
                        let path = try inv.positional(0, tr("tệp.csv", en: "file.csv"))
                        let csv = try TextFile.read(path)
                        request = ImportUnitsRequest(csv: csv, defaultParent: inv.arguments.value("parent"), defaultValidFrom: try inv.day("valid-from"))
                    }
                    let summary = try await inv.call(RosterAPI.importUnits, request)
                    inv.output.emit(summary) {
                        print(tr("đã nhập: \(summary.inserted) mới, \(summary.updated) cập nhật, \(summary.unchanged) không đổi", en: "imported: \(summary.inserted) new, \(summary.updated) updated, \(summary.unchanged) unchanged"))
                    }
                },
            ])
    }

    static func personRows(_ people: [Person], _ units: [String: String], _ output: Output) -> [[String]] {
        people.map { p -> [String] in
            var unit = p.unit
            if output.format != .csv, let name = units[p.unit] { unit = "\(name) (\(p.unit))" }
            let role = output.format == .csv ? p.role.rawValue : p.role.word
            return [String(p.id ?? 0), p.fullName, unit, role, p.phone ?? "", p.email ?? "", output.day(p.joined), output.day(p.left)]
        }
    }

    static func printPeople(_ inv: Invocation, _ people: [Person]) async throws {
        // Units by name beside their code: one call for every unit the people belong to.
        var names: [String: String] = [:]
        if inv.output.format != .json && !people.isEmpty {
            names = Dictionary(try await inv.call(RosterAPI.listUnits, ListUnitsRequest()).units.map { ($0.code, $0.fullName) }, uniquingKeysWith: { a, _ in a })
        }
        inv.output.emit(people) {
            inv.output.table(
                inv.output.format == .csv
                    ? ["id", "name", "unit", "role", "phone", "email", "joined", "left"]
                    : [tr("số", en: "id"), tr("họ tên", en: "name"), tr("đơn vị", en: "unit"), tr("vai trò", en: "role"), tr("điện thoại", en: "phone"), "email", tr("tham gia", en: "joined"), tr("rời", en: "left")],
                personRows(people, names, inv.output), numeric: [0])
        }
    }

    static var roleList: String { PersonRole.allCases.map { "\($0.rawValue) (\($0.word))" }.joined(separator: ", ") }

    /// A role as people say it, in either language: "official", "cán bộ phụ trách", "ctv", "cán bộ Ban"…
    static func role(_ text: String) throws(UsageError) -> PersonRole {
        let folded = Folding.fold(text)
        let said: [String: PersonRole] = [
            "can bo": .official, "can bo phu trach": .official, "uy vien": .official, "cong tac vien": .collaborator, "ctv": .collaborator,
            "can bo ban": .staff, "nhan vien ban": .staff, "official": .official, "collaborator": .collaborator, "staff": .staff,
        ]
        if let r = said[folded] { return r }
        throw UsageError(tr("--role \"\(text)\" không phải vai trò; các vai trò: ", en: "--role \"\(text)\" is not a role; the roles: ") + roleList)
    }

    static var people: Command {
        Command(
            "people", tr("Cán bộ, cộng tác viên và cán bộ Ban của mạng lưới (không bao giờ là người dân).", en: "Officials, collaborators and staff of the network (never members of the public)."),
            subcommands: [
                Command(
                    "add", tr("Thêm một người.", en: "Add a person."),
                    options: [
                        .option("name", value: tr("họ tên", en: "full name"), help: tr("Họ và tên (bắt buộc).", en: "Full name (required).")),
                        .option("unit", value: codeValue, help: tr("Đơn vị (bắt buộc).", en: "Their unit (required).")),
                        .option("role", value: tr("vai trò", en: "role"), help: tr("official (cán bộ phụ trách), collaborator (cộng tác viên) hoặc staff (cán bộ Ban) (bắt buộc).", en: "official, collaborator or staff (required).")),
                        .option("phone", value: tr("số", en: "number"), help: tr("Điện thoại, viết kiểu nào cũng được; lưu dạng E.164.", en: "Phone, in any usual Vietnamese form; stored as E.164.")),
                        .option("email", value: tr("địa chỉ", en: "address"), help: tr("Thư điện tử.", en: "E-mail address.")),
                        .option("joined", value: dateValue, help: tr("Ngày tham gia (mặc định hôm nay).", en: "Day they joined (default today).")),
                        .option("allowance", value: tr("đồng", en: "đồng"), help: tr("Phụ cấp mỗi tháng, bằng đồng (như 500.000).", en: "Allowance per month, in đồng.")),
                        .option("notice-lang", value: "vi|en", help: tr("Ngôn ngữ của thông báo họ nhận (mặc định vi).", en: "The language of the notices they receive (default vi).")),
                    ]
                ) { inv in
                    let a = inv.arguments
                    let role = try role(try a.required("role"))
                    let person = Person(
                        fullName: try a.required("name"), unit: try a.required("unit"), role: role, phone: a.value("phone"), email: a.value("email"),
                        joined: try inv.day("joined") ?? Day.today, allowance: try a.integer("allowance"), language: try language(a))
                    let added = try await inv.call(RosterAPI.addPerson, person)
                    inv.output.emit(added) {
                        print(tr("đã thêm #\(added.id ?? 0) \(added.fullName), \(added.role.word) của \(added.unit)", en: "added #\(added.id ?? 0) \(added.fullName), \(added.role.word) of \(added.unit)") + (added.phone.map { ", \($0)" } ?? ""))
                    }
                },
                Command(
                    "list", tr("Liệt kê người.", en: "List people."),
                    options: [
                        .option("unit", value: codeValue, help: tr("Chỉ người của đơn vị này.", en: "Only this unit's.")),
                        .option("role", value: tr("vai trò", en: "role"), help: tr("official, collaborator hoặc staff.", en: "official, collaborator or staff.")),
                        .option("active-on", value: dateValue, help: tr("Chỉ người đang hoạt động vào ngày này.", en: "Only those active on this day.")),
                    ]
                ) { inv in
                    let r = try inv.arguments.value("role").map { text throws(UsageError) in try role(text) }
                    try await printPeople(inv, try await inv.call(RosterAPI.listPeople, ListPeopleRequest(unit: inv.arguments.value("unit"), role: r, activeOn: try inv.day("active-on"))).people)
                },
                Command(
                    "update", tr("Sửa họ tên, liên lạc hoặc ngôn ngữ thông báo của một người.", en: "Change a person's contact details, name or notice language."), arguments: tr("<số>", en: "<id>"),
                    options: [
                        .option("name", value: tr("họ tên", en: "full name"), help: tr("Họ và tên.", en: "Full name.")),
                        .option("phone", value: tr("số", en: "number"), help: tr("Điện thoại (để trống là xóa).", en: "Phone (an empty value removes it).")),
                        .option("email", value: tr("địa chỉ", en: "address"), help: tr("Thư điện tử (để trống là xóa).", en: "E-mail address (an empty value removes it).")),
                        .option("notice-lang", value: "vi|en", help: tr("Ngôn ngữ của thông báo họ nhận.", en: "The language of the notices they receive.")),
                    ]
                ) { inv in
                    let id = try personID(inv, 0)
                    var person = try await inv.call(RosterAPI.getPerson, GetPersonRequest(id: id))
                    let a = inv.arguments
                    if let name = a.value("name") { person.fullName = name }
                    if let phone = a.value("phone") { person.phone = phone.isEmpty ? nil : phone }
                    if let email = a.value("email") { person.email = email.isEmpty ? nil : email }
                    if let lang = try language(a) { person.language = lang }
                    let updated = try await inv.call(RosterAPI.updatePerson, person)
                    inv.output.emit(updated) {
                        let language = updated.language == "en" ? tr("tiếng Anh", en: "English") : tr("tiếng Việt", en: "Vietnamese")
                        print(tr("đã sửa #\(id) \(updated.fullName): \(updated.email ?? "không có email"), \(updated.phone ?? "không có điện thoại"), thông báo bằng \(language)",
                                 en: "updated #\(id) \(updated.fullName): \(updated.email ?? "no e-mail"), \(updated.phone ?? "no phone"), notices in \(language)"))
                    }
                },
                Command("search", tr("Tìm người theo tên, không phân biệt hoa thường và dấu.", en: "Find people by name, ignoring case and diacritics."), arguments: tr("<từ khóa…>", en: "<text…>")) { inv in
                    let text = inv.arguments.positionals.joined(separator: " ")
                    guard !text.isEmpty else { throw UsageError(tr("thiếu <từ khóa>", en: "missing <text>")) }
                    try await printPeople(inv, try await inv.call(RosterAPI.searchPeople, SearchRequest(query: text)).people)
                },
                Command("show", tr("Xem một người.", en: "Show one person."), arguments: tr("<số>", en: "<id>")) { inv in
                    try await printPeople(inv, [try await inv.call(RosterAPI.getPerson, GetPersonRequest(id: try personID(inv, 0)))])
                },
                Command(
                    "leave", tr("Ghi nhận một người rời mạng lưới (nhiệm kỳ phụ trách, nếu có, cũng kết thúc).", en: "Record that a person left (an official's term in charge ends too)."), arguments: tr("<số>", en: "<id>"),
                    options: [.option("on", value: dateValue, help: tr("Ngày rời (mặc định hôm nay).", en: "Day they left (default today)."))]
                ) { inv in
                    let p = try await inv.call(RosterAPI.leave, LeaveRequest(id: try personID(inv, 0), on: try inv.day("on") ?? Day.today))
                    inv.output.emit(p) { print(tr("\(p.fullName) rời \(p.unit) ngày \(p.left?.text ?? "?")", en: "\(p.fullName) left \(p.unit) on \(p.left?.text ?? "?")")) }
                },
            ])
    }

    /// A person's number from the command line.
    static func personID(_ inv: Invocation, _ index: Int, name: String? = nil) throws(UsageError) -> Int {
        let text = try inv.positional(index, name ?? tr("số", en: "id"))
        guard let id = Int(text), id > 0 else {
            throw UsageError(tr("số của một người là số ở cột đầu của `pulse people list`, không phải \"\(text)\"", en: "a person's id is the number from `pulse people list`, not \"\(text)\""))
        }
        return id
    }

    static var assign: Command {
        Command(
            "assign", tr("Giao một cán bộ phụ trách công tác dư luận xã hội của đơn vị (kết thúc nhiệm kỳ trước).", en: "Put an official in charge of a unit's public-opinion work (closes the previous term)."),
            arguments: tr("<đơn-vị> <số-người>", en: "<unit> <person-id>"),
            options: [.option("from", value: dateValue, help: tr("Ngày đầu nhiệm kỳ (mặc định hôm nay).", en: "First day of the term (default today)."))]
        ) { inv in
            let unit = try inv.positional(0, tr("đơn-vị", en: "unit"))
            let person = try personID(inv, 1, name: tr("số-người", en: "person-id"))
            let a = try await inv.call(RosterAPI.assignOfficial, AssignRequest(unit: unit, person: person, from: try inv.day("from") ?? Day.today))
            let unitName = try await Names.units(inv)[a.unit].map { "\($0) (\(a.unit))" } ?? a.unit
            inv.output.emit(a) { print(tr("\(a.personName) (#\(a.person)) phụ trách \(unitName) từ \(a.from.text)", en: "\(a.personName) (#\(a.person)) is in charge of \(unitName) from \(a.from.text)")) }
        }
    }

    static var teams: Command {
        Command(
            "teams", tr("Đội ngũ cộng tác viên so với định mức.", en: "Collaborator teams (đội ngũ cộng tác viên) against their norms."),
            subcommands: [
                Command(
                    "status", tr("Số cộng tác viên đang hoạt động của mỗi đơn vị so với định mức, đội thiếu trước.", en: "Active collaborators per unit against the norm, incomplete teams first."),
                    options: [
                        .flag("missing", help: tr("Chỉ các đơn vị có đội dưới định mức.", en: "Only units whose team is below the norm.")), asOf,
                        .option("kind", value: tr("loại", en: "kind"), help: tr("Loại đơn vị (mặc định xã và phường; lặp lại được).", en: "Kinds of unit (default commune and ward; repeatable)."), repeatable: true),
                    ]
                ) { inv in
                    let status = try await inv.call(RosterAPI.teamStatus, TeamStatusRequest(asOf: try inv.day("as-of"), kinds: try kinds(inv), missingOnly: inv.arguments.has("missing")))
                    inv.output.emit(status) {
                        inv.output.table(
                            [tr("mã", en: "code"), tr("đơn vị", en: "unit"), tr("đang hoạt động", en: "active"), tr("định mức", en: "norm"), tr("đội", en: "team"), tr("cán bộ phụ trách", en: "official in charge")],
                            status.rows.map {
                                [$0.unit, $0.name, inv.output.number($0.active), inv.output.number($0.norm),
                                 $0.complete ? tr("đủ", en: "complete") : tr("thiếu \($0.norm - $0.active)", en: "\($0.norm - $0.active) short"), $0.official ?? tr("— chưa phân công", en: "— none named")]
                            },
                            numeric: [2, 3])
                        let below = status.rows.filter { !$0.complete }.count
                        if inv.arguments.has("missing") {
                            inv.output.note(tr("ngày \(status.asOf.text): \(below) đơn vị dưới định mức", en: "as of \(status.asOf.text): \(LocalFormat.count(below, vi: "", en: "unit")) below the norm"))
                        } else {
                            inv.output.note(tr("ngày \(status.asOf.text): \(below) trên \(status.rows.count) đơn vị dưới định mức", en: "as of \(status.asOf.text): \(below) of \(LocalFormat.count(status.rows.count, vi: "", en: "unit")) below the norm"))
                        }
                    }
                },
                Command("norm", tr("Đặt định mức số cộng tác viên cho một loại đơn vị.", en: "Set the team size norm for a kind of unit."), arguments: tr("<loại> <số-người>", en: "<kind> <size>")) { inv in
                    let kindText = try inv.positional(0, tr("loại", en: "kind"))
                    guard let kind = UnitKind(text: kindText) else {
                        throw UsageError(tr("<loại> \"\(kindText)\" không phải loại đơn vị; các loại: ", en: "<kind> \"\(kindText)\" is not a unit kind; the kinds: ") + kindList)
                    }
                    let sizeText = try inv.positional(1, tr("số-người", en: "size"))
                    guard let size = Int(sizeText), (1...1000).contains(size) else {
                        throw UsageError(tr("<số-người> là số cộng tác viên một \(kind.word) cần có, từ 1 đến 1000; không phải \"\(sizeText)\"", en: "<size> is how many collaborators a \(kind.word) should have, 1 to 1000; not \"\(sizeText)\""))
                    }
                    let n = try await inv.call(RosterAPI.setTeamNorm, TeamNorm(kind: kind, size: size))
                    inv.output.emit(n) { print(tr("định mức cho \(n.kind.word): \(n.size) cộng tác viên", en: "norm for \(n.kind.word): \(LocalFormat.count(n.size, vi: "", en: "collaborator"))")) }
                },
            ])
    }

    static var topics: Command {
        Command(
            "topics", tr("Danh mục chủ đề (mã cố định, nhãn hai thứ tiếng).", en: "The topic taxonomy (stable codes, bilingual labels)."),
            subcommands: [
                Command("list", tr("Liệt kê chủ đề.", en: "List topics."), options: [.flag("all", help: tr("Cả chủ đề đã ngừng dùng.", en: "Include retired topics."))]) { inv in
                    let list = try await inv.call(RosterAPI.listTopics, ListTopicsRequest(includeRetired: inv.arguments.has("all")))
                    inv.output.emit(list.topics) {
                        inv.output.table(
                            inv.output.format == .csv ? ["code", "label_vi", "label_en", "parent", "active"] : [tr("mã", en: "code"), tr("nhãn", en: "Vietnamese label"), tr("nhãn tiếng Anh", en: "label"), tr("thuộc", en: "parent"), tr("trạng thái", en: "state")],
                            list.topics.map { [$0.code, $0.labelVi, $0.labelEn, $0.parent ?? "", inv.output.format == .csv ? ($0.active ? "yes" : "no") : ($0.active ? tr("đang dùng", en: "active") : tr("ngừng dùng", en: "retired"))] })
                    }
                },
                Command(
                    "add", tr("Thêm hoặc sửa một chủ đề.", en: "Add or change a topic."), arguments: tr("<mã>", en: "<code>"),
                    options: [
                        .option("vi", value: tr("nhãn", en: "label"), help: tr("Nhãn tiếng Việt (bắt buộc).", en: "Vietnamese label (required).")),
                        .option("en", value: tr("nhãn", en: "label"), help: tr("Nhãn tiếng Anh (bắt buộc).", en: "English label (required).")),
                        .option("parent", value: codeValue, help: tr("Chủ đề cha.", en: "Parent topic.")), .flag("retire", help: tr("Ngừng dùng chủ đề.", en: "Mark it retired.")),
                    ]
                ) { inv in
                    let t = Topic(
                        code: try inv.positional(0, codeValue), labelVi: try inv.arguments.required("vi"), labelEn: try inv.arguments.required("en"),
                        parent: inv.arguments.value("parent"), active: !inv.arguments.has("retire"))
                    let saved = try await inv.call(RosterAPI.upsertTopic, t)
                    inv.output.emit(saved) { print(tr("chủ đề \(saved.code): \(saved.labelVi) / \(saved.labelEn)", en: "topic \(saved.code): \(saved.labelVi) / \(saved.labelEn)")) }
                },
                AnalyticsCommands.checkTopics,
            ])
    }

    static var tasks: Command {
        Command(
            "tasks", tr("Nhiệm vụ của kế hoạch cho các đơn vị, và ai còn chậm.", en: "The plan's tasks for units and who is behind."),
            subcommands: [
                Command("list", tr("Liệt kê nhiệm vụ của kế hoạch.", en: "List the plan's tasks.")) { inv in
                    let list = try await inv.call(RosterAPI.listTasks, Empty())
                    inv.output.emit(list.tasks) {
                        inv.output.table(
                            [tr("mã", en: "code"), tr("hạn", en: "deadline"), tr("cho", en: "for"), tr("kiểm tra", en: "checked"), tr("nhiệm vụ", en: "task")],
                            list.tasks.map { [$0.code, inv.output.day($0.deadline), $0.kinds.map(\.word).joined(separator: ", "), $0.automatic ?? tr("ghi tay", en: "by hand"), $0.title] })
                    }
                },
                Command(
                    "done", tr("Ghi nhận một đơn vị đã hoàn thành một nhiệm vụ.", en: "Record that a unit completed a task."), arguments: tr("<nhiệm-vụ> <đơn-vị>", en: "<task> <unit>"),
                    options: [.option("on", value: dateValue, help: tr("Ngày hoàn thành (mặc định hôm nay).", en: "Day it was done (default today).")), .option("note", value: tr("ghi chú", en: "text"), help: tr("Ghi chú.", en: "A note."))]
                ) { inv in
                    let row = try await inv.call(
                        RosterAPI.completeTask,
                        CompleteTaskRequest(task: try inv.positional(0, tr("nhiệm-vụ", en: "task")), unit: try inv.positional(1, tr("đơn-vị", en: "unit")), on: try inv.day("on") ?? Day.today, note: inv.arguments.value("note")))
                    inv.output.emit(row) { print(tr("\(row.unitName): \(row.task) \(row.state.word) ngày \(row.completedOn?.text ?? "?")", en: "\(row.unitName): \(row.task) \(row.state.word) on \(row.completedOn?.text ?? "?")")) }
                },
                Command(
                    "status", tr("Từng nhiệm vụ của từng đơn vị, quá hạn trước.", en: "Each task for each unit, overdue first."),
                    options: [
                        asOf, .option("unit", value: codeValue, help: tr("Chỉ đơn vị này.", en: "Only this unit.")), .option("task", value: codeValue, help: tr("Chỉ nhiệm vụ này.", en: "Only this task.")),
                        .flag("pending", help: tr("Chỉ nhiệm vụ chưa xong.", en: "Only tasks not done.")),
                    ]
                ) { inv in
                    let status = try await inv.call(
                        RosterAPI.taskStatus,
                        TaskStatusRequest(asOf: try inv.day("as-of"), unit: inv.arguments.value("unit"), task: inv.arguments.value("task"), pendingOnly: inv.arguments.has("pending")))
                    let titles = inv.output.format == .table ? Dictionary(try await inv.call(RosterAPI.listTasks, Empty()).tasks.map { ($0.code, $0.title) }, uniquingKeysWith: { a, _ in a }) : [:]
                    inv.output.emit(status) {
                        inv.output.table(
                            [tr("trạng thái", en: "state"), tr("hạn", en: "deadline"), tr("nhiệm vụ", en: "task"), tr("đơn vị", en: "unit"), tr("ngày xong", en: "done on"), tr("ghi chú", en: "note")],
                            status.rows.map { [inv.output.format == .csv ? $0.state.rawValue : $0.state.word, inv.output.day($0.deadline), titles[$0.task] ?? $0.task, $0.unitName, inv.output.day($0.completedOn), $0.note ?? ""] })
                        let overdue = status.rows.filter { $0.state == .overdue }.count
                        inv.output.note(tr("ngày \(status.asOf.text): \(overdue) quá hạn trên \(status.rows.count)", en: "as of \(status.asOf.text): \(overdue) overdue of \(status.rows.count)"))
                    }
                },
            ])
    }

    static var network: Command {
        Command("network", tr("Tóm tắt mạng lưới: đơn vị theo loại, cán bộ phụ trách, đội dưới định mức.", en: "A summary of the network: units by kind, officials named, teams below norm."), options: [asOf]) { inv in
            let s = try await inv.call(RosterAPI.summary, AsOfRequest(asOf: try inv.day("as-of")))
            inv.output.emit(s) {
                if inv.output.format == .csv {
                    var rows = UnitKind.allCases.compactMap { k in s.unitsByKind[k.rawValue].map { ["units_\(k.rawValue)", String($0)] } }
                    rows += [["officials_assigned", String(s.officialsAssigned)], ["units_needing_official", String(s.unitsNeedingOfficial)], ["teams_below_norm", String(s.teamsBelowNorm)], ["people", String(s.people)]]
                    return inv.output.table(["measure", "value"], rows)
                }
                printSummary(s)
            }
        }
    }

    static func printSummary(_ s: RosterSummary) {
        print(tr("Mạng lưới ngày \(s.asOf.text):", en: "The network on \(s.asOf.text):"))
        for kind in UnitKind.allCases {
            if let n = s.unitsByKind[kind.rawValue] { print("  \(Output.pad(kind.word, 28)) \(Output.number(n))") }
        }
        print(tr("  cán bộ phụ trách đã phân công: \(s.officialsAssigned); đơn vị còn thiếu: \(s.unitsNeedingOfficial)", en: "  officials in charge named: \(s.officialsAssigned); units still without one: \(s.unitsNeedingOfficial)"))
        print(tr("  đội cộng tác viên xã, phường dưới định mức: \(s.teamsBelowNorm)", en: "  commune and ward teams below their norm: \(s.teamsBelowNorm)"))
        print(tr("  người đang hoạt động trong mạng lưới: \(Output.number(s.people))", en: "  people active in the network: \(Output.number(s.people))"))
    }

    static func language(_ a: ParsedArguments) throws -> String? {
        guard let lang = a.value("notice-lang") else { return nil }
        guard ["vi", "en"].contains(lang) else { throw UsageError(tr("--notice-lang là vi (tiếng Việt) hoặc en (tiếng Anh), không phải \"\(lang)\"", en: "--notice-lang is vi (Vietnamese) or en (English), not \"\(lang)\"")) }
        return lang
    }
}
