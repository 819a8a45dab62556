import Base
import Foundation
import Privacy
import Store
import Text

enum PrivacyBench {
    /// `pulse privacy scan` over a store of `megabytes` of scrubbed report text: SQLite pages,
    /// a full-text index and a write-ahead log, as analytics keeps them.
    static func run(megabytes: Int) throws {
        let directory = NSTemporaryDirectory() + "pulse-bench-scan-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["PULSE_BENCH_KEEP"] == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let db = try Database(path: directory + "/analytics.sqlite")
        try db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, unit TEXT, period TEXT, summary TEXT); CREATE VIRTUAL TABLE items_fts USING fts5(folded)")
        let texts = [
            "Người dân xã Cẩm Bình phản ánh mức hỗ trợ 150.000.000 đồng theo Quyết định 2871/QĐ-UBND là thấp; liên hệ [số điện thoại].",
            "Bà con thôn Trung đề nghị nâng cấp tuyến ĐT.549 đoạn Km 12+300, đã có 1.234 hộ ký đơn ngày 15/11/2026, CCCD [số định danh].",
            "Tình hình an ninh trật tự cơ bản ổn định; đường dây nóng 1900 9095 và hatinh.gov.vn tiếp nhận 37 ý kiến về giá điện.",
        ]
        let target = megabytes << 20
        var written = 0
        var id = 0
        let buildStart = ContinuousClock.now
        while written < target {
            try db.transaction {
                for _ in 0..<5_000 {
                    let text = texts[id % texts.count] + " (\(id))"
                    try db.run("INSERT INTO items (id, unit, period, summary) VALUES (?,?,?,?)", [id, String(18_000 + id % 1000), String(format: "2026-%02d", id % 12 + 1), text])
                    try db.run("INSERT INTO items_fts (rowid, folded) VALUES (?, ?)", [id, Folding.fold(text)])
                    id += 1
                }
            }
            written = (fileSize(atPath: directory + "/analytics.sqlite") ?? 0) + (fileSize(atPath: directory + "/analytics.sqlite-wal") ?? 0)
        }
        let built = (ContinuousClock.now - buildStart).inSeconds
        let report = try PrivacyScan(directory: directory).run()
        let rate = Double(report.bytes) / 1_048_576 / report.seconds
        print("pulse privacy scan over a store of \(format(Double(report.bytes) / 1_048_576)) MB (\(id) items and their full-text index; built in \(format(built, decimals: 1)) s):")
        print("  \(format(report.seconds, decimals: 2)) s, \(format(rate)) MB/s; \(report.findings.count) findings (expected 0)")
    }
}
