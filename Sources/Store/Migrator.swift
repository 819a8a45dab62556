/// Named schema migrations, applied forward only, each in its own transaction, and recorded
/// in `pulse_migrations` so each runs once.
public struct Migrator: Sendable {
    public struct Migration: Sendable {
        public var name: String
        public var apply: @Sendable (Database) throws -> Void
    }

    public private(set) var migrations: [Migration] = []

    public init() {}

    public mutating func register(_ name: String, _ sql: String) {
        precondition(!migrations.contains { $0.name == name }, "migration \(name) registered twice")
        migrations.append(Migration(name: name) { try $0.execute(sql) })
    }

    /// A migration that changes rows, not only the schema: `body` runs in the migration's
    /// transaction.
    public mutating func register(_ name: String, _ body: @escaping @Sendable (Database) throws -> Void) {
        precondition(!migrations.contains { $0.name == name }, "migration \(name) registered twice")
        migrations.append(Migration(name: name, apply: body))
    }

    /// Applies what is missing; returns the names applied now.
    @discardableResult
    public func migrate(_ db: Database) throws -> [String] {
        try db.execute("CREATE TABLE IF NOT EXISTS pulse_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        let done = Set(try db.query("SELECT name FROM pulse_migrations").map { try $0.get(0, as: String.self) })
        var applied: [String] = []
        for migration in migrations where !done.contains(migration.name) {
            try db.transaction {
                try migration.apply(db)
                try db.run("INSERT INTO pulse_migrations (name, applied_at) VALUES (?, datetime('now'))", [migration.name])
            }
            applied.append(migration.name)
        }
        return applied
    }
}
