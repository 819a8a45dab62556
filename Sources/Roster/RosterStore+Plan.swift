import Base
import Foundation
import Localization
import Messages
import RPC
import Store
import Text

extension RosterStore {
    // MARK: Teams

    static func norms(_ db: Database) throws -> [UnitKind: Int] {
        var norms: [UnitKind: Int] = [:]
        for row in try db.query("SELECT kind, size FROM team_norms") {
            if let k = try UnitKind(rawValue: row.get(0)) { norms[k] = try row.get(1) }
        }
        return norms
    }

    public func setTeamNorm(_ norm: TeamNorm) async throws -> TeamNorm {
        // A norm of 0 would count every unit complete ("4 of 0"): at least one collaborator.
        guard norm.size >= 1, norm.size <= 1000 else { throw RPCError(.invalidArgument, tr("size: \(norm.size) không phải định mức đội; hãy cho từ 1 đến 1000 cộng tác viên", en: "size: \(norm.size) is not a team norm; give 1 to 1000 collaborators")) }
        return try await queue.write { db in
            try db.run("INSERT INTO team_norms (kind, size) VALUES (?, ?) ON CONFLICT(kind) DO UPDATE SET size = excluded.size", [norm.kind.rawValue, norm.size])
            return norm
        }
    }

    public func teamNorms() async throws -> [TeamNorm] {
        try await queue.read { db in
            try RosterStore.norms(db).map { TeamNorm(kind: $0.key, size: $0.value) }.sorted { $0.kind.rawValue < $1.kind.rawValue }
        }
    }

    /// The network as it stood on a day: units, people and terms, read in one go.
    struct Snapshot {
        var units: [OrgUnit]
        var people: [Person]
        var terms: [String: [Assignment]]
        var norms: [UnitKind: Int]

        func collaborators(of unit: String, on day: Day) -> [Person] {
            people.filter { $0.unit == unit && $0.role == .collaborator && $0.isActive(on: day) }
        }

        func official(of unit: String, on day: Day) -> Assignment? {
            terms[unit]?.first { $0.from <= day && ($0.to.map { day < $0 } ?? true) }
        }

        /// The first day the team reached its norm and stayed there until `day`, if it did.
        func teamCompleteSince(_ unit: OrgUnit, on day: Day) -> Day? {
            let norm = norms[unit.kind] ?? 0
            let members = people.filter { $0.unit == unit.code && $0.role == .collaborator }
            guard collaborators(of: unit.code, on: day).count >= norm else { return nil }
            let candidates = Set(members.map(\.joined) + members.compactMap(\.left) + [unit.validFrom]).filter { $0 <= day }.sorted()
            var since: Day?
            for candidate in candidates {
                let complete = members.filter { $0.isActive(on: candidate) }.count >= norm
                if complete { if since == nil { since = candidate } } else { since = nil }
            }
            return since
        }
    }

    static func snapshot(_ db: Database) throws -> Snapshot {
        var terms: [String: [Assignment]] = [:]
        for term in try db.query(assignmentQuery + " ORDER BY a.valid_from").map(assignment) {
            terms[term.unit, default: []].append(term)
        }
        return Snapshot(
            units: try allUnits(db), people: try db.query("SELECT \(personColumns) FROM people").map(person), terms: terms, norms: try norms(db))
    }

    public func teamStatus(_ request: TeamStatusRequest) async throws -> TeamStatus {
        let day = request.asOf ?? Day.today
        let kinds = request.kinds?.isEmpty == false ? request.kinds! : [.commune, .ward]
        return try await queue.read { db in
            let snap = try RosterStore.snapshot(db)
            var rows: [TeamStatusRow] = []
            for unit in snap.units where kinds.contains(unit.kind) && unit.isValid(on: day) {
                let row = TeamStatusRow(
                    unit: unit.code, name: unit.fullName, kind: unit.kind, active: snap.collaborators(of: unit.code, on: day).count,
                    norm: snap.norms[unit.kind] ?? 0, official: snap.official(of: unit.code, on: day)?.personName)
                if request.missingOnly ?? false, row.complete { continue }
                rows.append(row)
            }
            rows.sort { ($0.complete ? 1 : 0, $0.active - $0.norm, Folding.fold($0.name)) < ($1.complete ? 1 : 0, $1.active - $1.norm, Folding.fold($1.name)) }
            return TeamStatus(asOf: day, rows: rows)
        }
    }

    // MARK: Topics

    public func topics(includeRetired: Bool) async throws -> [Topic] {
        try await queue.read { db in
            try db.query("SELECT code, label_vi, label_en, parent, active FROM topics ORDER BY code").map {
                try Topic(code: $0.get(0), labelVi: $0.get(1), labelEn: $0.get(2), parent: $0.get(3, as: String?.self), active: $0.get(4, as: Int?.self) == 1)
            }.filter { includeRetired || $0.active }
        }
    }

    public func upsertTopic(_ topic: Topic) async throws -> Topic {
        var t = topic
        t.code = t.code.trimmingCharacters(in: .whitespaces)
        t.labelVi = Folding.nfc(t.labelVi.trimmingCharacters(in: .whitespaces))
        t.labelEn = t.labelEn.trimmingCharacters(in: .whitespaces)
        guard !t.code.isEmpty, t.code.count <= 48, t.code.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) else {
            throw RPCError(.invalidArgument, tr("code: mã chủ đề gồm chữ thường ASCII, chữ số và gạch nối, như dat-dai", en: "code: a topic code is lowercase ASCII letters, digits and hyphens, like dat-dai"))
        }
        guard !t.labelVi.isEmpty else { throw RPCError(.invalidArgument, tr("labelVi: cần nhãn tiếng Việt", en: "labelVi: the Vietnamese label is required")) }
        try RosterStore.checkedLength(t.labelVi, "labelVi", 200)
        try RosterStore.checkedLength(t.labelEn, "labelEn", 200)
        guard !t.labelEn.isEmpty else { throw RPCError(.invalidArgument, tr("labelEn: cần nhãn tiếng Anh", en: "labelEn: the English label is required")) }
        if t.parent == t.code { throw RPCError(.invalidArgument, tr("parent: một chủ đề không thể là cha của chính nó", en: "parent: a topic cannot be its own parent")) }
        let checked = t
        return try await queue.write { db in
            if let parent = checked.parent, try !db.exists("SELECT 1 FROM topics WHERE code = ?", [parent]) {
                throw RPCError(.invalidArgument, tr("parent: không có chủ đề \"\(parent)\"", en: "parent: no topic \"\(parent)\""))
            }
            try db.run(
                "INSERT INTO topics (code, label_vi, label_en, parent, active) VALUES (?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET label_vi = excluded.label_vi, label_en = excluded.label_en, parent = excluded.parent, active = excluded.active",
                [checked.code, checked.labelVi, checked.labelEn, checked.parent, checked.active])
            return checked
        }
    }

    // MARK: Plan tasks

    static func tasks(_ db: Database) throws -> [PlanTask] {
        try db.query("SELECT code, title, kinds, deadline, automatic FROM plan_tasks ORDER BY deadline, code").map {
            try PlanTask(
                code: $0.get(0), title: $0.get(1), kinds: $0.get(2, as: String.self).split(separator: ",").compactMap { UnitKind(rawValue: String($0)) },
                deadline: $0.get(3, parsing: Day.init), automatic: $0.get(4, as: String?.self))
        }
    }

    public func tasks() async throws -> [PlanTask] {
        try await queue.read { try RosterStore.tasks($0) }
    }

    public func upsertTask(_ task: PlanTask) async throws -> PlanTask {
        guard !task.code.isEmpty, task.code.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) else {
            throw RPCError(.invalidArgument, tr("code: mã nhiệm vụ gồm chữ thường ASCII, chữ số và gạch nối", en: "code: a task code is lowercase ASCII letters, digits and hyphens"))
        }
        guard !task.title.trimmingCharacters(in: .whitespaces).isEmpty else { throw RPCError(.invalidArgument, tr("title: bắt buộc", en: "title: required")) }
        guard !task.kinds.isEmpty else { throw RPCError(.invalidArgument, tr("kinds: hãy nêu các loại đơn vị phải làm", en: "kinds: name the kinds of unit that must do it")) }
        if let a = task.automatic, a != "official", a != "team" {
            throw RPCError(.invalidArgument, tr("automatic: \"\(a)\" không phải phép kiểm tra roster làm được (official, team)", en: "automatic: \"\(a)\" is not a check roster can make (official, team)"))
        }
        return try await queue.write { db in
            try db.run(
                "INSERT INTO plan_tasks (code, title, kinds, deadline, automatic) VALUES (?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET title = excluded.title, kinds = excluded.kinds, deadline = excluded.deadline, automatic = excluded.automatic",
                [task.code, Scrubber.scrub(Folding.nfc(task.title)).text, task.kinds.map(\.rawValue).joined(separator: ","), task.deadline.description, task.automatic])
            return task
        }
    }

    public func completeTask(_ request: CompleteTaskRequest) async throws -> TaskStatusRow {
        // Done means done by now.
        guard request.on <= Day.today else {
            throw RPCError(.invalidArgument, tr("on: \(request.on.text) là sau hôm nay; nhiệm vụ được ghi xong vào ngày nó được làm xong", en: "on: \(request.on) is after today; a task is marked done on the day it was done"))
        }
        return try await queue.write { db in
            guard let task = try RosterStore.tasks(db).first(where: { $0.code == request.task }) else {
                throw RPCError(.notFound, tr("task: không có nhiệm vụ \"\(request.task)\"; xem `pulse tasks list`", en: "task: no plan task \"\(request.task)\"; see `pulse tasks list`"))
            }
            if let automatic = task.automatic {
                throw RPCError(.failedPrecondition, tr("task: \(task.code) được kiểm tra từ dữ liệu của roster (\(automatic)); không ghi tay được", en: "task: \(task.code) is checked from roster's own data (\(automatic)); it cannot be marked by hand"))
            }
            let unit = try RosterStore.requireUnit(db, request.unit, validOn: request.on, field: "unit")
            guard task.kinds.contains(unit.kind) else {
                throw RPCError(.failedPrecondition, tr("unit: \(unit.fullName) là \(unit.kind.word); nhiệm vụ \(task.code) dành cho \(task.kinds.map(\.word).joined(separator: ", "))", en: "unit: \(unit.fullName) is a \(unit.kind.rawValue); task \(task.code) is for \(task.kinds.map(\.rawValue).joined(separator: ", "))"))
            }
            if let note = request.note { try RosterStore.checkedLength(note, "note", 2000) }
            let note = request.note.map { Scrubber.scrub(Folding.nfc($0)).text }
            try db.run(
                "INSERT INTO task_completions (task, unit, completed_on, note) VALUES (?,?,?,?) ON CONFLICT(task, unit) DO UPDATE SET completed_on = excluded.completed_on, note = excluded.note",
                [task.code, unit.code, request.on.description, note])
            return TaskStatusRow(
                task: task.code, unit: unit.code, unitName: unit.fullName, deadline: task.deadline,
                state: request.on <= task.deadline ? .done : .doneLate, completedOn: request.on, note: note, automatic: false)
        }
    }

    /// Every task for every unit it applies to, overdue first.
    public func taskStatus(_ request: TaskStatusRequest) async throws -> TaskStatus {
        let day = request.asOf ?? Day.today
        return try await queue.read { db in
            let snap = try RosterStore.snapshot(db)
            var completions: [String: (Day, String?)] = [:]
            for row in try db.query("SELECT task, unit, completed_on, note FROM task_completions") {
                let key = try row.get(0, as: String.self) + "\u{1}" + row.get(1, as: String.self)
                completions[key] = try (row.get(2, parsing: Day.init), row.get(3, as: String?.self))
            }
            var rows: [TaskStatusRow] = []
            for task in try RosterStore.tasks(db) where request.task == nil || request.task == task.code {
                for unit in snap.units where task.kinds.contains(unit.kind) && unit.isValid(on: day) {
                    if let only = request.unit, only != unit.code { continue }
                    var completedOn: Day?
                    var note: String?
                    switch task.automatic {
                    case "official":
                        if snap.official(of: unit.code, on: day) != nil {
                            completedOn = snap.terms[unit.code]?.first(where: { $0.from <= day })?.from
                        }
                    case "team":
                        completedOn = snap.teamCompleteSince(unit, on: day)
                        if completedOn == nil {
                            note = "\(snap.collaborators(of: unit.code, on: day).count) of \(snap.norms[unit.kind] ?? 0) collaborators"
                        }
                    default:
                        if let (on, n) = completions[task.code + "\u{1}" + unit.code], on <= day {
                            completedOn = on
                            note = n
                        }
                    }
                    let state: TaskState
                    if let on = completedOn {
                        state = on <= task.deadline ? .done : .doneLate
                    } else {
                        state = day > task.deadline ? .overdue : .pending
                    }
                    if request.pendingOnly ?? false, state == .done || state == .doneLate { continue }
                    rows.append(
                        TaskStatusRow(
                            task: task.code, unit: unit.code, unitName: unit.fullName, deadline: task.deadline, state: state,
                            completedOn: completedOn, note: note, automatic: task.automatic != nil))
                }
            }
            let order: [TaskState: Int] = [.overdue: 0, .pending: 1, .doneLate: 2, .done: 3]
            rows.sort { (order[$0.state]!, $0.deadline, Folding.fold($0.unitName)) < (order[$1.state]!, $1.deadline, Folding.fold($1.unitName)) }
            return TaskStatus(asOf: day, rows: rows)
        }
    }

    public func summary(asOf: Day?) async throws -> RosterSummary {
        let day = asOf ?? Day.today
        return try await queue.read { db in
            let snap = try RosterStore.snapshot(db)
            let valid = snap.units.filter { $0.isValid(on: day) }
            var byKind: [String: Int] = [:]
            for u in valid { byKind[u.kind.rawValue, default: 0] += 1 }
            let needing: [UnitKind] = [.subordinateCommittee, .commune, .ward, .front]
            let inScope = valid.filter { needing.contains($0.kind) }
            let assigned = inScope.filter { snap.official(of: $0.code, on: day) != nil }.count
            let teamed = valid.filter { ($0.kind == .commune || $0.kind == .ward) }
            let below = teamed.filter { snap.collaborators(of: $0.code, on: day).count < (snap.norms[$0.kind] ?? 0) }.count
            return RosterSummary(
                asOf: day, unitsByKind: byKind, officialsAssigned: assigned, unitsNeedingOfficial: inScope.count - assigned,
                teamsBelowNorm: below, people: snap.people.filter { $0.isActive(on: day) }.count)
        }
    }
}
