import Foundation
import Spawn
import TestSupport
import Testing

/// Issue 14: every command that prints data honours `--json` (one document that parses) and
/// `--csv` (a byte-order mark, a header, and rows of as many fields, nothing else), and the
/// main commands read naturally in Vietnamese and in English.
@Suite("Output formats and languages", .serialized)
struct OutputFormatTests {
    /// A stack with Hà Tĩnh's units, an official, a report for last month and this one, a survey
    /// and a subscription: something for every command to print.
    static func stack() async throws -> Stack {
        let stack = try await Stack.withOneOfficial()
        let month = OutputFormatTests.month(0)
        for period in [OutputFormatTests.month(-1), month] {
            let file = stack.directory + "/report-\(period).json"
            try """
                {"unit": "18775", "period": "\(period)", "submitter": 1, "assessment": "Tình hình ổn định.",
                 "items": [{"topic": "dat-dai", "summary": "Bà con quan tâm tiến độ bồi thường dự án đường ven biển.", "prevalence": "some", "trend": "rising", "sentiment": -1, "channels": ["meetings"], "localities": []}]}
                """.write(toFile: file, atomically: true, encoding: .utf8)
            let submitted = try await stack.pulse(["report", "submit", file])
            #expect(submitted.status == 0, "\(submitted.stderr)")
        }
        let survey = stack.directory + "/survey.json"
        try "{\"title\": \"Thử\", \"questions\": [{\"code\": \"q1\", \"text\": \"Đồng ý?\", \"kind\": \"singleChoice\", \"options\": [\"co\", \"khong\"]}], \"targetUnits\": [\"18775\"], \"opens\": \"2026-01-01\", \"closes\": \"2026-12-31\"}"
            .write(toFile: survey, atomically: true, encoding: .utf8)
        _ = try await stack.pulse(["survey", "create", survey])
        _ = try await stack.pulse(["survey", "open", "1"])
        _ = try await stack.pulse(["subscribe", "1"])
        // Analytics follows intake's feed: wait until it has both reports.
        for _ in 0..<100 {
            if try await stack.pulse(["status", "--period", month, "--json"]).stdout.contains("\"reported\" : 1") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return stack
    }

    static func month(_ offset: Int) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let d = c.dateComponents([.year, .month], from: Date())
        let index = d.year! * 12 + d.month! - 1 + offset
        return String(format: "%04d-%02d", index / 12, index % 12 + 1)
    }

    /// Every command that prints data, with the arguments it needs.
    static var commands: [[String]] {
        let month = Self.month(0)
        return [
            ["whoami"], ["health"], ["methods"], ["network"],
            ["units", "list"], ["units", "show", "18775"], ["units", "search", "ky anh"],
            ["people", "list"], ["people", "show", "1"], ["people", "search", "an"],
            ["teams", "status"], ["topics", "list"], ["tasks", "list"], ["tasks", "status"],
            ["report", "show", "18775", month], ["report", "history", "18775"], ["report", "due", "--unit", "18775"],
            ["status", "--period", month], ["trends"], ["rising", "--period", month], ["spikes"], ["phrases", "--topic", "dat-dai", "--period", month],
            ["search", "boi thuong"], ["ranking"], ["ranking", "--explain"],
            ["survey", "list"], ["survey", "results", "1"], ["survey", "counts", "1"], ["survey", "plan", "--margin", "0.05"],
            ["notify", "list"], ["notify", "preview"], ["notify", "log"], ["subscriptions"],
            ["audit", "tail"], ["audit", "search", "--method", "Roster"], ["audit", "checkpoint"], ["audit", "verify"], ["metrics"],
        ]
    }

    @Test("every command prints one JSON document that parses, and CSV with a BOM, a header and rows of as many fields")
    func everyCommand() async throws {
        let stack = try await Self.stack()
        for command in Self.commands {
            let json = try await stack.pulse(command + ["--json"])
            #expect(json.status == 0, "\(command) --json: \(json.stderr)")
            #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8), options: [.fragmentsAllowed])) != nil, "\(command) --json printed no JSON document: \(json.stdout.prefix(300))")
            let csv = try await stack.pulse(command + ["--csv"])
            #expect(csv.status == 0, "\(command) --csv: \(csv.stderr)")
            #expect(csv.stdout.hasPrefix("\u{FEFF}"), "\(command) --csv: no byte-order mark for Excel")
            let records = Self.csvRecords(String(csv.stdout.drop { $0 == "\u{FEFF}" }))
            #expect(!records.isEmpty, "\(command) --csv printed nothing")
            if let header = records.first {
                #expect(header.allSatisfy { !$0.isEmpty && !$0.contains(" ") }, "\(command) --csv header names are codes: \(header)")
                for record in records.dropFirst() { #expect(record.count == header.count, "\(command) --csv: \(record) under \(header)") }
            }
        }
        // The offline text tools too, with their input.
        for tool in ["scrub", "normalize", "tokens", "sentiment", "restore", "topic", "fold"] {
            let json = try await stack.pulse(["text", tool, "--json"], input: "Gọi 0912345678 nhé\nduong sa xuong cap\n")
            #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) as? [Any] != nil, "text \(tool) --json: \(json.stdout.prefix(200))")
            let csv = try await stack.pulse(["text", tool, "--csv"], input: "Gọi 0912345678 nhé\nduong sa xuong cap\n")
            #expect(Self.csvRecords(String(csv.stdout.drop { $0 == "\u{FEFF}" })).count == 3, "text \(tool) --csv: \(csv.stdout)")
        }
        _ = await stack.stop()
    }

    @Test("the main commands in Vietnamese by default and in English with --lang en: headings, states, dates and numbers")
    func bothLanguages() async throws {
        let stack = try await Self.stack()
        let month = Self.month(0)
        let vi = { (arguments: [String]) in try await run("pulse", arguments, environment: ["PULSE_SOCKET": stack.gateway, "PULSE_LANG": ""]) }
        let en = { (arguments: [String]) in try await run("pulse", ["--lang", "en"] + arguments, environment: ["PULSE_SOCKET": stack.gateway, "PULSE_LANG": ""]) }
        let (y, m) = (month.prefix(4), month.suffix(2))
        let last = Self.month(-1)
        let (ly, lm) = (last.prefix(4), last.suffix(2))
        // Golden lines: what each command must say, word for word, in each language.
        let golden: [(arguments: [String], vietnamese: [String], english: [String])] = [
            // Last month's report came after its deadline: late, whatever today's date.
            (["status", "--period", last, "--unit", "18775"],
             ["trạng thái  mã     đơn vị     phiên bản  nội dung  nhận lúc", "trễ hạn", "\(lm)/\(ly), Xã Kỳ Anh (18775): 1 trên 1 đơn vị đã báo cáo (100,0%), 0 đúng hạn (0,0%)"],
             ["state  code   unit       version  items  received", "late", "\(ly)-\(lm), Xã Kỳ Anh (18775): 1 of 1 unit reported (100.0%), 0 on time (0.0%)"]),
            (["units", "show", "18775"], ["Xã Kỳ Anh (18775), xã", "hiệu lực:", "từ 01/07/2025", "cán bộ phụ trách:"], ["Xã Kỳ Anh (18775), commune", "valid:", "from 2025-07-01", "officials in charge:"]),
            (["people", "list"], ["số  họ tên         đơn vị             vai trò", "Trần Thị Bình  Xã Kỳ Anh (18775)  cán bộ phụ trách"], ["id  name           unit               role", "Trần Thị Bình  Xã Kỳ Anh (18775)  official"]),
            (["report", "show", "18775", month], ["Báo cáo của Xã Kỳ Anh (18775), tháng \(m)/\(y), phiên bản 1", "người gửi: Trần Thị Bình (#1)", "[Đất đai, bồi thường, giải phóng mặt bằng] một bộ phận, tăng, đánh giá -1", "kênh: hội nghị, cuộc họp"],
             ["Report of Xã Kỳ Anh (18775), \(y)-\(m), version 1", "submitter: Trần Thị Bình (#1)", "[Land and compensation] some, rising, sentiment -1", "channels: meetings"]),
            (["trends", "--to", month], ["chủ đề", "Đất đai, bồi thường, giải phóng mặt bằng"], ["topic", "Land and compensation"]),
            (["units", "list", "--kind", "xã"], ["mã     tên", "60 đơn vị"], ["code   name", "60 units"]),
            (["teams", "norm", "ward", "0"], ["<số-người> là số cộng tác viên một phường cần có, từ 1 đến 1000"], ["<size> is how many collaborators a ward should have, 1 to 1000"]),
            (["units", "show", "99999"], ["Lỗi: code: không có đơn vị \"99999\""], ["Error: code: no unit \"99999\""]),
            (["help"], ["Cách dùng: pulse <lệnh> [tùy chọn]", "  report         Báo cáo dư luận xã hội hằng tháng."], ["Usage: pulse <command> [options]", "  report         Monthly opinion reports"]),
        ]
        for entry in golden {
            let inVietnamese = try await vi(entry.arguments)
            let inEnglish = try await en(entry.arguments)
            for line in entry.vietnamese { #expect((inVietnamese.stdout + inVietnamese.stderr).contains(line), "\(entry.arguments) in Vietnamese lacks «\(line)»:\n\(inVietnamese.stdout)\(inVietnamese.stderr)") }
            for line in entry.english { #expect((inEnglish.stdout + inEnglish.stderr).contains(line), "\(entry.arguments) in English lacks «\(line)»:\n\(inEnglish.stdout)\(inEnglish.stderr)") }
        }
        // No English left in the Vietnamese status, and numbers grouped Vietnamese-style.
        let status = try await vi(["status", "--period", month])
        for english in ["reported", "on time", "missing", "received"] { #expect(!status.stdout.contains(english), "«\(english)» in: \(status.stdout)") }
        let plan = try await vi(["survey", "plan", "--margin", "0,01", "--population", "1.300.000"])
        #expect(plan.stdout.hasPrefix("9.534 người trả lời cho sai số ±1,0% ở độ tin cậy 95,0% trong tổng thể 1.300.000 người"), "\(plan.stdout)\(plan.stderr)")
        // Dates typed the Vietnamese way are read.
        let asOf = try await vi(["units", "list", "--kind", "xã", "--as-of", "01/07/2025", "--json"])
        #expect(asOf.status == 0 && asOf.stdout.contains("\"code\" : \"18775\""), "\(asOf.stderr)")
        _ = await stack.stop()
    }

    /// RFC 4180 records: fields split on commas outside quotes, "" inside quotes is one ".
    static func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\n" {
                record.append(field)
                if record != [""] { records.append(record) }
                record = []
                field = ""
            } else {
                field.append(c)
            }
            i += 1
        }
        return records
    }
}

/// Issue 14: the commission's review, as the people on both ends of it see it.
@Suite("The commission's review of reports", .serialized)
struct ReviewTests {
    @Test("a returned report is not complete until a correction arrives, keeps its first timeliness, and its official is told why")
    func returnAndCorrect() async throws {
        let stack = try await OutputFormatTests.stack()
        let last = OutputFormatTests.month(-1)
        func status() async throws -> String { try await stack.pulse(["status", "--period", last, "--unit", "18775", "--json"]).stdout }
        #expect(try await status().contains("\"reported\" : 1"))
        // Nothing to review where nothing was sent.
        let none = try await stack.pulse(["report", "return", "18073", last, "--reason", "Thiếu số liệu"])
        #expect(none.status == 1 && none.stderr.contains("no report from 18073"), "\(none.stderr)")
        let noReason = try await stack.pulse(["report", "return", "18775", last])
        #expect(noReason.status == 64 && noReason.stderr.contains("--reason"), "\(noReason.stderr)")

        let returned = try await stack.pulse(["report", "return", "18775", last, "--reason", "Thiếu số hộ bị ảnh hưởng; hỏi lại anh Hùng 0912 345 678"])
        #expect(returned.status == 0 && returned.stdout.contains("returned Xã Kỳ Anh (18775)'s report") && returned.stdout.contains("identifiers were removed from the reason"), "\(returned.stdout)\(returned.stderr)")
        let meaningless = try await stack.pulse(["report", "return", "18775", last, "--reason", "0912 345 678"])
        #expect(meaningless.status == 1 && meaningless.stderr.contains("say what the unit must correct"), "\(meaningless.stderr)")
        let nameNotCode = try await stack.pulse(["report", "return", "Kỳ Anh", last, "--reason", "Thiếu số liệu"])
        #expect(nameNotCode.status == 1 && nameNotCode.stderr.contains("no unit \"Kỳ Anh\""), "\(nameNotCode.stderr)")
        let again = try await stack.pulse(["report", "return", "18775", last, "--reason", "lần nữa"])
        #expect(again.status == 1 && again.stderr.contains("was already returned for correction"), "\(again.stderr)")
        // Analytics follows the feed: the month is open again.
        var seen = ""
        for _ in 0..<100 {
            seen = try await status()
            if seen.contains("\"state\" : \"returned\"") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(seen.contains("\"state\" : \"returned\"") && seen.contains("\"reported\" : 0"), "\(seen)")
        let due = try await stack.pulse(["report", "due", "--unit", "18775"])
        #expect(due.stdout.contains("returned for correction: Thiếu số hộ bị ảnh hưởng; hỏi lại anh [họ tên] [số điện thoại]"), "the reason, scrubbed of the number and the name: \(due.stdout)")
        let dueVi = try await run("pulse", ["report", "due", "--unit", "18775"], environment: ["PULSE_SOCKET": stack.gateway, "PULSE_LANG": "vi"])
        #expect(dueVi.stdout.contains("trả lại để sửa"), "\(dueVi.stdout)")
        // Notification tells the unit's official, once.
        var notices = ""
        for _ in 0..<50 {
            _ = try await stack.pulse(["notify", "run"])  // the rules now, not at their next minute
            notices = try await stack.pulse(["notify", "list", "--json"]).stdout
            if notices.contains("\"rule\" : \"returned\"") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(notices.contains("\"rule\" : \"returned\"") && notices.contains("\"step\" : \"v1\""), "\(notices.prefix(600))")

        // The returned version sent again unchanged (under another key) corrects nothing.
        let unchanged = stack.directory + "/unchanged.json"
        let original = try String(contentsOfFile: stack.directory + "/report-\(last).json", encoding: .utf8)
        try original.replacingOccurrences(of: "\"submitter\": 1,", with: "\"submitter\": 1, \"idempotencyKey\": \"again\",").write(toFile: unchanged, atomically: true, encoding: .utf8)
        let same = try await stack.pulse(["report", "submit", unchanged])
        #expect(same.status == 1 && same.stderr.contains("the same as version 1, which was returned for correction"), "\(same.stdout)\(same.stderr)")
        // The correction: the month counts again, as late as its first version was.
        let file = stack.directory + "/corrected.json"
        try """
            {"unit": "18775", "period": "\(last)", "submitter": 1, "assessment": "Đã bổ sung số hộ.",
             "items": [{"topic": "dat-dai", "summary": "Khoảng 40 hộ chưa đồng thuận giá bồi thường.", "prevalence": "some", "trend": "rising", "sentiment": -1, "channels": ["meetings"], "localities": []}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await stack.pulse(["report", "submit", file]).stdout.contains("version 2"))
        for _ in 0..<100 {
            seen = try await status()
            if seen.contains("\"reported\" : 1") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(seen.contains("\"reported\" : 1") && seen.contains("\"state\" : \"late\"") && seen.contains("\"onTime\" : 0"), "\(seen)")
        #expect(try await stack.pulse(["report", "receive", "18775", last]).status == 0)
        let received = try await stack.pulse(["report", "due", "--unit", "18775", "--csv"])
        #expect(received.stdout.contains(",\(last),") && received.stdout.contains(",received,2,"), "\(received.stdout)")
        let shown = try await stack.pulse(["report", "show", "18775", last])
        #expect(shown.stdout.contains("version 1: returned for correction") && shown.stdout.contains("version 2: received"), "\(shown.stdout)")
        _ = await stack.stop()
    }
}

@Suite("Shell completion and help pages")
struct CompletionTests {
    @Test("pulse completion bash is valid bash that completes commands and options; zsh is a compdef; help pages exist in both languages")
    func completion() async throws {
        let bash = try await run("pulse", ["completion", "bash"])
        #expect(bash.status == 0)
        let script = temporaryDirectory("completion") + "/pulse.bash"
        try bash.stdout.write(toFile: script, atomically: true, encoding: .utf8)
        #expect(try await run("/bin/bash", ["-n", script]).status == 0, "the completion script parses")
        // What bash offers after "pulse rep" and after "pulse report due --u".
        let probe = "source \(script); COMP_WORDS=(pulse rep); COMP_CWORD=1; _pulse; echo \"${COMPREPLY[@]}\"; COMP_WORDS=(pulse report due --u); COMP_CWORD=3; _pulse; echo \"${COMPREPLY[@]}\""
        let offered = try await run("/bin/bash", ["-c", probe])
        let lines = offered.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "report", "\(offered.stdout)\(offered.stderr)")
        #expect(lines.last == "--unit", "\(offered.stdout)")
        let zsh = try await run("pulse", ["completion", "zsh"])
        #expect(zsh.stdout.hasPrefix("#compdef pulse") && zsh.stdout.contains("\"report\") candidates=("), "\(zsh.stdout.prefix(200))")
        let wrong = try await run("pulse", ["completion", "fish"])
        #expect(wrong.status == 64 && wrong.stderr.contains("choose bash or zsh"))
        for topic in ["cycle", "roles", "surveys", "privacy-rules"] {
            let page = try await run("pulse", ["help", topic])
            #expect(page.status == 0 && page.stdout.count > 200, "help \(topic)")
        }
        // Global options before `help` are the same as after it.
        let afterSocket = try await run("pulse", ["--socket", "/nonexistent.sock", "--lang", "en", "help", "roles"])
        #expect(afterSocket.status == 0 && afterSocket.stdout.count > 200, "\(afterSocket.stderr)")
        let vietnamese = try await run("pulse", ["help", "chu-ky"], environment: ["PULSE_LANG": "vi"])
        #expect(vietnamese.stdout.hasPrefix("Chu kỳ hằng tháng") && vietnamese.stdout.contains("ngày 25 hằng tháng"), "\(vietnamese.stdout)")
        let unknown = try await run("pulse", ["help", "nope"])
        #expect(unknown.status == 64 && unknown.stderr.contains("cycle, roles, surveys, privacy-rules"), "\(unknown.stderr)")
    }
}

@Suite("The demo as a new user runs it")
struct DemoWatchTests {
    @Test("pulse demo --keep says when one of its services dies, and Ctrl-C keeps the logs it told the user to read (issue 14, item 13)")
    func deathAndLogs() async throws {
        let directory = temporaryDirectory("demo-watch")
        let out = directory + "/out.txt", err = directory + "/err.txt"
        var environment = ProcessInfo.processInfo.environment
        environment["PULSE_LANG"] = "vi"
        let demo = try ChildProcess(
            executable: binDirectory + "/pulse", arguments: ["demo", "--keep"], environment: environment,
            standardInput: .null, standardOutput: .appending(toFile: out), standardError: .appending(toFile: err))
        func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        var printed = ""
        for _ in 0..<600 where !printed.contains("Ctrl-C") {
            try await Task.sleep(for: .milliseconds(100))
            printed = read(out)
        }
        #expect(printed.contains("Nhấn Ctrl-C"), "\(printed.suffix(500))\(read(err))")
        // One clock for the whole stack (item 6): a person added "today" from another terminal, with
        // the environment the demo printed, reports at once, on time on the demo's 20th.
        let exported = try #require(printed.split(separator: "\n").first { $0.contains("export PULSE_SOCKET=") })
        var shell = environment
        for assignment in exported.split(separator: " ").dropFirst() {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { shell[parts[0]] = parts[1] }
        }
        let added = try await run("pulse", ["people", "add", "--name", "Đỗ Văn Mới", "--unit", "18133", "--role", "official", "--json"], environment: shell)
        let idLine = try #require(added.stdout.split(separator: "\n").first { $0.contains("\"id\"") }, "\(added.stdout)\(added.stderr)")
        let id = String(idLine.filter { $0.isNumber })
        let file = directory + "/report.json"
        try "{\"unit\": \"18133\", \"period\": \"\(shell["PULSE_CLOCK_START"]?.prefix(7) ?? "")\", \"submitter\": \(id), \"assessment\": \"Ổn định.\", \"items\": [{\"topic\": \"y-te\", \"summary\": \"Bà con hài lòng với trạm y tế.\", \"prevalence\": \"some\", \"trend\": \"stable\", \"sentiment\": 1, \"channels\": [], \"localities\": []}], \"idempotencyKey\": \"one-clock\"}"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let submitted = try await run("pulse", ["report", "submit", file], environment: shell)
        #expect(submitted.status == 0 && submitted.stdout.contains("đúng hạn"), "a person added today is active on the stack's day: \(submitted.stdout)\(submitted.stderr)")
        // The roster service dies under the user's feet: the demo says so, naming it and its log.
        let line = try #require(printed.split(separator: "\n").first { $0.contains("roster ") && $0.contains("pid ") })
        let pid = try #require(Int32(line.split(separator: " ").last.map(String.init) ?? ""))
        kill(pid, SIGKILL)
        var warned = ""
        for _ in 0..<50 where !warned.contains("roster") {
            try await Task.sleep(for: .milliseconds(100))
            warned = read(err)
        }
        #expect(warned.contains("dịch vụ roster đã dừng bất ngờ") && warned.contains("logs/roster.log"), "\(warned)")
        // Ctrl-C: the rest stop, and the logs stay where the demo said they would be.
        _ = demo.signal(SIGINT)
        _ = await demo.terminated()
        let logs = try #require(printed.split(separator: "\n").first { $0.hasPrefix("Log: ") }).dropFirst(5).split(separator: " ").first.map(String.init) ?? ""
        #expect(FileManager.default.fileExists(atPath: logs + "/roster.log") && FileManager.default.fileExists(atPath: logs + "/gateway.log"), "logs kept in \(logs): \(read(out).suffix(300))")
        try? FileManager.default.removeItem(atPath: (logs as NSString).deletingLastPathComponent)
    }
}

@Suite("The digest in a real browser", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "needs Debian's chromium (.ci/run installs it)"))
struct DigestBrowserTests {
    @Test("pulse digest writes one page that headless Chromium loads without a console error and prints on A4; the first page kept as a PNG (issue 17)")
    func printsOnA4() async throws {
        let stack = try await OutputFormatTests.stack()
        let last = OutputFormatTests.month(-1)
        let html = stack.directory + "/digest.html"
        let made = try await run("pulse", ["digest", "--period", last, "--out", html], environment: ["PULSE_SOCKET": stack.gateway, "PULSE_LANG": "vi"])
        #expect(made.status == 0 && made.stdout.contains("đã ghi bản tổng hợp"), "\(made.stdout)\(made.stderr)")
        // The subscribers hear of it: person 1 subscribes (see the stack), once per month.
        #expect(made.stdout.contains("đã báo 1 người đăng ký"), "\(made.stdout)")
        let notices = try await stack.pulse(["notify", "list", "--json"])
        #expect(notices.stdout.contains("\"rule\" : \"digest\""), "\(notices.stdout.prefix(400))")
        let again = try await run("pulse", ["digest", "--period", last, "--out", html], environment: ["PULSE_SOCKET": stack.gateway, "PULSE_LANG": "vi"])
        #expect(again.status == 0 && !again.stdout.contains("đã báo"), "once a month and person: \(again.stdout)")
        // A draft tells nobody, nor does a month nobody reported; --json says what was written.
        let draft = try await run("pulse", ["digest", "--period", OutputFormatTests.month(-2), "--out", stack.directory + "/draft.html", "--no-notify", "--json"], environment: ["PULSE_SOCKET": stack.gateway])
        struct Written: Decodable { var file: String; var periods: [String] }
        let written = try JSONDecoder().decode(Written.self, from: Data(draft.stdout.utf8))
        #expect(written.file == stack.directory + "/draft.html" && written.periods == [OutputFormatTests.month(-2)], "\(draft.stdout)\(draft.stderr)")
        let empty = try await run("pulse", ["digest", "--period", "2024-01", "--out", stack.directory + "/empty.html"], environment: ["PULSE_SOCKET": stack.gateway, "PULSE_LANG": "vi"])
        #expect(empty.status == 0 && !empty.stdout.contains("đã báo"), "no notice for a month with no report: \(empty.stdout)")
        let notices2 = try await stack.pulse(["notify", "list", "--json"])
        #expect(notices2.stdout.components(separatedBy: "\"rule\" : \"digest\"").count - 1 == 1, "still the one notice")
        // As the timer runs it: no month (the latest past its deadline, the 25th), a directory.
        let scheduled = stack.directory + "/digests"
        try FileManager.default.createDirectory(atPath: scheduled, withIntermediateDirectories: true)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let expectedMonth = calendar.component(.day, from: Date()) >= 25 ? OutputFormatTests.month(0) : last
        let timed = try await run("pulse", ["digest", "--out", scheduled], environment: ["PULSE_SOCKET": stack.gateway])
        #expect(timed.status == 0, "\(timed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scheduled) == ["tong-hop-\(expectedMonth).html"], "\(timed.stdout)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<html lang=\"vi\">") && page.contains("Tổng hợp tình hình dư luận xã hội tháng"))
        #expect(page.components(separatedBy: "class=\"unit-dot\"").count - 1 == 69, "a dot per commune and ward")
        // A point a topic for each month with reports (here only the last of the twelve); the others are gaps.
        #expect(page.components(separatedBy: "class=\"point\"").count - 1 == page.components(separatedBy: "data-chart=\"trend\"").count - 1, "one month with reports a topic")
        // A periodic review: the two months before this one (both past their deadline) beside the
        // same two a year before, told to nobody.
        let review = stack.directory + "/review.html"
        let noticesBefore = try await stack.pulse(["notify", "list", "--json"]).stdout.components(separatedBy: "\"rule\" : \"digest\"").count
        let reviewed = try await run("pulse", ["digest", "--from", OutputFormatTests.month(-2), "--to", OutputFormatTests.month(-1), "--out", review, "--json"], environment: ["PULSE_SOCKET": stack.gateway, "PULSE_LANG": "vi"])
        struct Review: Decodable { var periods: [String]; var against: [String] }
        let reviewWritten = try JSONDecoder().decode(Review.self, from: Data(reviewed.stdout.utf8))
        #expect(reviewWritten.periods == [OutputFormatTests.month(-2), OutputFormatTests.month(-1)] && reviewWritten.against == [OutputFormatTests.month(-14), OutputFormatTests.month(-13)], "\(reviewed.stdout)\(reviewed.stderr)")
        let reviewPage = try String(contentsOfFile: review, encoding: .utf8)
        // Xã Kỳ Anh sent the later month's report; the year before, nobody reported.
        #expect(reviewPage.contains("So sánh tình hình dư luận xã hội") && reviewPage.contains("đã nhận 1 trên ") && reviewPage.contains("không có tháng nào có báo cáo để đặt cạnh"), "\(reviewPage.prefix(2000))")
        #expect(reviewPage.components(separatedBy: "class=\"unit-dot\"").count - 1 == 2 * 69 && reviewPage.components(separatedBy: "class=\"pair\"").count - 1 == 8)
        #expect(try await stack.pulse(["notify", "list", "--json"]).stdout.components(separatedBy: "\"rule\" : \"digest\"").count == noticesBefore, "a review tells nobody")
        let overlapping = try await run("pulse", ["digest", "--from", OutputFormatTests.month(-1), "--to", OutputFormatTests.month(0), "--against", OutputFormatTests.month(-2), "--out", review], environment: ["PULSE_SOCKET": stack.gateway, "PULSE_LANG": "en"])
        #expect(overlapping.status == 64 && overlapping.stderr.contains("--against: the months compared with"), "\(overlapping.status) \(overlapping.stderr)")
        let env = ["PULSE_SOCKET": stack.gateway, "PULSE_LANG": "en"]
        let toAlone = try await run("pulse", ["digest", "--to", OutputFormatTests.month(-1), "--out", review], environment: env)
        #expect(toAlone.status == 64 && toAlone.stderr.contains("--to needs --from"), "\(toAlone.stderr)")
        let csv = try await run("pulse", ["digest", "--csv", "--out", stack.directory + "/x.html"], environment: env)
        #expect(csv.status == 64 && csv.stderr.contains("--csv: the digest is an HTML page") && !FileManager.default.fileExists(atPath: stack.directory + "/x.html"), "\(csv.stderr)")
        // Thirteen months: beside the same months two years before, not overlapping them.
        let long = try await run("pulse", ["digest", "--from", OutputFormatTests.month(-13), "--to", OutputFormatTests.month(-1), "--out", stack.directory + "/long.html", "--json"], environment: env)
        let longWritten = try JSONDecoder().decode(Review.self, from: Data(long.stdout.utf8))
        #expect(longWritten.against == [OutputFormatTests.month(-37), OutputFormatTests.month(-25)], "\(long.stdout)\(long.stderr)")
        // Chromium: load each, log the console, print it.
        let pdf = stack.directory + "/digest.pdf"
        for (page, printed) in [(html, pdf), (review, stack.directory + "/review.pdf")] {
            let chrome = try await run(
                "/usr/bin/chromium",
                ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--enable-logging=stderr", "--v=0", "--print-to-pdf=\(printed)", "file://\(page)"])
            #expect(chrome.status == 0, "\(chrome.stderr.suffix(500))")
            let consoleLines = chrome.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
            #expect(consoleLines.isEmpty, "console errors: \(consoleLines)")
            let info = try await run("/usr/bin/pdfinfo", [printed])
            #expect(info.stdout.contains("(A4)"), "\(info.stdout)")
        }
        // The first page as a PNG, kept where a person can look at it after the run.
        let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/test-artifacts").path
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let png = try await run("/usr/bin/pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, artifacts + "/digest-page-1"])
        #expect(png.status == 0)
        let size = (try? FileManager.default.attributesOfItem(atPath: artifacts + "/digest-page-1.png")[.size] as? Int) ?? 0
        #expect(size > 10_000, "the first page rendered (\(size) bytes)")
        _ = await stack.stop()
    }
}

@Suite("Rough edges, kept fixed (issue 14)", .serialized)
struct RoughEdgeTests {
    @Test("a year out of range is refused and analytics lives on; a future month says so; files from Excel in UTF-16 or with a BOM import; 500.000 is a number")
    func edges() async throws {
        let stack = try await OutputFormatTests.stack()
        // Item 1: once a crash; now a clear refusal, and the service still answers.
        let year = try await stack.pulse(["ranking", "--year", "99"])
        #expect(year.status == 1 && year.stderr.contains("year: 99 is not a year Pulse can rank"), "\(year.stderr)")
        #expect(try await stack.pulse(["health"]).status == 0)
        let future = try await stack.pulse(["ranking", "--year", "2999"])
        #expect(future.status == 1 && future.stderr.contains("has not come yet"), "\(future.stderr)")
        // Item 11: a month not begun says so; a template for one is refused even with no gateway.
        let next = OutputFormatTests.month(1)
        let status = try await stack.pulse(["status", "--period", next])
        #expect(status.stdout.contains("has not begun: no unit owes its report yet"), "\(status.stdout)")
        let template = try await run("pulse", ["--socket", "/tmp/pulse-nobody-here.sock", "report", "template", "99999", "2031-07"])
        #expect(template.status == 1 && template.stderr.contains("has not come yet"), "\(template.stderr)")
        // Excel's "Unicode Text" (UTF-16 with its mark, tab-separated) and "CSV UTF-8" (with a BOM).
        let utf16 = stack.directory + "/units-utf16.txt"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "code\tname\tkind\tparent\n90001\tThôn Một\tcommune\t42\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(bytes).write(to: URL(fileURLWithPath: utf16))
        let imported16 = try await stack.pulse(["units", "import", utf16, "--valid-from", "01/07/2025"])
        #expect(imported16.status == 0 && imported16.stdout.contains("1 new"), "\(imported16.stdout)\(imported16.stderr)")
        let bom = stack.directory + "/units-bom.csv"
        try Data([0xEF, 0xBB, 0xBF] + Array("code,name,kind,parent\n90002,Thôn Hai,commune,42\n".utf8)).write(to: URL(fileURLWithPath: bom))
        let importedBOM = try await stack.pulse(["units", "import", bom, "--valid-from", "2025-07-01"])
        #expect(importedBOM.status == 0 && importedBOM.stdout.contains("1 new"), "\(importedBOM.stdout)\(importedBOM.stderr)")
        #expect(try await stack.pulse(["units", "show", "90001"]).stdout.contains("Xã Thôn Một (90001)"))
        // Numbers as Vietnamese write them.
        let added = try await stack.pulse(["people", "add", "--name", "Lê Thị Hoa", "--unit", "18775", "--role", "cộng tác viên", "--allowance", "500.000", "--joined", "01/08/2025", "--json"])
        #expect(added.stdout.contains("\"allowance\" : 500000") && added.stdout.contains("\"role\" : \"collaborator\""), "\(added.stdout)\(added.stderr)")
        _ = await stack.stop()
    }
}
