import Store

enum AnalyticsSchema {
    static var migrator: Migrator {
        var m = Migrator()
        m.register(
            "1 feed cursor, units and report versions",
            """
            CREATE TABLE feed_cursor (name TEXT PRIMARY KEY, cursor INTEGER NOT NULL);
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
        return m
    }
}
