import Foundation
import Privacy
import Store
import Testing

@Suite("Privacy: no identifier of the public at rest", .serialized)
struct PrivacyTests {
    /// Identifiers in the forms people write them, one per field a person can fill in.
    static let identifiers = [
        "0912 345 678", "042.095.012.345", "(0239) 3855 123", "nva [at] gmail [dot] com", "facebook.com/nguyen.van.an",
        "01668 123 456", "０４２０９５０１２３４５", "STK 3701 2051 23456", "hộ chiếu C1234567", "MST 3001234567",
    ]

    static func currentPeriod() -> String {
        let d = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, from: Date())
        return String(format: "%04d-%02d", d.year!, d.month!)
    }

    static func today() -> String {
        let d = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, from: Date())
        return String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!)
    }

    @Test("identifiers sent in every free-text field never reach disk; text an older scrubber let through is found, rescrubbed in place, and gone from the files and their logs")
    func atRest() async throws {
        let stack = try await Stack.withTwoOfficials()
        let inputs = NSTemporaryDirectory() + "pulse-privacy-inputs-\(getpid())"
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: inputs) }
        let ids = Self.identifiers
        let period = Self.currentPeriod()

        // A report with an identifier in every text field, and a phone number as its idempotency key.
        let report = """
            {"unit": "18073", "period": "\(period)", "submitter": 1, "assessment": "Tổng hợp: liên hệ \(ids[0])",
             "idempotencyKey": "0987654321",
             "items": [{"topic": "dat-dai", "summary": "Ông A, CCCD \(ids[1]), phản ánh; bà B gọi \(ids[2]), nhà ông C \(ids[6])", "prevalence": "some", "trend": "stable",
                        "sentiment": -1, "channels": [], "localities": [], "proposal": "Gửi \(ids[3]) và xem \(ids[4])"}]}
            """
        try report.write(toFile: inputs + "/report.json", atomically: true, encoding: .utf8)
        let submitted = try await stack.pulse(["report", "submit", inputs + "/report.json", "--json"])
        #expect(submitted.status == 0, "\(submitted.stderr)")

        // A survey whose wording, free-text answers and paper import all carry identifiers.
        let survey = """
            {"title": "Khảo sát (liên hệ \(ids[5]))", "questions": [
              {"code": "q1", "text": "Ý kiến khác? Gọi \(ids[0]) nếu cần", "kind": "freeText"},
              {"code": "q2", "text": "Hài lòng?", "kind": "singleChoice", "options": ["Có", "Không"]}],
             "targetUnits": ["18073"], "opens": "2025-07-01", "closes": "2099-12-31"}
            """
        try survey.write(toFile: inputs + "/survey.json", atomically: true, encoding: .utf8)
        let created = try await stack.pulse(["survey", "create", inputs + "/survey.json", "--json"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try await stack.pulse(["survey", "open", "1"]).status == 0)
        let response = "{\"unit\": \"18073\", \"day\": \"\(Self.today())\", \"answers\": [{\"question\": \"q1\", \"text\": \"Tôi là D, \(ids[7]), \(ids[8])\"}, {\"question\": \"q2\", \"choices\": [\"Có\"]}]}"
        try response.write(toFile: inputs + "/response.json", atomically: true, encoding: .utf8)
        let responded = try await stack.pulse(["survey", "respond", "1", inputs + "/response.json"])
        #expect(responded.status == 0, "\(responded.stderr)")
        try "unit,day,q1,q2\n18073,\(Self.today()),\"Anh E \(ids[9]), zalo \(ids[0])\",Không\n".write(toFile: inputs + "/paper.csv", atomically: true, encoding: .utf8)
        let imported = try await stack.pulse(["survey", "import", "1", inputs + "/paper.csv"])
        #expect(imported.status == 0, "\(imported.stderr)")

        // Analytics has taken the report in.
        var ingested = false
        for _ in 0..<100 where !ingested {
            let status = try await stack.pulse(["rpc", "pulse.analytics.v1.Analytics/IngestStatus"])
            ingested = status.stdout.contains("\"reports\" : 1") || status.stdout.contains("\"reports\": 1")
            if !ingested { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ingested)

        let clean = try await stack.pulse(["privacy", "scan", stack.directory])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("0 identifiers found"), "\(clean.stdout)")

        // Text stored before the scrubber knew a form: written straight into intake's file.
        _ = await stack.stop("analytics")
        _ = await stack.stop("report-intake")
        let intakeFile = try #require(FileManager.default.enumerator(atPath: stack.directory + "/data-report-intake")?.compactMap { $0 as? String }.first { $0.hasSuffix(".sqlite") })
        let db = try Database(path: stack.directory + "/data-report-intake/" + intakeFile)
        try db.run("UPDATE reports SET assessment = ?", ["Cũ: gọi ông F số 0913 579 246 hoặc CCCD 042188009911"])
        let found = try await stack.pulse(["privacy", "scan", stack.directory])
        #expect(found.status == 1)
        #expect(found.stdout.contains("phone") && found.stdout.contains("citizen-id"), "\(found.stdout)")
        #expect(!found.stdout.contains("0913 579 246") && !found.stdout.contains("042188009911"), "a finding never shows the identifier whole")

        try stack.start("report-intake")
        try stack.start("analytics")
        let rescrubbed = try await stack.pulse(["privacy", "rescrub", "--json"])
        #expect(rescrubbed.status == 0, "\(rescrubbed.stderr)")
        #expect(rescrubbed.stdout.contains("\"changed\" : 1"), "\(rescrubbed.stdout)")
        let after = try await stack.pulse(["privacy", "scan", stack.directory])
        #expect(after.status == 0, "the old bytes are gone from pages, free pages and the log: \(after.stdout)")
        let shown = try await stack.pulse(["report", "show", "18073", period, "--json"])
        #expect(shown.stdout.contains("[số điện thoại]") && shown.stdout.contains("[số định danh]"), "\(shown.stdout)")
        _ = await stack.stop()
    }

    @Test("every text field of every request, read from the services' reflection, is scrubbed, kept as a digest, or listed as exempt with a reason")
    func everyTextField() async throws {
        let stack = try Stack()
        let ran = try await stack.pulse(["methods", "--json"])
        _ = await stack.stop()
        #expect(ran.status == 0, "\(ran.stderr)")
        struct Methods: Decodable { struct Method: Decodable { var name: String; var request: String }; var methods: [Method] }
        let methods = try JSONDecoder().decode(Methods.self, from: Data(ran.stdout.utf8)).methods
        var fields: Set<String> = []
        for method in methods {
            var shape = ShapeText(Array(method.request))
            for path in try shape.textFields() { fields.insert("\(method.name)\t\(path)") }
        }
        #expect(fields.count > 50)
        let url = try #require(Bundle.module.url(forResource: "text-fields", withExtension: "tsv"))
        var listed: Set<String> = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("method\t") {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(cells.count == 4 && ["scrubbed", "digest", "exempt"].contains(cells[2]) && !cells[3].isEmpty, "\(line)")
            listed.insert("\(cells[0])\t\(cells[1])")
        }
        #expect(fields.subtracting(listed).sorted() == [], "text fields in no row of text-fields.tsv: scrub them or list them as exempt with a reason")
        #expect(listed.subtracting(fields).sorted() == [], "rows of text-fields.tsv that no request has")
    }
}

/// A message shape as reflection prints it (`{a: text, b?: [{c: text}]}`), read for the paths of
/// its text fields (`a`, `b[].c`).
struct ShapeText {
    var chars: [Character]
    var i = 0
    init(_ chars: [Character]) { self.chars = chars }

    struct Malformed: Error {}

    mutating func textFields() throws -> [String] {
        var out: [String] = []
        try node("", &out)
        return out
    }

    mutating func node(_ path: String, _ out: inout [String]) throws {
        guard i < chars.count else { throw Malformed() }
        if chars[i] == "{" {
            i += 1
            while i < chars.count, chars[i] != "}" {
                while chars[i] == " " || chars[i] == "," { i += 1 }
                var name = ""
                while chars[i] != ":" && chars[i] != "?" { name.append(chars[i]); i += 1 }
                if chars[i] == "?" { i += 1 }
                i += 1  // ":"
                while chars[i] == " " { i += 1 }
                try node(path.isEmpty ? name : path + "." + name, &out)
                while i < chars.count, chars[i] == " " || chars[i] == "," { i += 1 }
            }
            i += 1
        } else if chars[i] == "[" {
            i += 1
            try node(path + "[]", &out)
            i += 1  // "]"
        } else {
            var word = ""
            var depth = 0
            while i < chars.count, depth > 0 || !",}]".contains(chars[i]) {
                if chars[i] == "(" { depth += 1 }
                if chars[i] == ")" { depth -= 1 }
                word.append(chars[i])
                i += 1
            }
            if word == "text" { out.append(path) }
        }
    }
}

@Suite("Privacy scan on damaged files")
struct PrivacyScanRobustnessTests {
    @Test("random pages behind an SQLite or WAL header, truncated at any length, are scanned without a trap")
    func damagedStores() throws {
        let directory = NSTemporaryDirectory() + "pulse-scan-fuzz-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var generator = SystemRandomNumberGenerator()
        let database = Array("SQLite format 3\u{0}".utf8) + [0x02, 0x00]  // page size 512
        let wal: [UInt8] = [0x37, 0x7F, 0x06, 0x82, 0, 0x2D, 0xE2, 0x18, 0, 0, 0x02, 0]
        for n in 0..<120 {
            let header = n % 2 == 0 ? database : wal
            let length = Int.random(in: header.count...4096, using: &generator)
            // Bytes that make b-tree pages, varints and record headers likely: 0x0D, 0x0A, 0xFF.
            let body = (header.count..<length).map { _ in [0x0D, 0x0A, 0x05, 0x02, 0xFF, 0x81, 0x00, 0x13, 0x30, 0x39].randomElement(using: &generator) ?? 0 as UInt8 }
            try Data(header + body).write(to: URL(fileURLWithPath: directory + "/f\(n).sqlite" + (n % 2 == 0 ? "" : "-wal")))
        }
        let report = try PrivacyScan(directory: directory).run()
        #expect(report.files == 120)
    }
}
