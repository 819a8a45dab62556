import Base
import Foundation
import TestSupport
import Testing
@testable import Store


private var sampleMigrator: Migrator {
    var m = Migrator()
    m.register("1 things", "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, size INTEGER CHECK (size >= 0))")
    return m
}

@Suite("Store over SQLite")
struct StoreTests {
    @Test("a connection runs in WAL mode with synchronous=FULL and foreign keys on")
    func pragmas() throws {
        let db = try Database(path: temporaryDirectory("store") + "/a.sqlite")
        #expect(try db.scalar("PRAGMA journal_mode", as: String.self) == "wal")
        #expect(try db.scalar("PRAGMA synchronous", as: Int.self) == 2)
        #expect(try db.scalar("PRAGMA foreign_keys", as: Int.self) == 1)
    }

    @Test("migrations run once, in order, and are recorded")
    func migrations() throws {
        let path = temporaryDirectory("store") + "/m.sqlite"
        var m = sampleMigrator
        let db = try Database(path: path)
        #expect(try m.migrate(db) == ["1 things"])
        #expect(try m.migrate(db) == [])
        try db.run("INSERT INTO things (name, size) VALUES (?, ?)", ["kept", 1])
        m.register("2 colour", "ALTER TABLE things ADD COLUMN colour TEXT")
        #expect(try m.migrate(db) == ["2 colour"])
        #expect(try db.scalar("SELECT name FROM things", as: String.self) == "kept")
        #expect(try db.query("SELECT name FROM pulse_migrations ORDER BY name").map { try $0.get(0, as: String.self) } == ["1 things", "2 colour"])
    }

    @Test("a transaction that throws leaves nothing behind; the first error wins")
    func rollback() throws {
        let db = try Database(path: temporaryDirectory("store") + "/t.sqlite")
        try sampleMigrator.migrate(db)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.run("INSERT INTO things (name) VALUES (?)", ["a"])
                throw Boom()
            }
        }
        #expect(try db.scalar("SELECT count(*) FROM things", as: Int.self) == 0)
        // A nested failure rolls back to its savepoint only.
        try db.transaction {
            try db.run("INSERT INTO things (name) VALUES (?)", ["outer"])
            _ = try? db.transaction { () throws -> Void in
                try db.run("INSERT INTO things (name) VALUES (?)", ["inner"])
                throw Boom()
            }
        }
        #expect(try db.query("SELECT name FROM things").map { try $0.get(0, as: String.self) } == ["outer"])
    }

    @Test("SQLite errors map to RPC status codes, without bound values")
    func errorMapping() throws {
        let db = try Database(path: temporaryDirectory("store") + "/e.sqlite")
        try sampleMigrator.migrate(db)
        try db.run("INSERT INTO things (name) VALUES (?)", ["secret-value"])
        do {
            try db.run("INSERT INTO things (name) VALUES (?)", ["secret-value"])
            Issue.record("duplicate accepted")
        } catch let error as DatabaseError {
            #expect(error.rpcError.code == .alreadyExists)
            #expect(!error.description.contains("secret-value"))
        }
        do {
            try db.run("INSERT INTO things (name, size) VALUES (?, ?)", ["b", -1])
        } catch let error as DatabaseError {
            #expect(error.rpcError.code == .failedPrecondition)
        }
        #expect(DatabaseError(code: ResultCode(13), message: "", sql: nil).rpcError.code == .resourceExhausted)
        #expect(DatabaseError(code: ResultCode(11), message: "", sql: nil).rpcError.code == .dataLoss)
    }

    @Test("a damaged file is DATA_LOSS, and the integrity check finds nothing wrong in a sound one")
    func corruption() throws {
        let dir = temporaryDirectory("store")
        let db = try Database(path: dir + "/ok.sqlite")
        try sampleMigrator.migrate(db)
        #expect(try db.integrityCheck() == [])
        _ = FileManager.default.createFile(atPath: dir + "/bad.sqlite", contents: Data(repeating: 0x5A, count: 8192))
        do {
            _ = try Database(path: dir + "/bad.sqlite")
            Issue.record("opened garbage")
        } catch let error as DatabaseError {
            #expect(error.rpcError.code == .dataLoss)
        }
    }

    @Test("the online backup copies a live database")
    func backup() async throws {
        let dir = temporaryDirectory("store")
        let queue = try DatabaseQueue(path: dir + "/live.sqlite", migrator: sampleMigrator)
        for i in 0..<100 { _ = try await queue.write { try $0.run("INSERT INTO things (name, size) VALUES (?, ?)", ["n\(i)", i]) } }
        try await queue.backup(to: dir + "/copy.sqlite")
        let copy = try Database(path: dir + "/copy.sqlite")
        #expect(try copy.scalar("SELECT count(*) FROM things", as: Int.self) == 100)
        #expect(try copy.integrityCheck() == [])
    }

    @Test("group commit: concurrent writes share transactions, each is durable, a failing one fails alone")
    func groupCommit() async throws {
        let dir = temporaryDirectory("store")
        let queue = try DatabaseQueue(path: dir + "/g.sqlite", migrator: sampleMigrator)
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<400 {
                group.addTask {
                    do {
                        // Every 50th write breaks the UNIQUE rule with the one before it.
                        let name = i % 50 == 49 ? "n\(i - 1)" : "n\(i)"
                        _ = try await queue.writeGrouped { try $0.run("INSERT INTO things (name, size) VALUES (?, ?)", [name, i]) }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        let ok = results.filter { $0 }.count
        #expect(ok == 392)
        let stats = queue.groupCommitStatistics
        #expect(stats.writes == 400)
        #expect(stats.transactions < 400, "writes were batched (\(stats.transactions) transactions)")
        // A fresh connection sees exactly the acknowledged rows.
        let reader = try Database(path: dir + "/g.sqlite")
        #expect(try reader.scalar("SELECT count(*) FROM things", as: Int.self) == ok)
    }

    @Test("the write-ahead log is copied back beside the writer and then started over, so it stays short")
    func checkpointsBesideTheWriter() async throws {
        let dir = temporaryDirectory("store")
        let path = dir + "/wal.sqlite"
        let queue = try DatabaseQueue(path: path, migrator: sampleMigrator)
        let filler = String(repeating: "dư luận ", count: 400)  // some 4 KB a row, and as much again in the index
        for round in 0..<10 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<300 {
                    let n = round * 300 + i
                    group.addTask { _ = try await queue.writeGrouped { try $0.run("INSERT INTO things (name, size) VALUES (?, ?)", [filler + "\(n)", n]) } }
                }
                try await group.waitForAll()
            }
        }
        let size = { (file: String) in ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0 }
        // Some 6,000 pages were written; never copied back, the log would hold them all.
        #expect(size(path) > 20 << 20, "the database file holds the rows: \(size(path)) bytes")
        #expect(size(path + "-wal") < 3 * Checkpointer.threshold * 4096, "log: \(size(path + "-wal")) bytes")
        #expect(queue.checkpointer.completed > 0)
        let reader = try Database(path: path)
        #expect(try reader.scalar("SELECT count(*) FROM things", as: Int.self) == 3000)
        #expect(try reader.integrityCheck() == [])
    }

    @Test("the gathered log writes keep big transactions, rolled-back ones and a reopened file exactly right")
    func bufferedLogWrites() async throws {
        let dir = temporaryDirectory("store")
        let path = dir + "/big.sqlite"
        let blob = String(repeating: "bồi thường ", count: 300)
        do {
            let queue = try DatabaseQueue(path: path, migrator: sampleMigrator)
            // Some 12 MB in one transaction: more than the buffer holds, and more than SQLite's
            // page cache, so it spills frames before the commit.
            try await queue.write { db in
                try db.transaction { for i in 0..<3000 { _ = try db.run("INSERT INTO things (name, size) VALUES (?, ?)", [blob + "\(i)", i]) } }
            }
            // As big again, rolled back: its spilled frames must never be read as data.
            await #expect(throws: DatabaseError.self) {
                try await queue.write { db in
                    try db.transaction {
                        for i in 3000..<6000 { _ = try db.run("INSERT INTO things (name, size) VALUES (?, ?)", [blob + "\(i)", i]) }
                        _ = try db.run("INSERT INTO things (name, size) VALUES (?, ?)", ["negative", -1])  // CHECK fails
                    }
                }
            }
            _ = try await queue.writeGrouped { try $0.run("INSERT INTO things (name, size) VALUES (?, ?)", ["after", 7]) }
            let seen = try await queue.read { try ($0.scalar("SELECT count(*) FROM things", as: Int.self), $0.scalar("SELECT sum(size) FROM things", as: Int.self)) }
            #expect(seen.0 == 3001)
            #expect(seen.1 == (0..<3000).reduce(0, +) + 7)
        }
        // A fresh connection, once the queue is gone, reads the same from the file.
        let reopened = try Database(path: path)
        #expect(try reopened.scalar("SELECT count(*) FROM things", as: Int.self) == 3001)
        #expect(try reopened.scalar("SELECT count(*) FROM things WHERE size >= 3000", as: Int.self) == 0)
        #expect(try reopened.integrityCheck() == [])
    }

    @Test("typed reads give each column as its type, and a value of another type is an error naming the column, never a crash")
    func typedReads() throws {
        let db = try Database(path: temporaryDirectory("store") + "/typed.sqlite")
        try sampleMigrator.migrate(db)
        try db.run("INSERT INTO things (name, size) VALUES (?, ?)", ["sound", 3])
        try db.run("INSERT INTO things (name, size) VALUES (?, ?)", ["empty", SQLValue.null])
        // SQLite's flexible typing lets another writer (or a damaged file) put text in an INTEGER column.
        try db.run("INSERT INTO things (name, size) VALUES (?, ?)", ["damaged", "lots"])
        let rows = try db.query("SELECT id, name, size FROM things ORDER BY id")

        #expect(try rows[0].get(1, as: String.self) == "sound")
        #expect(try rows[0].get("size", as: Int.self) == 3)
        #expect(try rows[0].get("size", as: Double.self) == 3.0, "an integer reads as a number")
        #expect(try rows[1].get("size", as: Int?.self) == nil, "NULL in a nullable read is nil")
        let length: Int = try rows[0].get(1, parsing: { $0.count })
        #expect(length == 5)

        func failure(_ body: () throws -> Void) -> DatabaseError? {
            do { try body() } catch let error as DatabaseError { return error } catch { Issue.record("\(error)") }
            return nil
        }
        let null = failure { _ = try rows[1].get("size", as: Int.self) }
        #expect(null?.code == .mismatch)
        #expect(null?.message == "column 2 (size) holds NULL, expected an integer")
        let text = failure { _ = try rows[2].get(2, as: Int?.self) }
        #expect(text?.message == "column 2 (size) holds text (4 bytes), expected an integer", "the kind and size, never the stored text")
        let unparsable = failure { let _: Int = try rows[2].get(2, parsing: { Int($0) }) }
        #expect(unparsable?.message == "column 2 (size) holds text (4 bytes), expected Int")
        let missing = failure { _ = try rows[0].get("colour", as: String.self) }
        #expect(missing?.code == .range)
        #expect(missing?.message.contains("no column colour (it has id, name, size)") == true)
        let outside = failure { _ = try rows[0].get(7, as: String.self) }
        #expect(outside?.message == "the result has no column 7 (it has 3)")
        #expect(null?.rpcError.code == .internal, "a caller is answered INTERNAL, naming the column")
        #expect(null?.rpcError.message.contains("column 2 (size)") == true)

        #expect(try db.scalar("SELECT size FROM things WHERE name = 'empty'", as: Int.self) == nil)
        #expect(try db.scalar("SELECT size FROM things WHERE name = 'none'", as: Int.self) == nil)
        #expect(throws: DatabaseError.self) { try db.scalar("SELECT size FROM things WHERE name = 'damaged'", as: Int.self) }
        #expect(try db.exists("SELECT 1 FROM things WHERE name = ?", ["sound"]))
        #expect(try !db.exists("SELECT 1 FROM things WHERE name = ?", ["none"]))
    }
}
