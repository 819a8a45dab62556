import Base
import Foundation
import Localization
import Messages
import RPC
import Store
import Text

extension RosterStore {
    static let personColumns = "id, full_name, unit, role, phone, email, joined, left_on, allowance, language"

    static func person(_ row: Row) throws -> Person {
        try Person(
            id: row.get(0, as: Int?.self), fullName: row.get(1), unit: row.get(2), role: PersonRole(rawValue: row.get(3)) ?? .collaborator,
            phone: row.get(4, as: String?.self), email: row.get(5, as: String?.self), joined: row.get(6, parsing: Day.init), left: row.get(7, parsing: Day.init),
            allowance: row.get(8, as: Int?.self), language: row.get(9, as: String?.self))
    }

    static func loadPerson(_ db: Database, _ id: Int) throws -> Person? {
        try db.query("SELECT \(personColumns) FROM people WHERE id = ?", [id]).first.map(person)
    }

    /// Checks a person's fields and normalises name, phone and e-mail.
    static func checked(_ person: Person) throws(RPCError) -> Person {
        var p = person
        p.fullName = Folding.nfc(p.fullName.trimmingCharacters(in: .whitespaces))
        guard !p.fullName.isEmpty else { throw RPCError(.invalidArgument, tr("fullName: cần họ tên của người này", en: "fullName: the person's name is required")) }
        try checkedText(p.fullName, "fullName")
        try checkedLength(p.fullName, "fullName", 200)
        try checkedDate(p.joined, "joined")
        try checkedDate(p.left, "left")
        if let phone = p.phone?.trimmingCharacters(in: .whitespaces), !phone.isEmpty {
            p.phone = try Contact.normalisePhone(phone)
        } else {
            p.phone = nil
        }
        if let email = p.email?.trimmingCharacters(in: .whitespaces), !email.isEmpty {
            p.email = try Contact.normaliseEmail(email)
        } else {
            p.email = nil
        }
        if let language = p.language {
            guard ["vi", "en"].contains(language) else {
                throw RPCError(.invalidArgument, tr("language: \"\(language.prefix(20))\" không phải ngôn ngữ Pulse viết; dùng vi (tiếng Việt) hoặc en (tiếng Anh)", en: "language: \"\(language.prefix(20))\" is not one Pulse writes; use vi (Vietnamese) or en (English)"))
            }
        }
        if let a = p.allowance, a < 0 { throw RPCError(.invalidArgument, tr("allowance: không được âm", en: "allowance: must not be negative")) }
        if let left = p.left, left < p.joined {
            throw RPCError(.invalidArgument, tr("left: \(left.text) trước ngày tham gia \(p.joined.text)", en: "left: \(left) is before joined \(p.joined)"))
        }
        return p
    }

    static func requireUnit(_ db: Database, _ code: String, validOn day: Day, field: String) throws -> OrgUnit {
        guard let unit = try loadUnit(db, code) else { throw RPCError(.invalidArgument, tr("\(field): không có đơn vị \"\(code)\"", en: "\(field): no unit \"\(code)\"")) }
        guard unit.isValid(on: day) else {
            throw RPCError(.failedPrecondition, tr("\(field): đơn vị \(code) (\(unit.fullName)) chưa tồn tại vào ngày \(day.text)", en: "\(field): unit \(code) (\(unit.fullName)) did not exist on \(day)"))
        }
        return unit
    }

    public func addPerson(_ person: Person) async throws -> Person {
        let p = try RosterStore.checked(person)
        return try await queue.write { db in
            try db.transaction {
                _ = try RosterStore.requireUnit(db, p.unit, validOn: p.joined, field: "unit")
                try db.run(
                    "INSERT INTO people (full_name, name_folded, unit, role, phone, email, joined, left_on, allowance, language) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [p.fullName, Folding.fold(p.fullName), p.unit, p.role.rawValue, p.phone, p.email, p.joined.description, p.left?.description, p.allowance, p.language])
                return try RosterStore.loadPerson(db, Int(db.lastInsertRowID))!
            }
        }
    }

    public func updatePerson(_ person: Person) async throws -> Person {
        guard let id = person.id else { throw RPCError(.invalidArgument, tr("id: hãy cho biết sửa người nào", en: "id: say which person to update")) }
        let p = try RosterStore.checked(person)
        return try await queue.write { db in
            try db.transaction {
                guard try RosterStore.loadPerson(db, id) != nil else { throw RPCError(.notFound, tr("id: không có người số \(id)", en: "id: no person \(id)")) }
                _ = try RosterStore.requireUnit(db, p.unit, validOn: p.joined, field: "unit")
                try db.run(
                    "UPDATE people SET full_name = ?, name_folded = ?, unit = ?, role = ?, phone = ?, email = ?, joined = ?, left_on = ?, allowance = ?, language = ? WHERE id = ?",
                    [p.fullName, Folding.fold(p.fullName), p.unit, p.role.rawValue, p.phone, p.email, p.joined.description, p.left?.description, p.allowance, p.language, id])
                return try RosterStore.loadPerson(db, id)!
            }
        }
    }

    public func person(_ id: Int) async throws -> Person {
        try await queue.read { db in
            guard let p = try RosterStore.loadPerson(db, id) else { throw RPCError(.notFound, tr("id: không có người số \(id)", en: "id: no person \(id)")) }
            return p
        }
    }

    public func people(_ request: ListPeopleRequest) async throws -> [Person] {
        try await queue.read { db in
            var people = try db.query("SELECT \(RosterStore.personColumns) FROM people ORDER BY unit, full_name").map(RosterStore.person)
            if let unit = request.unit {
                guard try db.exists("SELECT 1 FROM units WHERE code = ?", [unit]) else {
                    throw RPCError(.notFound, tr("unit: không có đơn vị \"\(unit)\"; tìm theo tên bằng `pulse units search`", en: "unit: no unit \"\(unit)\"; search by name with `pulse units search`"))
                }
                people = people.filter { $0.unit == unit }
            }
            if let role = request.role { people = people.filter { $0.role == role } }
            if let day = request.activeOn { people = people.filter { $0.isActive(on: day) } }
            return people
        }
    }

    public func searchPeople(_ request: SearchRequest) async throws -> [Person] {
        let folded = Folding.fold(request.query)
        guard !folded.isEmpty else { throw RPCError(.invalidArgument, tr("query: hãy cho từ cần tìm", en: "query: give some text to search for")) }
        let limit = max(1, min(request.limit ?? 20, 500))
        return try await queue.read { db in
            try db.query(
                "SELECT \(RosterStore.personColumns) FROM people WHERE name_folded LIKE ? ESCAPE '\\' ORDER BY full_name LIMIT ?",
                [RosterStore.likePattern(folded), limit]
            ).map(RosterStore.person)
        }
    }

    /// Records that a person left on a day; an official's term in charge ends that day too.
    public func leave(_ request: LeaveRequest) async throws -> Person {
        try await queue.write { db in
            try db.transaction {
                guard let p = try RosterStore.loadPerson(db, request.id) else { throw RPCError(.notFound, tr("id: không có người số \(request.id)", en: "id: no person \(request.id)")) }
                if let left = p.left { throw RPCError(.failedPrecondition, tr("người số \(request.id) (\(p.fullName)) đã rời ngày \(left.text)", en: "person \(request.id) (\(p.fullName)) already left on \(left)")) }
                guard request.on >= p.joined else { throw RPCError(.invalidArgument, tr("on: \(request.on.text) trước ngày họ tham gia \(p.joined.text)", en: "on: \(request.on) is before they joined on \(p.joined)")) }
                try db.run("UPDATE people SET left_on = ? WHERE id = ?", [request.on.description, request.id])
                try db.run(
                    "UPDATE assignments SET valid_to = ? WHERE person = ? AND valid_to IS NULL AND valid_from < ?",
                    [request.on.description, request.id, request.on.description])
                try db.run("DELETE FROM assignments WHERE person = ? AND valid_to IS NULL AND valid_from >= ?", [request.id, request.on.description])
                return try RosterStore.loadPerson(db, request.id)!
            }
        }
    }

    // MARK: Officials in charge

    static let assignmentQuery = "SELECT a.unit, a.person, p.full_name, a.valid_from, a.valid_to FROM assignments a JOIN people p ON p.id = a.person"

    static func assignment(_ row: Row) throws -> Assignment {
        try Assignment(unit: row.get(0), person: row.get(1), personName: row.get(2), from: row.get(3, parsing: Day.init), to: row.get(4, parsing: Day.init))
    }

    static func assignments(_ db: Database, unit: String) throws -> [Assignment] {
        try db.query(assignmentQuery + " WHERE a.unit = ? ORDER BY a.valid_from", [unit]).map(assignment)
    }

    /// Puts a person in charge of a unit's public-opinion work from a day. The previous
    /// official's term ends that day, so exactly one is in charge at any date.
    public func assign(_ request: AssignRequest) async throws -> Assignment {
        try RosterStore.checkedDate(request.from, "from")
        return try await queue.write { db in
            try db.transaction {
                let unit = try RosterStore.requireUnit(db, request.unit, validOn: request.from, field: "unit")
                guard let person = try RosterStore.loadPerson(db, request.person) else {
                    throw RPCError(.invalidArgument, tr("person: không có người số \(request.person)", en: "person: no person \(request.person)"))
                }
                guard person.unit == unit.code else {
                    throw RPCError(.failedPrecondition, tr("person: \(person.fullName) thuộc đơn vị \(person.unit), không phải \(unit.code)", en: "person: \(person.fullName) belongs to unit \(person.unit), not \(unit.code)"))
                }
                guard person.role == .official else {
                    throw RPCError(.failedPrecondition, tr("person: \(person.fullName) là \(person.role.word); chỉ cán bộ phụ trách (ủy viên ban thường vụ) mới được giao phụ trách", en: "person: \(person.fullName) is a \(person.role.rawValue); only an official (ủy viên ban thường vụ) can be put in charge"))
                }
                guard person.isActive(on: request.from) else {
                    let span = "joined \(person.joined)" + (person.left.map { ", left \($0)" } ?? "")
                    throw RPCError(.failedPrecondition, tr("person: \(person.fullName) không hoạt động vào ngày \(request.from.text) (\(span)); hãy cho --from trong khoảng thời gian đó", en: "person: \(person.fullName) is not active on \(request.from) (\(span)); give a --from within that time"))
                }
                let history = try RosterStore.assignments(db, unit: unit.code)
                if let current = history.last(where: { $0.to == nil }) {
                    if current.person == person.id { return current }
                    guard request.from > current.from else {
                        throw RPCError(.failedPrecondition, tr("from: nhiệm kỳ hiện tại (\(current.personName)) bắt đầu ngày \(current.from.text); nhiệm kỳ mới phải bắt đầu sau đó", en: "from: the current term (\(current.personName)) began on \(current.from); a new one must begin after it"))
                    }
                    try db.run("UPDATE assignments SET valid_to = ? WHERE unit = ? AND valid_to IS NULL", [request.from.description, unit.code])
                } else if let last = history.last, let to = last.to, request.from < to {
                    throw RPCError(.failedPrecondition, tr("from: \(last.personName) phụ trách đến \(to.text); nhiệm kỳ mới phải bắt đầu từ ngày đó trở đi", en: "from: \(last.personName) was in charge until \(to); a new term must begin on or after it"))
                }
                try db.run("INSERT INTO assignments (unit, person, valid_from) VALUES (?, ?, ?)", [unit.code, request.person, request.from.description])
                return Assignment(unit: unit.code, person: request.person, personName: person.fullName, from: request.from, to: nil)
            }
        }
    }

    /// Every term of every unit's official in charge, by unit and start.
    public func allAssignments() async throws -> [Assignment] {
        try await queue.read { db in
            try db.query(RosterStore.assignmentQuery + " ORDER BY a.unit, a.valid_from").map(RosterStore.assignment)
        }
    }

    public func officialHistory(_ unit: String) async throws -> [Assignment] {
        try await queue.read { db in
            guard try RosterStore.loadUnit(db, unit) != nil else { throw RPCError(.notFound, tr("unit: không có đơn vị \"\(unit)\"", en: "unit: no unit \"\(unit)\"")) }
            return try RosterStore.assignments(db, unit: unit)
        }
    }

    public func currentOfficial(_ request: UnitRequest) async throws -> Assignment {
        let day = request.asOf ?? Day.today
        let history = try await officialHistory(request.unit)
        guard let term = history.first(where: { $0.from <= day && ($0.to.map { day < $0 } ?? true) }) else {
            throw RPCError(.notFound, tr("không có cán bộ nào phụ trách \(request.unit) vào ngày \(day.text)", en: "no official was in charge of \(request.unit) on \(day)"))
        }
        return term
    }
}
