import Store

enum IntakeSchema {
    static var migrator: Migrator {
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
        return m
    }
}
