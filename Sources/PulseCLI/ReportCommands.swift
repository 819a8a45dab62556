import Arguments
import Foundation
import Messages
import Text
import Wire

/// A report as a user writes it in a file: like a draft, with the idempotency key optional
/// (the CLI derives one from the file's content, so resending the same file is a retry).
struct ReportFile: Codable {
    var unit: String
    var period: Period
    var submitter: Int
    var assessment: String
    var items: [OpinionItem]
    var idempotencyKey: String?
}

enum ReportCommands {
    static func read(_ path: String) throws -> String {
        if path == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        guard var text = String(data: data, encoding: .utf8) else { throw CLIError("\(path) is not UTF-8 text") }
        // A byte-order mark (what Excel and Notepad write) is no part of the content.
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    static func jsonError(_ error: any Error, _ path: String) -> CLIError {
        switch error {
        case DecodingError.keyNotFound(let key, let c):
            return CLIError("\(path): \(CBORDecoder.path(c.codingPath + [key])): required field is missing")
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c), DecodingError.dataCorrupted(let c):
            let field = CBORDecoder.path(c.codingPath)
            return CLIError("\(path): \(field.isEmpty ? "" : field + ": ")\(c.debugDescription)")
        default:
            return CLIError("\(path): \(error)")
        }
    }

    /// A report from JSON, or from CSV with one item per row.
    static func draft(from text: String, path: String) throws -> ReportDraft {
        let file: ReportFile
        if path.lowercased().hasSuffix(".csv") {
            file = try csvReport(text, path: path)
        } else {
            let problems = ReportFileCheck.problems(text)
            guard problems.isEmpty else { throw CLIError("\(path): " + problems.joined(separator: "\n  \(path): ")) }
            do { file = try JSONDecoder().decode(ReportFile.self, from: Data(text.utf8)) } catch { throw jsonError(error, path) }
        }
        // Without a key of its own, a report's key is its content's: the same report sent again, with
        // another byte-order mark, spacing or an unknown field, is recognised as the same (issue 14, item 9).
        let content = (try? CBOREncoder().encode(ReportDraft(unit: file.unit, period: file.period, submitter: file.submitter, assessment: file.assessment, items: file.items, idempotencyKey: ""))) ?? Array(text.utf8)
        let key = file.idempotencyKey ?? "content-" + SHA256.hex(content).prefix(32)
        return ReportDraft(unit: file.unit, period: file.period, submitter: file.submitter, assessment: file.assessment, items: file.items, idempotencyKey: key)
    }

    static let csvColumns = ["unit", "period", "submitter", "assessment", "topic", "summary", "prevalence", "trend", "sentiment", "channels", "localities", "proposal"]

    static func csvReport(_ text: String, path: String) throws -> ReportFile {
        let records = try CSV.parse(text)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }), header == csvColumns else {
            throw CLIError("\(path): line 1: the header must be \(csvColumns.joined(separator: ","))")
        }
        var file: ReportFile?
        for record in records.dropFirst() {
            guard record.fields.count == header.count else { throw CLIError("\(path): line \(record.line): \(record.fields.count) fields, the header has \(header.count)") }
            let f = Dictionary(uniqueKeysWithValues: zip(header, record.fields.map { $0.trimmingCharacters(in: .whitespaces) }))
            guard let period = Period(f["period"]!) else { throw CLIError("\(path): line \(record.line): period: \"\(f["period"]!)\" is not YYYY-MM") }
            guard let submitter = Int(f["submitter"]!) else { throw CLIError("\(path): line \(record.line): submitter: a person id (number)") }
            guard let prevalence = Prevalence(rawValue: f["prevalence"]!) else { throw CLIError("\(path): line \(record.line): prevalence: isolated, some or widespread") }
            guard let trend = Trend(rawValue: f["trend"]!) else { throw CLIError("\(path): line \(record.line): trend: falling, stable or rising") }
            guard let sentiment = Int(f["sentiment"]!) else { throw CLIError("\(path): line \(record.line): sentiment: a whole number −2…2") }
            var channels: [Channel] = []
            for c in f["channels"]!.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !c.isEmpty {
                guard let channel = Channel(rawValue: c) else {
                    throw CLIError("\(path): line \(record.line): channels: \"\(c)\" is not one of \(Channel.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                channels.append(channel)
            }
            let item = OpinionItem(
                topic: f["topic"]!, summary: f["summary"]!, prevalence: prevalence, trend: trend, sentiment: sentiment, channels: channels,
                localities: f["localities"]!.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                proposal: f["proposal"]!.isEmpty ? nil : f["proposal"])
            if file == nil {
                file = ReportFile(unit: f["unit"]!, period: period, submitter: submitter, assessment: f["assessment"]!, items: [])
            } else if file!.unit != f["unit"]! || file!.period != period {
                throw CLIError("\(path): line \(record.line): every row must be for the same unit and period")
            }
            file!.items.append(item)
        }
        guard let file else { throw CLIError("\(path): no items after the header") }
        return file
    }

    static func timeliness(_ t: Timeliness) -> String { t == .onTime ? "đúng hạn (on time)" : "muộn (late)" }

    static func printReport(_ r: Report) {
        print("Báo cáo \(r.unit), tháng \(r.period), phiên bản \(r.version)")
        print("  received \(Output.time(r.receivedAt)); first version \(Output.time(r.firstReceivedAt)): \(timeliness(r.timeliness))")
        print("  submitter #\(r.submitter)")
        if !r.assessment.isEmpty { print("  đánh giá chung: \(r.assessment)") }
        for (i, item) in r.items.enumerated() {
            print("  \(i + 1). [\(item.topic)] \(item.prevalence.rawValue), \(item.trend.rawValue), sentiment \(item.sentiment > 0 ? "+" : "")\(item.sentiment)")
            print("     \(item.summary)")
            if !item.localities.isEmpty { print("     localities: \(item.localities.joined(separator: ", "))") }
            if let p = item.proposal, !p.isEmpty { print("     đề xuất: \(p)") }
        }
    }

    static var report: Command {
        Command(
            "report", "Monthly opinion reports (báo cáo dư luận xã hội hàng tháng).",
            subcommands: [
                Command("template", "Write a fillable JSON report for a unit and month.", arguments: "<unit> <YYYY-MM>", options: [.option("output", short: "o", value: "file", help: "Write to this file instead of standard output.")]) { inv in
                    let file = ReportFile(
                        unit: try inv.positional(0, "unit"), period: try inv.period(try inv.positional(1, "YYYY-MM"), "YYYY-MM"), submitter: 0,
                        assessment: "Tình hình tư tưởng, dư luận xã hội trên địa bàn …",
                        items: [OpinionItem(topic: "dat-dai", summary: "Người dân quan tâm …", prevalence: .some, trend: .stable, sentiment: 0, channels: [.inPerson], localities: [], proposal: "")],
                        idempotencyKey: nil)
                    let json = Output.json(file)
                    if let path = inv.arguments.value("output") {
                        try Data((json + "\n").utf8).write(to: URL(fileURLWithPath: path))
                        warn("wrote \(path): fill in submitter (your person id), the assessment and the items; topics: `pulse topics list`")
                    } else {
                        print(json)
                    }
                },
                Command("submit", "Submit a report from JSON (or CSV, one item per row); resending the same file is a safe retry.", arguments: "<file>") { inv in
                    let path = try inv.positional(0, "file")
                    let draft = try draft(from: try read(path), path: path)
                    let result = try await inv.call(IntakeAPI.submitReport, draft)
                    inv.output.emit(result) {
                        let r = result.report
                        print(result.replayed ? "Already stored (this was a retry; nothing new was stored):" : "Stored:")
                        print("  \(r.unit) \(r.period) version \(r.version), \(r.items) items, received \(Output.time(r.receivedAt))")
                        print("  timeliness: \(timeliness(r.timeliness))" + (r.version > 1 ? " (decided by version 1)" : ""))
                        if result.scrubbed.isEmpty {
                            print("  personal identifiers removed: none")
                        } else {
                            print("  personal identifiers removed: " + result.scrubbed.map { "\($0.count) \($0.kind)" }.joined(separator: ", "))
                        }
                    }
                },
                Command("show", "Show a unit's report for a month (latest version unless --version).", arguments: "<unit> <YYYY-MM>", options: [.option("version", value: "n", help: "Show this version.")]) { inv in
                    let r = try await inv.call(
                        IntakeAPI.getReport,
                        GetReportRequest(unit: try inv.positional(0, "unit"), period: try inv.period(try inv.positional(1, "YYYY-MM"), "YYYY-MM"), version: try inv.arguments.integer("version")))
                    inv.output.emit(r) { printReport(r) }
                },
                Command("history", "Every version of a unit's reports.", arguments: "<unit>") { inv in
                    let h = try await inv.call(IntakeAPI.reportHistory, ReportHistoryRequest(unit: try inv.positional(0, "unit")))
                    inv.output.emit(h) {
                        inv.output.table(["period", "version", "items", "received", "timeliness"], h.versions.map { [$0.period.description, String($0.version), String($0.items), Output.time($0.receivedAt), $0.timeliness.rawValue] }, numeric: [1, 2])
                    }
                },
            ])
    }

    static func surveyID(_ inv: Invocation) throws -> Int {
        guard let id = Int(try inv.positional(0, "survey-id")) else { throw UsageError("<survey-id> is a number") }
        return id
    }

    static var survey: Command {
        Command(
            "survey", "Sociological surveys (điều tra xã hội học) with anonymous responses.",
            subcommands: [
                Command("create", "Create a survey from a JSON questionnaire.", arguments: "<file.json>") { inv in
                    let path = try inv.positional(0, "file.json")
                    let survey: Survey
                    do { survey = try JSONDecoder().decode(Survey.self, from: Data(try read(path).utf8)) } catch let e as CLIError { throw e } catch { throw jsonError(error, path) }
                    let created = try await inv.call(IntakeAPI.createSurvey, survey)
                    inv.output.emit(created) { print("created survey #\(created.id ?? 0) \"\(created.title)\" (\(created.questions.count) questions), state draft; open it with `pulse survey open \(created.id ?? 0)`") }
                },
                Command("list", "List surveys.") { inv in
                    let list = try await inv.call(IntakeAPI.listSurveys, Empty())
                    inv.output.emit(list) {
                        inv.output.table(["id", "title", "state", "opens", "closes", "questions"], list.surveys.map { [String($0.id ?? 0), $0.title, $0.state?.rawValue ?? "", $0.opens.description, $0.closes.description, String($0.questions.count)] }, numeric: [0, 5])
                    }
                },
                Command("open", "Open a survey for responses.", arguments: "<survey-id>") { inv in
                    let s = try await inv.call(IntakeAPI.openSurvey, SurveyRequest(id: try surveyID(inv)))
                    inv.output.emit(s) { print("survey #\(s.id ?? 0) is open") }
                },
                Command("close", "Close a survey.", arguments: "<survey-id>") { inv in
                    let s = try await inv.call(IntakeAPI.closeSurvey, SurveyRequest(id: try surveyID(inv)))
                    inv.output.emit(s) { print("survey #\(s.id ?? 0) is closed") }
                },
                Command("respond", "Record one anonymous response from JSON {unit, day, answers}.", arguments: "<survey-id> <file.json>") { inv in
                    struct File: Codable { var unit: String; var day: Day; var answers: [Answer] }
                    let id = try surveyID(inv)
                    let path = try inv.positional(1, "file.json")
                    let file: File
                    do { file = try JSONDecoder().decode(File.self, from: Data(try read(path).utf8)) } catch let e as CLIError { throw e } catch { throw jsonError(error, path) }
                    let result = try await inv.call(IntakeAPI.respond, SurveyResponse(survey: id, unit: file.unit, day: file.day, answers: file.answers))
                    inv.output.emit(result) { print("response recorded" + (result.scrubbed.isEmpty ? "" : "; removed " + result.scrubbed.map { "\($0.count) \($0.kind)" }.joined(separator: ", "))) }
                },
                Command("import", "Import paper questionnaires from CSV: unit,day,<question codes…> (all or nothing).", arguments: "<survey-id> <file.csv>") { inv in
                    let id = try surveyID(inv)
                    let result = try await inv.call(IntakeAPI.importResponses, ImportResponsesRequest(survey: id, csv: try read(try inv.positional(1, "file.csv"))))
                    inv.output.emit(result) { print("imported \(result.imported) responses" + (result.scrubbed.isEmpty ? "" : "; removed " + result.scrubbed.map { "\($0.count) \($0.kind)" }.joined(separator: ", "))) }
                },
                AnalyticsCommands.surveyResults, AnalyticsCommands.surveyPlan,
                Command("counts", "Raw answer counts per question.", arguments: "<survey-id>") { inv in
                    let c = try await inv.call(IntakeAPI.surveyCounts, SurveyRequest(id: try surveyID(inv)))
                    inv.output.emit(c) {
                        print("survey #\(c.survey): \(c.responses) responses from \(c.byUnit.count) units")
                        for q in c.questions {
                            var line = "  \(q.question): \(q.answered) answered"
                            if let counts = q.counts { line += "; " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
                            if let m = q.mean { line += String(format: "; mean %.2f", m) }
                            print(line)
                        }
                    }
                },
            ])
    }

    static let stateNames: [ReportState: String] = [.onTime: "đúng hạn", .late: "muộn", .missing: "chưa báo cáo"]

    static var status: Command {
        Command(
            "status", "Who reported for a month: missing units first, with reporting and timeliness rates.",
            options: [
                .option("period", short: "p", value: "YYYY-MM", help: "The month (default this month)."), .option("unit", short: "u", value: "code", help: "Roll up this unit's subtree (default the province)."),
                .flag("as-of-deadline", help: "Figures as they stood at the deadline; later corrections change nothing."),
            ]
        ) { inv in
            let period = try inv.arguments.value("period").map { try inv.period($0, "period") } ?? Day.today.period
            let c = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: period, unit: inv.arguments.value("unit"), asOfDeadline: inv.arguments.has("as-of-deadline")))
            inv.output.emit(c) {
                inv.output.table(
                    ["state", "unit", "name", "version", "items", "received"],
                    c.rows.map { [stateNames[$0.state]!, $0.unit, $0.name, $0.version.map(String.init) ?? "", $0.items.map(String.init) ?? "", $0.receivedAt.map(Output.time) ?? ""] }, numeric: [3, 4])
                if inv.output.format == .table {
                    print("\(c.period), \(c.root): \(c.reported) of \(c.expected) reported (\(Output.percent(c.reportingRate))), \(c.onTime) on time (\(Output.percent(c.timelinessRate)))")
                }
            }
        }
    }}
