import Base
import Foundation
import Localization
import Messages
import RPC
import Store
import Text

/// Roster's data on its SQLite file: every rule of the network is checked here, so the
/// handlers stay thin.
public final class RosterStore: Sendable {
    let queue: DatabaseQueue

    public init(path: String) throws {
        queue = try DatabaseQueue(path: path, migrator: RosterSchema.migrator)
    }

    static let unitColumns = "code, kind, name_vi, name_en, parent, valid_from, valid_to, population, agency"

    /// A unit's predecessors: those it replaced (wholly, or the main part), and those it took a part of.
    struct Lineage {
        var predecessors: [String] = []
        var partOf: [String] = []
    }

    static func unit(_ row: Row, lineage: Lineage) throws -> OrgUnit {
        var unit = try OrgUnit(
            code: row.get(0), kind: UnitKind(rawValue: row.get(1)) ?? .agency, nameVi: row.get(2),
            nameEn: row.get(3, as: String?.self), parent: row.get(4, as: String?.self), validFrom: row.get(5, parsing: Day.init), validTo: row.get(6, parsing: Day.init),
            predecessors: lineage.predecessors, population: row.get(7, as: Int?.self), agency: row.get(8, as: String?.self) ?? "commission")
        unit.partOf = lineage.partOf.isEmpty ? nil : lineage.partOf
        return unit
    }

    static func lineage(_ db: Database, _ code: String) throws -> Lineage {
        var lineage = Lineage()
        for row in try db.query("SELECT predecessor, part FROM unit_predecessors WHERE unit = ? ORDER BY predecessor", [code]) {
            if try row.get(1, as: Int.self) != 0 { lineage.partOf.append(try row.get(0)) } else { lineage.predecessors.append(try row.get(0)) }
        }
        return lineage
    }

    static func loadUnit(_ db: Database, _ code: String) throws -> OrgUnit? {
        guard let row = try db.query("SELECT \(unitColumns) FROM units WHERE code = ?", [code]).first else { return nil }
        return try unit(row, lineage: try lineage(db, code))
    }

    /// All units with their predecessors, in code order.
    static func allUnits(_ db: Database) throws -> [OrgUnit] {
        var lineages: [String: Lineage] = [:]
        for row in try db.query("SELECT unit, predecessor, part FROM unit_predecessors ORDER BY predecessor") {
            if try row.get(2, as: Int.self) != 0 {
                try lineages[row.get(0), default: Lineage()].partOf.append(row.get(1))
            } else {
                try lineages[row.get(0), default: Lineage()].predecessors.append(row.get(1))
            }
        }
        return try db.query("SELECT \(unitColumns) FROM units ORDER BY code").map { try unit($0, lineage: lineages[$0.get(0)] ?? Lineage()) }
    }

    // MARK: Units

    public func unit(_ request: GetUnitRequest) async throws -> OrgUnit {
        let code = request.code.trimmingCharacters(in: .whitespaces)
        return try await queue.read { db in
            guard let unit = try RosterStore.loadUnit(db, code) else {
                throw RPCError(.notFound, tr("code: không có đơn vị \"\(code)\"; tìm theo tên bằng `pulse units search`", en: "code: no unit \"\(code)\"; search by name with `pulse units search`"))
            }
            let successors = try db.query("SELECT unit FROM unit_predecessors WHERE predecessor = ? ORDER BY part, unit", [code]).compactMap { try $0.get(0, as: String?.self) }
            if let day = request.asOf, !unit.isValid(on: day) {
                var message = tr("đơn vị \(code) (\(unit.fullName)) không tồn tại vào ngày \(day.text): hiệu lực từ \(unit.validFrom.text)", en: "unit \(code) (\(unit.fullName)) did not exist on \(day.text): valid from \(unit.validFrom.text)")
                if let to = unit.validTo { message += tr(" đến \(to.text)", en: " until \(to.text)") }
                if !successors.isEmpty { message += tr("; được thay bằng \(successors.joined(separator: ", "))", en: "; succeeded by \(successors.joined(separator: ", "))") }
                let formedFrom = unit.predecessors + (unit.partOf ?? [])
                if !formedFrom.isEmpty && day < unit.validFrom {
                    message += tr("; hình thành từ \(formedFrom.joined(separator: ", "))", en: "; formed from \(formedFrom.joined(separator: ", "))")
                }
                throw RPCError(.notFound, message)
            }
            var shown = unit
            shown.successors = successors.isEmpty ? nil : successors
            return shown
        }
    }

    public func units(_ request: ListUnitsRequest) async throws -> [OrgUnit] {
        try await queue.read { db in
            var units = try RosterStore.allUnits(db)
            if let parent = request.parent {
                guard units.contains(where: { $0.code == parent }) else { throw RPCError(.notFound, tr("parent: không có đơn vị \"\(parent)\"", en: "parent: no unit \"\(parent)\"")) }
                if request.subtree ?? false {
                    let inside = RosterStore.subtree(of: parent, in: units)
                    units = units.filter { inside.contains($0.code) && $0.code != parent }
                } else {
                    units = units.filter { $0.parent == parent }
                }
            }
            if let kinds = request.kinds, !kinds.isEmpty { units = units.filter { kinds.contains($0.kind) } }
            if let day = request.asOf { units = units.filter { $0.isValid(on: day) } }
            return units
        }
    }

    static func subtree(of root: String, in units: [OrgUnit]) -> Set<String> {
        var children: [String: [String]] = [:]
        for u in units { if let p = u.parent { children[p, default: []].append(u.code) } }
        var result: Set<String> = [root]
        var stack = [root]
        while let next = stack.popLast() {
            for child in children[next] ?? [] where result.insert(child).inserted { stack.append(child) }
        }
        return result
    }

    public func isUnder(_ request: IsUnderRequest) async throws -> Bool {
        try await queue.read { db in
            var current: String? = request.unit
            var seen: Set<String> = []
            while let code = current, seen.insert(code).inserted {
                guard let row = try db.query("SELECT parent FROM units WHERE code = ?", [code]).first else {
                    throw RPCError(.notFound, tr("unit: không có đơn vị \"\(code)\"", en: "unit: no unit \"\(code)\""))
                }
                current = try row.get(0, as: String?.self)
                if current == request.ancestor { return true }
            }
            return false
        }
    }

    /// Escapes a user's text for a LIKE pattern (the pattern itself is a bound value).
    static func likePattern(_ folded: String) -> String {
        var out = "%"
        for c in folded {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "%"
    }

    public func searchUnits(_ request: SearchRequest) async throws -> [OrgUnit] {
        let folded = Folding.fold(request.query)
        guard !folded.isEmpty else { throw RPCError(.invalidArgument, tr("query: hãy cho từ cần tìm", en: "query: give some text to search for")) }
        let limit = max(1, min(request.limit ?? 20, 500))
        return try await queue.read { db in
            let rows = try db.query(
                "SELECT \(RosterStore.unitColumns), name_folded FROM units WHERE name_folded LIKE ? ESCAPE '\\' OR code = ?",
                [RosterStore.likePattern(folded), request.query.trimmingCharacters(in: .whitespaces)])
            var scored: [(Int, OrgUnit)] = []
            for row in rows {
                let unit = try RosterStore.unit(row, lineage: try RosterStore.lineage(db, row.get(0)))
                if let day = request.asOf, !unit.isValid(on: day) { continue }
                let name = try row.get(9, as: String?.self) ?? ""
                let score = unit.code == request.query ? 0 : name == folded ? 1 : name.hasPrefix(folded) ? 2 : 3
                scored.append((score, unit))
            }
            scored.sort { ($0.0, $0.1.nameVi) < ($1.0, $1.1.nameVi) }
            return Array(scored.prefix(limit).map(\.1))
        }
    }

    public func upsertUnit(_ unit: OrgUnit) async throws -> OrgUnit {
        let unit = try RosterStore.checked(unit, field: "")
        return try await queue.write { db in
            try db.transaction {
                try RosterStore.checkReferences(db, unit, pending: [:], field: "")
                _ = try RosterStore.save(db, unit)
            }
            return try RosterStore.loadUnit(db, unit.code)!
        }
    }

    /// How far ahead a date may lie: plans (an assignment, a merger) a year ahead, no further.
    static let planningMargin = 366

    /// Refuses a date more than a year after today: "2099" is a typing mistake, not a plan.
    static func checkedDate(_ day: Day?, _ field: String, today: Day = Day.today) throws(RPCError) {
        guard let day else { return }
        let limit = Day(today.startOfDay.addingTimeInterval(Double(planningMargin) * 86_400))
        guard day <= limit else {
            throw RPCError(.invalidArgument, tr("\(field): \(day.text) xa hơn một năm tới; Pulse nhận ngày đến \(limit.text) (một năm kế hoạch)", en: "\(field): \(day) is more than a year ahead; Pulse takes dates up to \(limit) (a year of planning)"))
        }
    }

    /// Refuses text longer than `limit` characters, naming the field and the limit.
    static func checkedLength(_ text: String, _ field: String, _ limit: Int) throws(RPCError) {
        // Counting bytes first keeps a 10 MB "name" from costing a grapheme walk.
        guard text.utf8.count > limit, text.count > limit else { return }
        throw RPCError(.invalidArgument, tr("\(field): \(text.count) ký tự; tối đa \(limit)", en: "\(field): \(text.count) characters; at most \(limit)"))
    }

    /// Refuses text that arrived as invalid UTF-8 (decoded with U+FFFD in its place).
    static func checkedText(_ text: String, _ field: String) throws(RPCError) {
        guard !text.unicodeScalars.contains("\u{FFFD}") else {
            throw RPCError(.invalidArgument, tr("\(field): có byte không phải văn bản UTF-8 (hiện thành �); hãy gõ lại bằng UTF-8", en: "\(field): holds bytes that are not UTF-8 text (shown as �); type it again in UTF-8"))
        }
    }

    static func checked(_ unit: OrgUnit, field: String) throws(RPCError) -> OrgUnit {
        var unit = unit
        unit.successors = nil  // roster's to say, from the other units' predecessors
        if unit.partOf?.isEmpty == true { unit.partOf = nil }
        unit.code = unit.code.trimmingCharacters(in: .whitespaces)
        unit.nameVi = Folding.nfc(unit.nameVi.trimmingCharacters(in: .whitespaces))
        let prefix = field.isEmpty ? "" : field + "."
        try checkedText(unit.nameVi, "\(prefix)nameVi")
        try checkedLength(unit.nameVi, "\(prefix)nameVi", 200)
        if let en = unit.nameEn { try checkedLength(en, "\(prefix)nameEn", 200) }
        // "Xã Thử Nghiệm" as a commune's name is "Thử Nghiệm": the kind is said once, by fullName.
        for kindWord in OrgUnit.namePrefixes[unit.kind] ?? [] where unit.nameVi.lowercased().hasPrefix(kindWord.lowercased() + " ") {
            unit.nameVi = String(unit.nameVi.dropFirst(kindWord.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        try checkedDate(unit.validFrom, "\(prefix)validFrom")
        try checkedDate(unit.validTo, "\(prefix)validTo")
        guard !unit.code.isEmpty, unit.code.count <= 32, !unit.code.contains(where: { $0.isWhitespace || $0 == "," }) else {
            throw RPCError(.invalidArgument, tr("\(prefix)code: mã đơn vị dài 1 đến 32 ký tự, không có dấu cách hay dấu phẩy", en: "\(prefix)code: a unit code is 1 to 32 characters without spaces or commas"))
        }
        guard !unit.nameVi.isEmpty else { throw RPCError(.invalidArgument, tr("\(prefix)nameVi: cần tên tiếng Việt", en: "\(prefix)nameVi: the Vietnamese name is required")) }
        if let to = unit.validTo, to <= unit.validFrom {
            throw RPCError(.invalidArgument, tr("\(prefix)validTo: \(to.text) phải sau validFrom \(unit.validFrom.text)", en: "\(prefix)validTo: \(to) must come after validFrom \(unit.validFrom)"))
        }
        if let p = unit.population, p < 0 { throw RPCError(.invalidArgument, tr("\(prefix)population: không được âm", en: "\(prefix)population: must not be negative")) }
        if unit.parent == unit.code { throw RPCError(.invalidArgument, tr("\(prefix)parent: một đơn vị không thể trực thuộc chính nó", en: "\(prefix)parent: a unit cannot be its own parent")) }
        if unit.predecessors.contains(unit.code) { throw RPCError(.invalidArgument, tr("\(prefix)predecessors: một đơn vị không thể là tiền thân của chính nó", en: "\(prefix)predecessors: a unit cannot precede itself")) }
        return unit
    }

    static func checkReferences(_ db: Database, _ unit: OrgUnit, pending: [String: OrgUnit], field: String) throws {
        let prefix = field.isEmpty ? "" : field + "."
        func exists(_ code: String) throws -> Bool {
            if pending[code] != nil { return true }
            return try db.exists("SELECT 1 FROM units WHERE code = ?", [code])
        }
        if let parent = unit.parent, !(try exists(parent)) {
            throw RPCError(.invalidArgument, tr("\(prefix)parent: không có đơn vị \"\(parent)\"", en: "\(prefix)parent: no unit \"\(parent)\""))
        }
        // A xã or phường sits under the province (or, before 2025, a district), never under another.
        if let parent = unit.parent, unit.kind == .commune || unit.kind == .ward {
            let parentKind = try pending[parent]?.kind.rawValue ?? db.scalar("SELECT kind FROM units WHERE code = ?", [parent], as: String.self)
            if parentKind == UnitKind.commune.rawValue || parentKind == UnitKind.ward.rawValue {
                throw RPCError(.invalidArgument, tr("\(prefix)parent: \(parent) là \(UnitKind(rawValue: parentKind ?? "")?.vietnamese ?? "xã"); xã hay phường không thể trực thuộc một xã, phường khác", en: "\(prefix)parent: \(parent) is a \(UnitKind(rawValue: parentKind ?? "")?.vietnamese ?? "xã"); a xã or phường cannot sit under another"))
            }
        }
        for p in unit.predecessors + (unit.partOf ?? []) where !(try exists(p)) {
            throw RPCError(.invalidArgument, tr("\(prefix)predecessors: không có đơn vị \"\(p)\"", en: "\(prefix)predecessors: no unit \"\(p)\""))
        }
        // The parent chain must not loop back to the unit.
        var current = unit.parent
        var steps = 0
        while let code = current, steps < 10_000 {
            if code == unit.code { throw RPCError(.invalidArgument, "\(prefix)parent: \(unit.parent!) lies under \(unit.code); the tree would loop") }
            current = try pending[code].map { $0.parent } ?? db.scalar("SELECT parent FROM units WHERE code = ?", [code], as: String.self)
            steps += 1
        }
    }

    enum SaveResult { case inserted, updated, unchanged }

    /// Inserts or updates one unit and its predecessors; says which it did.
    static func save(_ db: Database, _ unit: OrgUnit) throws -> SaveResult {
        let existing = try loadUnit(db, unit.code)
        if existing == unit { return .unchanged }
        let values: [any SQLConvertible] = [
            unit.kind.rawValue, unit.nameVi, unit.nameEn, Folding.fold(unit.nameVi), unit.parent, unit.validFrom.description,
            unit.validTo?.description, unit.population, unit.agency, unit.code,
        ]
        if existing == nil {
            try db.run(
                "INSERT INTO units (kind, name_vi, name_en, name_folded, parent, valid_from, valid_to, population, agency, code) VALUES (?,?,?,?,?,?,?,?,?,?)",
                values)
        } else {
            try db.run(
                "UPDATE units SET kind = ?, name_vi = ?, name_en = ?, name_folded = ?, parent = ?, valid_from = ?, valid_to = ?, population = ?, agency = ? WHERE code = ?",
                values)
        }
        if existing?.predecessors != unit.predecessors || existing?.partOf != unit.partOf {
            try db.run("DELETE FROM unit_predecessors WHERE unit = ?", [unit.code])
            for p in unit.predecessors { try db.run("INSERT INTO unit_predecessors (unit, predecessor, part) VALUES (?, ?, 0)", [unit.code, p]) }
            for p in unit.partOf ?? [] { try db.run("INSERT INTO unit_predecessors (unit, predecessor, part) VALUES (?, ?, 1)", [unit.code, p]) }
        }
        return existing == nil ? .inserted : .updated
    }

    // MARK: Import

    /// Imports units from CSV, all or nothing: every bad row is reported with its line number
    /// and then nothing of the file is applied. Importing the same file again changes nothing.
    public func importUnits(_ request: ImportUnitsRequest) async throws -> ImportSummary {
        try await importUnits(try UnitImport.parse(request))
    }

    /// Units numbered by the lines they came from, all or nothing.
    func importUnits(_ units: [(line: Int, unit: OrgUnit)]) async throws -> ImportSummary {
        try await queue.write { db in
            try db.transaction {
                let pending = Dictionary(units.map { ($0.unit.code, $0.unit) }, uniquingKeysWith: { a, _ in a })
                var problems: [String] = []
                for (line, unit) in units {
                    do {
                        try RosterStore.checkReferences(db, unit, pending: pending, field: "")
                    } catch let error as RPCError {
                        problems.append(tr("dòng \(line): \(error.message)", en: "line \(line): \(error.message)"))
                    }
                }
                guard problems.isEmpty else { throw UnitImport.failure(problems) }
                try db.execute("PRAGMA defer_foreign_keys = ON")
                var summary = ImportSummary(inserted: 0, updated: 0, unchanged: 0)
                for (_, unit) in units {
                    switch try RosterStore.save(db, unit) {
                    case .inserted: summary.inserted += 1
                    case .updated: summary.updated += 1
                    case .unchanged: summary.unchanged += 1
                    }
                }
                return summary
            }
        }
    }

    /// Loads the shipped Hà Tĩnh network: the province-level units, the districts, communes,
    /// wards and townships before the 1 July 2025 merger, then the communes and wards after it,
    /// each naming what it was formed from.
    public func importHaTinh() async throws -> ImportSummary {
        let network = try ShippedData.text("ha-tinh-network.csv")
        let communes = try ShippedData.text("ha-tinh-units.csv")
        let history = try MergerHistory(csv: ShippedData.text("ha-tinh-merger-2025.csv"), province: "42")
        let merger = MergerHistory.mergerDay
        let a = try await importUnits(ImportUnitsRequest(csv: network, defaultValidFrom: merger))
        let b = try await importUnits(history.oldUnits.enumerated().map { ($0.offset + 2, $0.element) })
        let new = try UnitImport.parse(ImportUnitsRequest(csv: communes, defaultParent: "42", defaultValidFrom: merger)).map { line, unit in
            (line, history.withLineage(unit))
        }
        let c = try await importUnits(new)
        return ImportSummary(inserted: a.inserted + b.inserted + c.inserted, updated: a.updated + b.updated + c.updated, unchanged: a.unchanged + b.unchanged + c.unchanged)
    }
}

/// The data files that ship inside the roster module.
public enum ShippedData {
    public static func text(_ name: String) throws -> String {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Resources")
            ?? Bundle.module.url(forResource: base, withExtension: ext)
        else { throw RPCError(.internal, "shipped data file \(name) is missing from this build") }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
