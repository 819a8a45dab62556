import Feeds
import Store

enum AnalyticsSchema {
    /// The items as each month's deadline left them: those of a version received before it
    /// and not replaced since (`at_deadline`), and those that a later correction replaced,
    /// kept in `deadline_items`. A unit's month is in one of the two, never both. (Until
    /// migration 5 every such item was copied into `deadline_items`; those copies still count.)
    static let deadlineItems = "SELECT unit, period, topic, prevalence, assessed, computed, summary FROM items WHERE at_deadline = 1 UNION ALL SELECT unit, period, topic, prevalence, assessed, computed, summary FROM deadline_items"

    static var migrator: Migrator {
        var m = Migrator()
        m.register(
            "1 feed cursor, units and report versions",
            """
            \(FeedCursors.schema)
            CREATE TABLE units (
                code TEXT PRIMARY KEY, parent TEXT, kind TEXT NOT NULL, name TEXT NOT NULL,
                valid_from TEXT NOT NULL, valid_to TEXT, population INTEGER
            );
            CREATE TABLE report_versions (
                unit TEXT NOT NULL, period TEXT NOT NULL, version INTEGER NOT NULL,
                received_at REAL NOT NULL, items INTEGER NOT NULL,
                PRIMARY KEY (unit, period, version)
            );
            """)
        m.register(
            "2 items, full-text index, spikes and survey responses",
            """
            CREATE INDEX report_versions_period ON report_versions(period);
            CREATE TABLE items (
                id INTEGER PRIMARY KEY,
                unit TEXT NOT NULL, period TEXT NOT NULL, topic TEXT NOT NULL,
                prevalence INTEGER NOT NULL, trend TEXT NOT NULL,
                assessed REAL NOT NULL, computed REAL NOT NULL,
                summary TEXT NOT NULL
            );
            CREATE INDEX items_unit_period ON items(unit, period);
            CREATE INDEX items_topic_period ON items(topic, period);
            CREATE VIRTUAL TABLE items_fts USING fts5(folded, tokenize = 'unicode61');
            CREATE TABLE spikes (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                topic TEXT NOT NULL, unit TEXT NOT NULL, period TEXT NOT NULL,
                items INTEGER NOT NULL, baseline REAL NOT NULL, p_value REAL NOT NULL, strength REAL NOT NULL, intensity REAL NOT NULL,
                UNIQUE (topic, unit, period)
            );
            CREATE TABLE survey_responses (survey INTEGER NOT NULL, unit TEXT NOT NULL, day TEXT NOT NULL);
            CREATE INDEX survey_responses_unit ON survey_responses(unit, day);
            """)
        m.register(
            "3 items as of each month's deadline, for partner agencies",
            """
            CREATE TABLE deadline_items (
                unit TEXT NOT NULL, period TEXT NOT NULL, topic TEXT NOT NULL,
                prevalence INTEGER NOT NULL, assessed REAL NOT NULL, computed REAL NOT NULL, summary TEXT NOT NULL
            );
            CREATE INDEX deadline_items_unit_period ON deadline_items(unit, period);
            CREATE INDEX deadline_items_topic_period ON deadline_items(topic, period);
            INSERT INTO deadline_items (unit, period, topic, prevalence, assessed, computed, summary)
                SELECT unit, period, topic, prevalence, assessed, computed, summary FROM items;
            """)
        m.register(
            "4 the commission's latest review of each report",
            """
            CREATE TABLE reviews (
                unit TEXT NOT NULL,
                period TEXT NOT NULL,
                version INTEGER NOT NULL,
                state TEXT NOT NULL,
                at REAL NOT NULL,
                PRIMARY KEY (unit, period)
            );
            """)
        m.register(
            "5 on-time items marked rather than copied",
            """
            ALTER TABLE items ADD COLUMN at_deadline INTEGER NOT NULL DEFAULT 0;
            """)
        return m
    }
}
