import Store

/// Roster's schema, one named migration per version.
enum RosterSchema {
    static var migrator: Migrator {
        var m = Migrator()
        m.register(
            "1 units, people and officials",
            """
            CREATE TABLE units (
                code TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                name_vi TEXT NOT NULL,
                name_en TEXT,
                name_folded TEXT NOT NULL,
                parent TEXT REFERENCES units(code),
                valid_from TEXT NOT NULL,
                valid_to TEXT,
                population INTEGER CHECK (population IS NULL OR population >= 0),
                agency TEXT NOT NULL DEFAULT 'commission',
                CHECK (valid_to IS NULL OR valid_to > valid_from),
                CHECK (parent IS NULL OR parent <> code)
            );
            CREATE INDEX units_parent ON units(parent);
            CREATE TABLE unit_predecessors (
                unit TEXT NOT NULL REFERENCES units(code),
                predecessor TEXT NOT NULL REFERENCES units(code),
                PRIMARY KEY (unit, predecessor)
            );
            CREATE TABLE people (
                id INTEGER PRIMARY KEY,
                full_name TEXT NOT NULL,
                name_folded TEXT NOT NULL,
                unit TEXT NOT NULL REFERENCES units(code),
                role TEXT NOT NULL,
                phone TEXT,
                email TEXT,
                joined TEXT NOT NULL,
                left_on TEXT,
                allowance INTEGER CHECK (allowance IS NULL OR allowance >= 0),
                CHECK (left_on IS NULL OR left_on >= joined)
            );
            CREATE INDEX people_unit ON people(unit);
            CREATE TABLE assignments (
                unit TEXT NOT NULL REFERENCES units(code),
                person INTEGER NOT NULL REFERENCES people(id),
                valid_from TEXT NOT NULL,
                valid_to TEXT,
                PRIMARY KEY (unit, valid_from),
                CHECK (valid_to IS NULL OR valid_to > valid_from)
            );
            CREATE UNIQUE INDEX assignments_one_current ON assignments(unit) WHERE valid_to IS NULL;
            """)
        m.register(
            "2 teams, topics and plan tasks",
            """
            CREATE TABLE team_norms (kind TEXT PRIMARY KEY, size INTEGER NOT NULL CHECK (size >= 0));
            INSERT INTO team_norms (kind, size) VALUES ('commune', 5), ('ward', 5), ('subordinateCommittee', 3), ('front', 3);
            CREATE TABLE topics (
                code TEXT PRIMARY KEY,
                label_vi TEXT NOT NULL,
                label_en TEXT NOT NULL,
                parent TEXT REFERENCES topics(code),
                active INTEGER NOT NULL DEFAULT 1
            );
            INSERT INTO topics (code, label_vi, label_en) VALUES
                ('dat-dai', 'Đất đai, bồi thường, giải phóng mặt bằng', 'Land and compensation'),
                ('gia-ca', 'Giá cả, chi phí sinh hoạt', 'Prices and living costs'),
                ('viec-lam', 'Tiền lương, việc làm', 'Wages and jobs'),
                ('y-te', 'Y tế, chăm sóc sức khỏe', 'Health care'),
                ('giao-duc', 'Giáo dục, đào tạo', 'Education'),
                ('moi-truong', 'Môi trường, ô nhiễm', 'Environment and pollution'),
                ('ha-tang', 'Hạ tầng, giao thông', 'Infrastructure and transport'),
                ('cai-cach-hanh-chinh', 'Cải cách hành chính, sắp xếp đơn vị hành chính', 'Administrative reform and the unit merger'),
                ('tham-nhung', 'Tham nhũng, tiêu cực', 'Corruption and misconduct'),
                ('an-sinh', 'An sinh xã hội', 'Social welfare'),
                ('an-ninh-trat-tu', 'An ninh, trật tự', 'Security and order'),
                ('thien-tai', 'Thiên tai, cứu trợ', 'Disasters and relief'),
                ('ton-giao-dan-toc', 'Tôn giáo, dân tộc', 'Religion and ethnicity'),
                ('doi-ngoai', 'Đối ngoại', 'External affairs');
            CREATE TABLE plan_tasks (
                code TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                kinds TEXT NOT NULL,
                deadline TEXT NOT NULL,
                automatic TEXT CHECK (automatic IS NULL OR automatic IN ('official', 'team'))
            );
            INSERT INTO plan_tasks (code, title, kinds, deadline, automatic) VALUES
                ('hoc-tap-chi-thi-47', 'Học tập, quán triệt Chỉ thị 47-CT/TW và Kế hoạch 387-KH/TU', 'subordinateCommittee,commune,ward,front', '2025-07-31', NULL),
                ('phan-cong-phu-trach', 'Phân công đồng chí ủy viên ban thường vụ phụ trách công tác dư luận xã hội', 'subordinateCommittee,commune,ward,front', '2025-07-31', 'official'),
                ('kien-toan-doi-ngu-ctv', 'Kiện toàn đội ngũ cộng tác viên dư luận xã hội', 'commune,ward', '2025-08-31', 'team'),
                ('dua-vao-van-kien', 'Đưa công tác dư luận xã hội vào văn kiện đại hội', 'subordinateCommittee,commune,ward', '2025-09-30', NULL);
            CREATE TABLE task_completions (
                task TEXT NOT NULL REFERENCES plan_tasks(code),
                unit TEXT NOT NULL REFERENCES units(code),
                completed_on TEXT NOT NULL,
                note TEXT,
                PRIMARY KEY (task, unit)
            );
            """)
        m.register("people's notice language", "ALTER TABLE people ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('vi', 'en'));")
        m.register(
            "a predecessor of which a unit took only a part",
            "ALTER TABLE unit_predecessors ADD COLUMN part INTEGER NOT NULL DEFAULT 0 CHECK (part IN (0, 1));")
        return m
    }
}
