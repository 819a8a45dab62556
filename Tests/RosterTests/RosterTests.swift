import Base
import Foundation
import Localization
import Messages
import RPC
import Store
import TestSupport
import Testing
@testable import Roster


func day(_ s: String) -> Day { Day(s)! }

/// A roster on a fresh SQLite file with Hà Tĩnh loaded.
func haTinhRoster() async throws -> RosterStore {
    let store = try RosterStore(path: temporaryDirectory("roster") + "/roster.sqlite")
    _ = try await store.importHaTinh()
    return store
}


@Suite("Roster units, import and history", .english)
struct RosterUnitTests {
    @Test("the shipped Hà Tĩnh list loads as the province with its 60 communes and 9 wards, and the 12 districts and 209 units before the merger; again, it changes nothing")
    func shipped() async throws {
        let store = try RosterStore(path: temporaryDirectory("roster") + "/r.sqlite")
        let first = try await store.importHaTinh()
        #expect(first.inserted == 74 + 12 + 209)
        let again = try await store.importHaTinh()
        #expect(again == ImportSummary(inserted: 0, updated: 0, unchanged: 74 + 12 + 209))
        let communes = try await store.units(ListUnitsRequest(parent: "42", kinds: [.commune], asOf: day("2025-07-01")))
        let wards = try await store.units(ListUnitsRequest(parent: "42", kinds: [.ward], asOf: day("2025-07-01")))
        #expect(communes.count == 60)
        #expect(wards.count == 9)
        let sen = try await store.unit(GetUnitRequest(code: "18073"))
        #expect(sen.fullName == "Phường Thành Sen")
        #expect(sen.validFrom == day("2025-07-01"))
    }

    @Test("the merger as history: before 1 July 2025 the old units, each new unit formed from them, a split unit's history with its main successor (issue 14, item 12)")
    func shippedMerger() async throws {
        let store = try await haTinhRoster()
        // Before the merger: 12 districts and their 209 communes, wards and townships.
        let before = try await store.units(ListUnitsRequest(asOf: day("2024-05-01")))
        #expect(before.filter { $0.kind == .district }.count == 12)
        #expect(before.filter { [.commune, .ward, .township].contains($0.kind) }.count == 209)
        #expect(before.filter { $0.kind == .township }.count == 14)
        #expect(!before.contains { $0.code == "18073" }, "Phường Thành Sen did not exist yet")
        let namHa = try await store.unit(GetUnitRequest(code: "18073-cu", asOf: day("2024-05-01")))
        #expect(namHa.fullName == "Phường Nam Hà" && namHa.parent == "436" && namHa.successors == ["18073"])
        // Thành Sen: formed from Nam Hà, Bắc Hà, Tân Giang and the main part of Đại Nài.
        let sen = try await store.unit(GetUnitRequest(code: "18073"))
        #expect(sen.predecessors.contains("18073-cu") && sen.predecessors.contains("18077-cu") && sen.predecessors.contains("18082-cu"))
        #expect(sen.partOf == nil)
        // Đại Nài was split: Hà Huy Tập took only a part.
        let hht = try await store.unit(GetUnitRequest(code: "18652"))
        #expect(hht.partOf == ["18082-cu"] && !hht.predecessors.contains("18082-cu"))
        let daiNai = try await store.unit(GetUnitRequest(code: "18082-cu"))
        #expect(daiNai.successors == ["18073", "18652"], "the main successor first")
        // A day after the merger, an old unit is gone and says where it went.
        let gone = await rpcError { _ = try await store.unit(GetUnitRequest(code: "18077-cu", asOf: day("2025-07-01"))) }
        #expect(gone?.message.contains("did not exist on 2025-07-01") == true && gone?.message.contains("succeeded by 18073") == true)
        // Every old unit has exactly one main successor among today's units.
        let today = try await store.units(ListUnitsRequest(asOf: day("2025-07-01")))
        let mains = today.flatMap(\.predecessors)
        #expect(mains.count == 209 && Set(mains).count == 209)
    }

    @Test("a bad import reports every bad row with its line number and applies nothing")
    func badImport() async throws {
        let store = try await haTinhRoster()
        let csv = """
            code,name,kind,parent,population
            90001,Thôn Một,commune,42,1200
            90002,Thôn Hai,thon,42,
            90003,,ward,42,
            90004,Thôn Bốn,commune,99999,
            90001,Trùng,commune,42,
            90006,Thôn Sáu,commune,42,nhiều
            """
        let error = await rpcError { _ = try await store.importUnits(ImportUnitsRequest(csv: csv, defaultValidFrom: day("2025-07-01"))) }
        #expect(error?.code == .invalidArgument)
        let message = error?.message ?? ""
        #expect(message.contains("line 3: kind:"))
        #expect(message.contains("line 4: nameVi:"))
        #expect(message.contains("line 6: code: \"90001\" appears again (first on line 2)"))
        #expect(message.contains("line 7: population:"))
        #expect(try await store.units(ListUnitsRequest()).count == 74 + 12 + 209, "nothing of the file was applied")
        // With only the dangling parent left, that row is reported too, and still nothing lands.
        let dangling = "code,name,kind,parent\n90001,Thôn Một,commune,42\n90004,Thôn Bốn,commune,99999\n"
        let e2 = await rpcError { _ = try await store.importUnits(ImportUnitsRequest(csv: dangling, defaultValidFrom: day("2025-07-01"))) }
        #expect(e2?.message.contains("line 3: parent: no unit \"99999\"") == true)
        #expect(await rpcError { _ = try await store.unit(GetUnitRequest(code: "90001")) }?.code == .notFound)
    }

    @Test("merger history answers which unit this was in 2024")
    func merger() async throws {
        let store = try await haTinhRoster()
        let csv = """
            code,name,kind,parent,valid_from,valid_to
            D436,Huyện Kỳ Anh (cũ),agency,42,2000-01-01,2025-07-01
            X1,Kỳ Tân (cũ),commune,D436,2000-01-01,2025-07-01
            X2,Kỳ Xuân (cũ),commune,D436,2000-01-01,2025-07-01
            """
        _ = try await store.importUnits(ImportUnitsRequest(csv: csv))
        var kyAnh = try await store.unit(GetUnitRequest(code: "18775"))
        kyAnh.predecessors = ["X1", "X2"]
        _ = try await store.upsertUnit(kyAnh)

        let old = try await store.unit(GetUnitRequest(code: "X1", asOf: day("2024-06-01")))
        #expect(old.nameVi == "Kỳ Tân (cũ)")
        let gone = await rpcError { _ = try await store.unit(GetUnitRequest(code: "X1", asOf: day("2025-08-01"))) }
        #expect(gone?.code == .notFound)
        #expect(gone?.message.contains("succeeded by 18775") == true)
        let notYet = await rpcError { _ = try await store.unit(GetUnitRequest(code: "18775", asOf: day("2024-06-01"))) }
        #expect(notYet?.message.contains("formed from X1, X2") == true)
        let in2024 = try await store.units(ListUnitsRequest(asOf: day("2024-06-01"))).map(\.code)
        #expect(Set(in2024).isSuperset(of: ["X1", "X2", "D436"]))
        #expect(!in2024.contains("18775"))
        #expect(try await store.unit(GetUnitRequest(code: "18775")).predecessors == ["X1", "X2"])
    }

    @Test("search ignores case, diacritics and Unicode form", arguments: ["ky anh", "Kỳ Anh", "Kỳ Anh".decomposedStringWithCanonicalMapping, "KỲ ANH", "18775"])
    func search(_ query: String) async throws {
        let store = try await haTinhRoster()
        let found = try await store.searchUnits(SearchRequest(query: query))
        #expect(found.first?.code == "18775", "\(query)")
    }

    @Test("a unit cannot be put under its own subtree")
    func loops() async throws {
        let store = try await haTinhRoster()
        var province = try await store.unit(GetUnitRequest(code: "42"))
        province.parent = "18073"
        #expect(await rpcError { _ = try await store.upsertUnit(province) }?.message.contains("would loop") == true)
    }
}

@Suite("Roster people, officials and teams", .english)
struct RosterPeopleTests {
    @Test("phone numbers in usual forms become E.164; bad ones name the field", arguments: [
        ("0912 345 678", "+84912345678"), ("+84 912345678", "+84912345678"), ("84912345678", "+84912345678"), ("0912.345.678", "+84912345678"),
        ("0239 385 6789", "+842393856789"),
    ])
    func phones(_ input: String, _ expected: String) throws {
        #expect(try Contact.normalisePhone(input) == expected)
    }

    @Test("invalid contacts are clear errors naming the field, and nothing is stored")
    func invalidContacts() async throws {
        let store = try await haTinhRoster()
        for (phone, email, field) in [("12345", nil, "phone:"), ("0912 345 67a", nil, "phone:"), (nil, "khong-phai-email", "email:"), (nil, "a@b", "email:")] as [(String?, String?, String)] {
            let error = await rpcError {
                _ = try await store.addPerson(Person(fullName: "Lê Văn Test", unit: "18073", role: .collaborator, phone: phone, email: email, joined: day("2025-08-01")))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix(field) == true, "\(error?.message ?? "")")
        }
        #expect(try await store.people(ListPeopleRequest()).isEmpty)
    }

    @Test("exactly one official in charge at any date, with the history of terms")
    func oneOfficial() async throws {
        let store = try await haTinhRoster()
        let a = try await store.addPerson(Person(fullName: "Nguyễn Văn An", unit: "18073", role: .official, phone: "0912345678", joined: day("2025-07-01")))
        let b = try await store.addPerson(Person(fullName: "Trần Thị Bình", unit: "18073", role: .official, joined: day("2025-07-01")))
        let c = try await store.addPerson(Person(fullName: "Lê Văn Cường", unit: "18073", role: .collaborator, joined: day("2025-07-01")))
        let other = try await store.addPerson(Person(fullName: "Phạm Văn Dũng", unit: "18100", role: .official, joined: day("2025-07-01")))

        _ = try await store.assign(AssignRequest(unit: "18073", person: a.id!, from: day("2025-07-10")))
        _ = try await store.assign(AssignRequest(unit: "18073", person: b.id!, from: day("2026-01-01")))
        let history = try await store.officialHistory("18073")
        #expect(history.map(\.person) == [a.id!, b.id!])
        #expect(history[0].to == day("2026-01-01"))
        #expect(history[1].to == nil)
        #expect(try await store.currentOfficial(UnitRequest(unit: "18073", asOf: day("2025-12-31"))).person == a.id!)
        #expect(try await store.currentOfficial(UnitRequest(unit: "18073", asOf: day("2026-01-01"))).person == b.id!)

        // A term cannot start inside the current one, a collaborator cannot be in charge, nor another unit's official.
        #expect(await rpcError { _ = try await store.assign(AssignRequest(unit: "18073", person: a.id!, from: day("2025-12-01"))) }?.code == .failedPrecondition)
        #expect(await rpcError { _ = try await store.assign(AssignRequest(unit: "18073", person: c.id!, from: day("2026-03-01"))) }?.message.contains("only an official") == true)
        #expect(await rpcError { _ = try await store.assign(AssignRequest(unit: "18073", person: other.id!, from: day("2026-03-01"))) }?.message.contains("belongs to unit 18100") == true)
        #expect(try await store.officialHistory("18073").count == 2)

        // Leaving ends the term: the unit then has nobody in charge.
        _ = try await store.leave(LeaveRequest(id: b.id!, on: day("2026-06-01")))
        #expect(await rpcError { _ = try await store.currentOfficial(UnitRequest(unit: "18073", asOf: day("2026-06-02"))) }?.code == .notFound)
    }

    @Test("team status counts active collaborators against the norm; --missing lists the incomplete ones")
    func teams() async throws {
        let store = try await haTinhRoster()
        for i in 0..<5 { _ = try await store.addPerson(Person(fullName: "CTV \(i)", unit: "18073", role: .collaborator, joined: day("2025-08-01"))) }
        let leaver = try await store.addPerson(Person(fullName: "CTV rời", unit: "18100", role: .collaborator, joined: day("2025-08-01")))
        _ = try await store.leave(LeaveRequest(id: leaver.id!, on: day("2025-10-01")))
        let status = try await store.teamStatus(TeamStatusRequest(asOf: day("2025-09-01")))
        #expect(status.rows.count == 69)
        #expect(status.rows.first { $0.unit == "18073" }?.complete == true)
        #expect(status.rows.first { $0.unit == "18100" }?.active == 1)
        let later = try await store.teamStatus(TeamStatusRequest(asOf: day("2025-11-01"), missingOnly: true))
        #expect(later.rows.count == 68)
        #expect(later.rows.first { $0.unit == "18100" }?.active == 0)
        _ = try await store.setTeamNorm(TeamNorm(kind: .ward, size: 6))
        #expect(try await store.teamStatus(TeamStatusRequest(asOf: day("2025-11-01"), missingOnly: true)).rows.count == 69)
    }

    @Test("people search ignores diacritics; an unknown unit is an error")
    func people() async throws {
        let store = try await haTinhRoster()
        _ = try await store.addPerson(Person(fullName: "Đặng Thị Hoà", unit: "18133", role: .collaborator, joined: day("2025-08-01")))
        #expect(try await store.searchPeople(SearchRequest(query: "dang thi hoa")).count == 1)
        #expect(await rpcError { _ = try await store.addPerson(Person(fullName: "X", unit: "nope", role: .staff, joined: day("2025-08-01"))) }?.message == "unit: no unit \"nope\"")
    }
}

@Suite("Roster topics and plan tasks", .english)
struct RosterPlanTests {
    @Test("the taxonomy is seeded; topics can be added and retired")
    func topics() async throws {
        let store = try await haTinhRoster()
        let seeded = try await store.topics(includeRetired: false)
        #expect(seeded.count == 14)
        #expect(seeded.contains { $0.code == "dat-dai" && $0.labelEn == "Land and compensation" })
        _ = try await store.upsertTopic(Topic(code: "dat-dai-boi-thuong", labelVi: "Bồi thường đất", labelEn: "Land compensation", parent: "dat-dai"))
        _ = try await store.upsertTopic(Topic(code: "doi-ngoai", labelVi: "Đối ngoại", labelEn: "External affairs", active: false))
        #expect(try await store.topics(includeRetired: false).count == 14)
        #expect(try await store.topics(includeRetired: true).count == 15)
        #expect(await rpcError { _ = try await store.upsertTopic(Topic(code: "Đất Đai", labelVi: "x", labelEn: "x")) }?.message.hasPrefix("code:") == true)
        #expect(await rpcError { _ = try await store.upsertTopic(Topic(code: "x", labelVi: "x", labelEn: "x", parent: "none")) }?.message == "parent: no topic \"none\"")
    }

    @Test("task status: automatic checks from roster's data, manual completions, overdue first")
    func tasks() async throws {
        let store = try await haTinhRoster()
        let official = try await store.addPerson(Person(fullName: "Bí thư A", unit: "18073", role: .official, joined: day("2025-07-01")))
        _ = try await store.assign(AssignRequest(unit: "18073", person: official.id!, from: day("2025-07-20")))
        for i in 0..<5 { _ = try await store.addPerson(Person(fullName: "CTV \(i)", unit: "18073", role: .collaborator, joined: day("2025-09-05"))) }
        _ = try await store.completeTask(CompleteTaskRequest(task: "hoc-tap-chi-thi-47", unit: "18073", on: day("2025-07-25"), note: "Hội nghị quán triệt"))
        #expect(await rpcError { _ = try await store.completeTask(CompleteTaskRequest(task: "phan-cong-phu-trach", unit: "18073", on: day("2025-07-25"))) }?.code == .failedPrecondition)

        let status = try await store.taskStatus(TaskStatusRequest(asOf: day("2025-10-15"), unit: "18073"))
        let byTask = Dictionary(uniqueKeysWithValues: status.rows.map { ($0.task, $0) })
        #expect(byTask["hoc-tap-chi-thi-47"]?.state == .done)
        #expect(byTask["phan-cong-phu-trach"]?.state == .done)
        #expect(byTask["phan-cong-phu-trach"]?.completedOn == day("2025-07-20"))
        #expect(byTask["kien-toan-doi-ngu-ctv"]?.state == .doneLate, "team reached its norm on 5 September, after the August deadline")
        #expect(byTask["kien-toan-doi-ngu-ctv"]?.completedOn == day("2025-09-05"))
        #expect(byTask["dua-vao-van-kien"]?.state == .overdue)
        #expect(status.rows.first?.state == .overdue)

        let everyone = try await store.taskStatus(TaskStatusRequest(asOf: day("2025-08-15"), task: "kien-toan-doi-ngu-ctv", pendingOnly: true))
        #expect(everyone.rows.count == 69)
        #expect(everyone.rows.allSatisfy { $0.state == .pending })
    }
}

@Suite("Roster schema migrations", .english)
struct RosterMigrationTests {
    @Test("an empty file gets every migration; a file at the previous version keeps its data and gains the rest")
    func upgrade() async throws {
        let dir = temporaryDirectory("roster")
        // A file as the previous version left it: only the first migration applied.
        var previous = Migrator()
        previous.register(RosterSchema.migrator.migrations[0].name, RosterSchema.migrator.migrations[0].apply)
        let old = try Database(path: dir + "/r.sqlite")
        try previous.migrate(old)
        try old.run(
            "INSERT INTO units (code, kind, name_vi, name_folded, valid_from) VALUES (?,?,?,?,?)", ["42", "province", "Hà Tĩnh", "ha tinh", "2025-07-01"])
        let store = try RosterStore(path: dir + "/r.sqlite")
        #expect(try await store.unit(GetUnitRequest(code: "42")).nameVi == "Hà Tĩnh")
        #expect(try await store.topics(includeRetired: true).count == 14)
        #expect(try await store.tasks().count == 4)

        let fresh = try RosterStore(path: dir + "/fresh.sqlite")
        #expect(try await fresh.units(ListUnitsRequest()).isEmpty)
        #expect(try await fresh.teamNorms().count == 4)
    }
}

@Suite("Roster over its RPC", .english)
struct RosterRPCTests {
    @Test("a damaged row answers its call with INTERNAL naming the column; the daemon goes on serving the others")
    func damagedRow() async throws {
        let dir = temporaryDirectory("roster-rpc")
        let store = try RosterStore(path: dir + "/roster.sqlite")
        _ = try await store.importHaTinh()
        let server = RPCServer(
            configuration: .init(path: dir + "/roster.sock", serviceName: RosterService.name), router: RosterService.router(store),
            logger: .silent())
        try server.start()
        // Another writer puts something that is not a day where a day belongs.
        let other = try Database(path: dir + "/roster.sqlite")
        try other.run("UPDATE units SET valid_from = 'sometime' WHERE code = ?", ["18073"])

        let client = RPCClient(path: dir + "/roster.sock")
        let damaged = await rpcError { _ = try await client.call(RosterAPI.getUnit, GetUnitRequest(code: "18073")) }
        #expect(damaged?.code == .internal)
        #expect(damaged?.message.contains("column 5 (valid_from) holds text (8 bytes), expected Day") == true, "\(String(describing: damaged))")
        let sound = try await client.call(RosterAPI.getUnit, GetUnitRequest(code: "18100"))
        #expect(sound.code == "18100")
        await server.shutdown()
    }
}


/// Rough edges found by users trying it (issue 14), each kept fixed here.
@Suite("Roster refuses what a user could not have meant", .english)
struct RosterRoughEdgeTests {
    @Test("a name that arrived as invalid UTF-8 is refused, naming the field")
    func invalidUTF8() async throws {
        let store = try await haTinhRoster()
        // What Swift makes of the bytes "Nguy\xffn" on a command line.
        let broken = String(decoding: Array("Nguy".utf8) + [0xFF] + Array("n Văn An".utf8), as: UTF8.self)
        let error = await rpcError { _ = try await store.addPerson(Person(fullName: broken, unit: "18775", role: .official, joined: day("2025-07-01"))) }
        #expect(error?.code == .invalidArgument && error?.message.contains("fullName: holds bytes that are not UTF-8 text") == true, "\(String(describing: error))")
        #expect(try await store.people(ListPeopleRequest()).isEmpty, "nothing stored")
    }

    @Test("dates more than a year ahead are refused for people, assignments, units and completed tasks")
    func farFuture() async throws {
        let store = try await haTinhRoster()
        let far = day("2099-01-01")
        let joined = await rpcError { _ = try await store.addPerson(Person(fullName: "Trần Văn Bình", unit: "18775", role: .official, joined: far)) }
        #expect(joined?.message.contains("joined: 2099-01-01 is more than a year ahead") == true, "\(String(describing: joined))")
        let person = try await store.addPerson(Person(fullName: "Trần Văn Bình", unit: "18775", role: .official, joined: day("2025-07-01")))
        let assigned = await rpcError { _ = try await store.assign(AssignRequest(unit: "18775", person: person.id!, from: far)) }
        #expect(assigned?.message.contains("from: 2099-01-01 is more than a year ahead") == true, "\(String(describing: assigned))")
        let unit = await rpcError { _ = try await store.upsertUnit(OrgUnit(code: "99001", kind: .commune, nameVi: "Thử", parent: "42", validFrom: far)) }
        #expect(unit?.message.contains("validFrom: 2099-01-01 is more than a year ahead") == true, "\(String(describing: unit))")
        let task = await rpcError { _ = try await store.completeTask(CompleteTaskRequest(task: "hoc-tap-chi-thi-47", unit: "18775", on: far)) }
        #expect(task?.message.contains("on: 2099-01-01 is after today") == true, "\(String(describing: task))")
        // A plan a few months ahead is fine.
        let soon = Day(Date().addingTimeInterval(90 * 86_400))
        #expect(try await store.assign(AssignRequest(unit: "18775", person: person.id!, from: soon)).from == soon)
    }

    @Test("\"Xã Thử Nghiệm\" is stored as Thử Nghiệm and shown once as Xã Thử Nghiệm; a xã under a xã is refused")
    func namesAndTree() async throws {
        let store = try await haTinhRoster()
        let saved = try await store.upsertUnit(OrgUnit(code: "99002", kind: .commune, nameVi: "Xã Thử Nghiệm", parent: "42", validFrom: day("2025-07-01")))
        #expect(saved.nameVi == "Thử Nghiệm" && saved.fullName == "Xã Thử Nghiệm")
        let nested = await rpcError { _ = try await store.upsertUnit(OrgUnit(code: "99003", kind: .commune, nameVi: "Con", parent: "99002", validFrom: day("2025-07-01"))) }
        #expect(nested?.message.contains("parent: 99002 is a xã; a xã or phường cannot sit under another") == true, "\(String(describing: nested))")
    }
}

@Suite("Team norms", .english)
struct TeamNormTests {
    @Test("a norm of 0 or less is refused: it would count every unit complete")
    func zero() async throws {
        let store = try await haTinhRoster()
        for size in [0, -2] {
            let error = await rpcError { _ = try await store.setTeamNorm(TeamNorm(kind: .ward, size: size)) }
            #expect(error?.code == .invalidArgument && error?.message.contains("give 1 to 1000 collaborators") == true)
        }
        #expect(try await store.setTeamNorm(TeamNorm(kind: .ward, size: 5)).size == 5)
    }
}

@Suite("Length limits", .english)
struct LengthLimitTests {
    @Test("a 40,000-character name is refused at once with the limit, whatever else is right")
    func longName() async throws {
        let store = try await haTinhRoster()
        let start = ContinuousClock.now
        let error = await rpcError { _ = try await store.addPerson(Person(fullName: String(repeating: "Nguyễn ", count: 6000), unit: "18775", role: .official, joined: day("2025-07-01"))) }
        #expect(error?.message.contains("fullName: 41999 characters; at most 200") == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - start < .seconds(2))
        let unit = await rpcError { _ = try await store.upsertUnit(OrgUnit(code: "99004", kind: .commune, nameVi: String(repeating: "a", count: 500), parent: "42", validFrom: day("2025-07-01"))) }
        #expect(unit?.message.contains("nameVi: 500 characters; at most 200") == true)
    }
}

@Suite("Roster in the caller's language")
struct RosterLanguageTests {
    @Test("a refusal is in Vietnamese unless the caller asked for English, with the same field named")
    func vietnameseFirst() async throws {
        let store = try await haTinhRoster()
        let person = Person(fullName: "X", unit: "nope", role: .staff, joined: day("2025-08-01"))
        let vietnamese = await rpcError { _ = try await store.addPerson(person) }
        #expect(vietnamese?.message == "unit: không có đơn vị \"nope\"")
        let english = await Language.$current.withValue(.en) { await rpcError { _ = try await store.addPerson(person) } }
        #expect(english?.message == "unit: no unit \"nope\"")
    }
}
