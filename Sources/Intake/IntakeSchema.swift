import Store

enum IntakeSchema {
    static func migrator(secret: [UInt8]) -> Migrator {
        var m = Migrator()
        m.register(
            "1 reports, submissions and the change feed",
            """
            CREATE TABLE reports (
                id INTEGER PRIMARY KEY,
                unit TEXT NOT NULL,
                period TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                submitter INTEGER NOT NULL,
                assessment TEXT NOT NULL,
                items BLOB NOT NULL,
                item_count INTEGER NOT NULL,
                received_at REAL NOT NULL,
                timeliness TEXT NOT NULL,
                UNIQUE (unit, period, version)
            );
            CREATE TABLE submissions (
                idempotency_key TEXT PRIMARY KEY,
                content_hash TEXT NOT NULL,
                report_id INTEGER NOT NULL REFERENCES reports(id),
                scrubbed BLOB NOT NULL
            );
            CREATE TABLE changes (
                cursor INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                report_id INTEGER REFERENCES reports(id),
                survey_id INTEGER,
                response_id INTEGER
            );
            """)
        m.register(
            "2 surveys and anonymous responses",
            """
            CREATE TABLE surveys (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL,
                questions BLOB NOT NULL,
                target_units TEXT NOT NULL,
                opens TEXT NOT NULL,
                closes TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'draft'
            );
            CREATE TABLE responses (
                id INTEGER PRIMARY KEY,
                survey INTEGER NOT NULL REFERENCES surveys(id),
                unit TEXT NOT NULL,
                day TEXT NOT NULL,
                answers BLOB NOT NULL
            );
            CREATE INDEX responses_survey ON responses(survey);
            """)
        m.register("3 idempotency keys kept only as keyed digests") { db in
            // Keys were stored as given; some were phone numbers or e-mail addresses.
            let rows = try db.query("SELECT s.rowid, s.idempotency_key, r.unit FROM submissions s JOIN reports r ON r.id = s.report_id").map {
                try ($0.get(0, as: Int64.self), $0.get(1, as: String.self), $0.get(2, as: String.self))
            }
            for (rowid, key, unit) in rows {
                try db.run("UPDATE submissions SET idempotency_key = ? WHERE rowid = ?", [ReportValidation.keyDigest(unit: unit, key: key, secret: secret), rowid])
            }
        }
        m.register("4 survey quota", "ALTER TABLE surveys ADD COLUMN quota INTEGER CHECK (quota IS NULL OR quota > 0);")
        m.register(
            "5 the commission's reviews of reports",
            """
            CREATE TABLE reviews (
                id INTEGER PRIMARY KEY,
                unit TEXT NOT NULL,
                period TEXT NOT NULL,
                version INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('received', 'returned')),
                reason TEXT,
                at REAL NOT NULL
            );
            CREATE INDEX reviews_unit_period ON reviews(unit, period);
            ALTER TABLE changes ADD COLUMN review_id INTEGER REFERENCES reviews(id);
            """)
        return m
    }
}
