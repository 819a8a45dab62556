import Arguments
import Foundation
import Localization
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
    static func read(_ path: String) throws -> String { try TextFile.read(path) }

    static func jsonError(_ error: any Error, _ path: String) -> CLIError {
        switch error {
        case DecodingError.keyNotFound(let key, let c):
            return CLIError("\(path): \(CBORDecoder.path(c.codingPath + [key])): " + tr("thiếu trường bắt buộc", en: "required field is missing"))
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
            // Written the way people write: "11/2026", "357" in quotes, "phổ biến" for widespread.
            let text = ReportFileCheck.normalised(text)
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
        func at(_ line: Int) -> String { tr("\(path): dòng \(line): ", en: "\(path): line \(line): ") }
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }), header == csvColumns else {
            throw CLIError(tr("\(path): dòng 1: tiêu đề phải là ", en: "\(path): line 1: the header must be ") + csvColumns.joined(separator: ","))
        }
        var file: ReportFile?
        for record in records.dropFirst() {
            guard record.fields.count == header.count else { throw CLIError(at(record.line) + tr("\(record.fields.count) trường, tiêu đề có \(header.count)", en: "\(record.fields.count) fields, the header has \(header.count)")) }
            let f = Dictionary(uniqueKeysWithValues: zip(header, record.fields.map { $0.trimmingCharacters(in: .whitespaces) }))
            // A template's «…» cell left in place.
            if let (column, _) = f.first(where: { $0.value.contains(ReportTemplate.open) && $0.value.contains(ReportTemplate.close) }) {
                throw CLIError(at(record.line) + tr("\(column): vẫn là chữ của tệp mẫu; hãy viết nội dung thật", en: "\(column): still holds the template's text; write the real content"))
            }
            guard let period = Period.typed(f["period"]!) else { throw CLIError(at(record.line) + tr("period: \"\(f["period"]!)\" không phải tháng mm/yyyy hay YYYY-MM", en: "period: \"\(f["period"]!)\" is not a month YYYY-MM")) }
            guard let submitter = Int(f["submitter"]!) else { throw CLIError(at(record.line) + tr("submitter: số của một người (trong pulse people list)", en: "submitter: a person id (number)")) }
            guard let prevalence: Prevalence = worded(f["prevalence"]!) else { throw CLIError(at(record.line) + "prevalence: \"\(f["prevalence"]!)\" " + tr("không phải một trong ", en: "is not one of ") + allowed(Prevalence.self)) }
            guard let trend: Trend = worded(f["trend"]!) else { throw CLIError(at(record.line) + "trend: \"\(f["trend"]!)\" " + tr("không phải một trong ", en: "is not one of ") + allowed(Trend.self)) }
            guard let sentiment = Int(f["sentiment"]!), (-2...2).contains(sentiment) else { throw CLIError(at(record.line) + tr("sentiment: một số nguyên từ -2 đến 2", en: "sentiment: a whole number from -2 to 2")) }
            var channels: [Channel] = []
            for c in f["channels"]!.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !c.isEmpty {
                guard let channel: Channel = worded(c) else {
                    throw CLIError(at(record.line) + "channels: \"\(c)\" " + tr("không phải một trong ", en: "is not one of ") + allowed(Channel.self))
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
                throw CLIError(at(record.line) + tr("mọi dòng phải cùng đơn vị và tháng", en: "every row must be for the same unit and period"))
            }
            file!.items.append(item)
        }
        guard let file else { throw CLIError(tr("\(path): không có nội dung nào sau dòng tiêu đề", en: "\(path): no items after the header")) }
        return file
    }

    /// An enum value as a file may write it: its code, or its word in either language.
    static func worded<E: WireEnum & Worded>(_ text: String) -> E? {
        if let e = E(rawValue: text) { return e }
        let folded = text.lowercased()
        for language in Language.allCases {
            if let e = Language.$current.withValue(language, operation: { E.allCases.first { $0.word.lowercased() == folded } }) { return e }
        }
        return nil
    }

    /// The values an enum field takes: "isolated (cá biệt), some (một bộ phận), …".
    static func allowed<E: WireEnum & Worded>(_ type: E.Type) -> String {
        E.allCases.map { value in "\(value.rawValue) (\(Language.$current.withValue(.vi, operation: { value.word })))" }.joined(separator: ", ")
    }

    static func scrubbed(_ counts: [ScrubCount]) -> String {
        counts.map { "\(Output.number($0.count)) \(scrubKind($0.kind))" }.joined(separator: ", ")
    }

    static func scrubKind(_ kind: String) -> String {
        switch Scrubber.Kind(rawValue: kind) {
        case .citizenID: return tr("số định danh", en: "citizen ID numbers")
        case .passport: return tr("số hộ chiếu", en: "passport numbers")
        case .taxCode: return tr("mã số thuế", en: "tax codes")
        case .socialInsurance: return tr("số bảo hiểm", en: "insurance numbers")
        case .bankAccount: return tr("số tài khoản", en: "bank accounts")
        case .licencePlate: return tr("biển số xe", en: "licence plates")
        case .phone: return tr("số điện thoại", en: "phone numbers")
        case .email: return tr("địa chỉ email", en: "e-mail addresses")
        case .profileLink: return tr("liên kết trang cá nhân", en: "profile links")
        case .handle: return tr("tên tài khoản", en: "handles")
        case .personName: return tr("họ tên người dân", en: "people's names")
        case nil: return kind
        }
    }

    static func printReport(_ r: Report, topics: [String: String], unitName: String, submitter: String) {
        print(tr("Báo cáo của \(unitName), tháng \(r.period.text), phiên bản \(r.version)", en: "Report of \(unitName), \(r.period.text), version \(r.version)"))
        print(tr("  nhận lúc \(Output.time(r.receivedAt)); bản đầu \(Output.time(r.firstReceivedAt)): \(r.timeliness.word)", en: "  received \(Output.time(r.receivedAt)); first version \(Output.time(r.firstReceivedAt)): \(r.timeliness.word)"))
        print(tr("  người gửi: \(submitter)", en: "  submitter: \(submitter)"))
        if !r.assessment.isEmpty { print(tr("  đánh giá chung: ", en: "  overall assessment: ") + r.assessment) }
        for (i, item) in r.items.enumerated() {
            let topic = topics[item.topic] ?? item.topic
            print("  \(i + 1). [\(topic)] \(item.prevalence.word), \(item.trend.word), " + tr("đánh giá", en: "sentiment") + " \(item.sentiment > 0 ? "+" : "")\(item.sentiment)")
            print("     \(item.summary)")
            if !item.channels.isEmpty { print(tr("     kênh: ", en: "     channels: ") + item.channels.map(\.word).joined(separator: ", ")) }
            if !item.localities.isEmpty { print(tr("     địa bàn: ", en: "     localities: ") + item.localities.joined(separator: ", ")) }
            if let p = item.proposal, !p.isEmpty { print(tr("     đề xuất: ", en: "     proposal: ") + p) }
        }
    }

    static var unitValue: String { tr("đơn-vị", en: "unit") }
    static var monthValue: String { tr("tháng", en: "month") }

    static var report: Command {
        Command(
            "report", tr("Báo cáo dư luận xã hội hằng tháng.", en: "Monthly opinion reports (báo cáo dư luận xã hội hàng tháng)."),
            subcommands: [
                ReportDue.command,
                ReportTemplate.command,
                review(.received),
                review(.returned),
                Command(
                    "submit", tr("Gửi báo cáo từ tệp JSON (hoặc CSV, mỗi dòng một nội dung); gửi lại cùng tệp là an toàn.", en: "Submit a report from JSON (or CSV, one item per row); resending the same file is a safe retry."),
                    arguments: tr("<tệp>", en: "<file>")
                ) { inv in
                    let path = try inv.positional(0, tr("tệp", en: "file"))
                    let draft = try draft(from: try read(path), path: path)
                    try await AnalyticsCommands.checkTopics(Array(Set(draft.items.map(\.topic))).sorted(), inv, field: "items[].topic")
                    let result = try await inv.call(IntakeAPI.submitReport, draft)
                    inv.output.emit(result) {
                        let r = result.report
                        if inv.output.format == .csv {
                            return inv.output.table(
                                ["unit", "period", "version", "items", "received_at", "timeliness", "replayed", "scrubbed"],
                                [[r.unit, r.period.description, String(r.version), String(r.items), inv.output.time(r.receivedAt), r.timeliness.rawValue, String(result.replayed), result.scrubbed.map { "\($0.kind)=\($0.count)" }.joined(separator: " ")]])
                        }
                        print(result.replayed ? tr("Đã có từ trước (lần gửi lại; không lưu thêm gì):", en: "Already stored (this was a retry; nothing new was stored):") : tr("Đã lưu:", en: "Stored:"))
                        print(tr("  \(r.unit) tháng \(r.period.text) phiên bản \(r.version), \(r.items) nội dung, nhận lúc \(Output.time(r.receivedAt))",
                                 en: "  \(r.unit) \(r.period.text) version \(r.version), \(LocalFormat.count(r.items, vi: "", en: "item")), received \(Output.time(r.receivedAt))"))
                        print(tr("  đúng/trễ hạn: ", en: "  timeliness: ") + r.timeliness.word + (r.version > 1 ? tr(" (tính theo phiên bản 1)", en: " (decided by version 1)") : ""))
                        print(tr("  thông tin cá nhân đã bỏ: ", en: "  personal identifiers removed: ") + (result.scrubbed.isEmpty ? tr("không có", en: "none") : scrubbed(result.scrubbed)))
                    }
                },
                Command(
                    "show", tr("Xem báo cáo của một đơn vị trong một tháng (bản mới nhất, trừ khi có --version).", en: "Show a unit's report for a month (latest version unless --version)."),
                    arguments: tr("<đơn-vị> <tháng>", en: "<unit> <month>"), options: [.option("version", value: "n", help: tr("Xem phiên bản này.", en: "Show this version."))]
                ) { inv in
                    let r = try await inv.call(
                        IntakeAPI.getReport,
                        GetReportRequest(unit: try inv.positional(0, unitValue), period: try inv.period(try inv.positional(1, monthValue), monthValue), version: try inv.arguments.integer("version")))
                    let topics = try await Names.topics(inv)
                    let reviews = try await inv.call(IntakeAPI.reviews, ReviewsRequest(unit: r.unit, period: r.period)).reviews
                    let unitName = Names.unit(r.unit, try await Names.units(inv), inv.output)
                    // The submitter by name where the caller may see the roster's people; else by number.
                    let submitter = (try? await inv.call(RosterAPI.getPerson, GetPersonRequest(id: r.submitter))).map { "\($0.fullName) (#\(r.submitter))" } ?? "#\(r.submitter)"
                    struct Shown: Encodable {
                        var report: Report
                        var reviews: [Review]
                    }
                    inv.output.emit(Shown(report: r, reviews: reviews)) {
                        if inv.output.format == .csv {
                            return inv.output.table(
                                ["unit", "period", "version", "topic", "summary", "prevalence", "trend", "sentiment", "channels", "localities", "proposal"],
                                r.items.map { [r.unit, r.period.description, String(r.version), $0.topic, $0.summary, $0.prevalence.rawValue, $0.trend.rawValue, String($0.sentiment), $0.channels.map(\.rawValue).joined(separator: ";"), $0.localities.joined(separator: ";"), $0.proposal ?? ""] })
                        }
                        printReport(r, topics: topics, unitName: unitName, submitter: submitter)
                        for review in reviews {
                            print(tr("  phiên bản \(review.version): \(review.state.word) lúc \(Output.time(review.at))", en: "  version \(review.version): \(review.state.word) at \(Output.time(review.at))") + (review.reason.map { ": \($0)" } ?? ""))
                        }
                    }
                },
                Command("history", tr("Mọi phiên bản báo cáo của một đơn vị.", en: "Every version of a unit's reports."), arguments: tr("<đơn-vị>", en: "<unit>")) { inv in
                    let h = try await inv.call(IntakeAPI.reportHistory, ReportHistoryRequest(unit: try inv.positional(0, unitValue)))
                    // The commission's latest word on each version.
                    var reviewed: [String: ReviewState] = [:]
                    for review in try await inv.call(IntakeAPI.reviews, ReviewsRequest(unit: h.unit)).reviews { reviewed["\(review.period)|\(review.version)"] = review.state }
                    inv.output.emit(h) {
                        inv.output.table(
                            inv.output.format == .csv
                                ? ["period", "version", "items", "received_at", "timeliness", "review"]
                                : [tr("tháng", en: "month"), tr("phiên bản", en: "version"), tr("nội dung", en: "items"), tr("nhận lúc", en: "received"), tr("đúng/trễ hạn", en: "timeliness"), tr("Ban xem xét", en: "review")],
                            h.versions.map { v in
                                let review = reviewed["\(v.period)|\(v.version)"]
                                return [inv.output.month(v.period), String(v.version), inv.output.number(v.items), inv.output.time(v.receivedAt), inv.output.format == .csv ? v.timeliness.rawValue : v.timeliness.word,
                                        inv.output.format == .csv ? review?.rawValue ?? "" : review?.word ?? ""]
                            },
                            numeric: [1, 2])
                    }
                },
            ])
    }

    /// `report receive` and `report return`: the commission's review of a unit's latest version.
    static func review(_ state: ReviewState) -> Command {
        let returning = state == .returned
        return Command(
            returning ? "return" : "receive",
            returning
                ? tr("Trả lại báo cáo của một đơn vị để sửa, nêu lý do; cán bộ phụ trách đơn vị được báo.", en: "Return a unit's report for correction, with the reason; the unit's official is notified.")
                : tr("Ghi nhận Ban đã tiếp nhận báo cáo của một đơn vị (bản mới nhất).", en: "Mark a unit's report (its latest version) received by the commission."),
            arguments: tr("<đơn-vị> <tháng>", en: "<unit> <month>"),
            options: returning ? [.option("reason", value: tr("lý do", en: "text"), help: tr("Đơn vị cần sửa gì (bắt buộc).", en: "What the unit must correct (required)."))] : []
        ) { inv in
            let unit = try inv.positional(0, unitValue)
            let period = try inv.period(try inv.positional(1, monthValue), monthValue)
            let reason = returning ? try inv.arguments.required("reason") : nil
            // The unit first: a name or a mistyped code is "no such unit", not "no report".
            let found = try await inv.call(RosterAPI.getUnit, GetUnitRequest(code: unit))
            let review = try await inv.call(IntakeAPI.reviewReport, ReviewRequest(unit: unit, period: period, state: state, reason: reason))
            // Who will hear of it: the unit's official in charge now, if it has one.
            let official = returning ? try await inv.call(RosterAPI.officialHistory, UnitRequest(unit: unit)).assignments.last { $0.to == nil } : nil
            inv.output.emit(review) {
                if inv.output.format == .csv {
                    return inv.output.table(["unit", "period", "version", "state", "reason", "at"], [[review.unit, review.period.description, String(review.version), review.state.rawValue, review.reason ?? "", inv.output.time(review.at)]])
                }
                let name = "\(found.fullName) (\(review.unit))"
                if returning {
                    print(tr("đã trả lại báo cáo của \(name) tháng \(review.period.text) (phiên bản \(review.version)) để sửa; tháng này chưa tính là đủ đến khi bản sửa đến",
                             en: "returned \(name)'s report for \(review.period.text) (version \(review.version)) for correction; the month is not complete until the corrected version arrives"))
                    if review.reason != reason.map({ Folding.nfc(Folding.trimmed($0)) }) {
                        print(tr("  thông tin định danh đã được bỏ khỏi lý do: \(review.reason ?? "")", en: "  identifiers were removed from the reason: \(review.reason ?? "")"))
                    }
                    if let official {
                        print(tr("  cán bộ phụ trách \(official.personName) sẽ được thông báo", en: "  the official in charge, \(official.personName), will be notified"))
                    } else {
                        warn(tr("chú ý: \(name) chưa có cán bộ phụ trách nên chưa ai được báo; phân công bằng `pulse assign \(review.unit) SỐ-NGƯỜI`",
                                en: "note: \(name) has no official in charge, so nobody is told; assign one with `pulse assign \(review.unit) PERSON-ID`"))
                    }
                } else {
                    print(tr("Ban đã tiếp nhận báo cáo của \(name) tháng \(review.period.text) (phiên bản \(review.version))", en: "received \(name)'s report for \(review.period.text) (version \(review.version))"))
                }
            }
        }
    }

    static func surveyID(_ inv: Invocation, _ index: Int = 0) throws -> Int {
        let text = try inv.positional(index, tr("số-khảo-sát", en: "survey-id"))
        guard let id = Int(text), id > 0 else {
            throw UsageError(tr("<số-khảo-sát> là số ở cột đầu của `pulse survey list`, không phải \"\(text)\"", en: "<survey-id> is the number from `pulse survey list`, not \"\(text)\""))
        }
        return id
    }

    static var surveyArgument: String { tr("<số-khảo-sát>", en: "<survey-id>") }

    static var survey: Command {
        Command(
            "survey", tr("Điều tra xã hội học, phiếu trả lời ẩn danh.", en: "Sociological surveys (điều tra xã hội học) with anonymous responses."),
            subcommands: [
                Command("create", tr("Tạo khảo sát từ bảng hỏi JSON.", en: "Create a survey from a JSON questionnaire."), arguments: tr("<tệp.json>", en: "<file.json>")) { inv in
                    let path = try inv.positional(0, tr("tệp.json", en: "file.json"))
                    let survey: Survey
                    do { survey = try JSONDecoder().decode(Survey.self, from: Data(try read(path).utf8)) } catch let e as CLIError { throw e } catch { throw jsonError(error, path) }
                    let created = try await inv.call(IntakeAPI.createSurvey, survey)
                    let id = created.id ?? 0
                    inv.output.emit(created) {
                        print(tr("đã tạo khảo sát #\(id) \"\(created.title)\" (\(created.questions.count) câu hỏi), đang là bản nháp; mở bằng `pulse survey open \(id)`",
                                 en: "created survey #\(id) \"\(created.title)\" (\(LocalFormat.count(created.questions.count, vi: "", en: "question"))), state draft; open it with `pulse survey open \(id)`"))
                    }
                },
                Command("list", tr("Liệt kê khảo sát.", en: "List surveys.")) { inv in
                    let list = try await inv.call(IntakeAPI.listSurveys, Empty())
                    inv.output.emit(list) {
                        inv.output.table(
                            inv.output.format == .csv ? ["id", "title", "state", "opens", "closes", "questions"] : [tr("số", en: "id"), tr("tên", en: "title"), tr("trạng thái", en: "state"), tr("mở", en: "opens"), tr("đóng", en: "closes"), tr("câu hỏi", en: "questions")],
                            list.surveys.map { [String($0.id ?? 0), $0.title, inv.output.format == .csv ? $0.state?.rawValue ?? "" : $0.state?.word ?? "", inv.output.day($0.opens), inv.output.day($0.closes), String($0.questions.count)] },
                            numeric: [0, 5])
                    }
                },
                Command("open", tr("Mở khảo sát để nhận phiếu.", en: "Open a survey for responses."), arguments: surveyArgument) { inv in
                    let s = try await inv.call(IntakeAPI.openSurvey, SurveyRequest(id: try surveyID(inv)))
                    inv.output.emit(s) { print(tr("khảo sát #\(s.id ?? 0) đang mở", en: "survey #\(s.id ?? 0) is open")) }
                },
                Command("close", tr("Đóng khảo sát.", en: "Close a survey."), arguments: surveyArgument) { inv in
                    let s = try await inv.call(IntakeAPI.closeSurvey, SurveyRequest(id: try surveyID(inv)))
                    inv.output.emit(s) { print(tr("khảo sát #\(s.id ?? 0) đã đóng", en: "survey #\(s.id ?? 0) is closed")) }
                },
                Command(
                    "respond", tr("Ghi một phiếu trả lời ẩn danh từ JSON {unit, day, answers}.", en: "Record one anonymous response from JSON {unit, day, answers}."),
                    arguments: tr("<số-khảo-sát> <tệp.json>", en: "<survey-id> <file.json>")
                ) { inv in
                    struct File: Codable { var unit: String; var day: Day; var answers: [Answer] }
                    let id = try surveyID(inv)
                    let path = try inv.positional(1, tr("tệp.json", en: "file.json"))
                    let file: File
                    do { file = try JSONDecoder().decode(File.self, from: Data(try read(path).utf8)) } catch let e as CLIError { throw e } catch { throw jsonError(error, path) }
                    let result = try await inv.call(IntakeAPI.respond, SurveyResponse(survey: id, unit: file.unit, day: file.day, answers: file.answers))
                    inv.output.emit(result) {
                        print(tr("đã ghi phiếu", en: "response recorded") + (result.scrubbed.isEmpty ? "" : tr("; đã bỏ ", en: "; removed ") + scrubbed(result.scrubbed)))
                    }
                },
                Command(
                    "import", tr("Nhập phiếu giấy từ CSV: unit,day,<mã câu hỏi…> (tất cả hoặc không; UTF-8 hoặc UTF-16).", en: "Import paper questionnaires from CSV: unit,day,<question codes…> (all or nothing; UTF-8 or UTF-16)."),
                    arguments: tr("<số-khảo-sát> <tệp.csv>", en: "<survey-id> <file.csv>")
                ) { inv in
                    let id = try surveyID(inv)
                    let result = try await inv.call(IntakeAPI.importResponses, ImportResponsesRequest(survey: id, csv: try read(try inv.positional(1, tr("tệp.csv", en: "file.csv")))))
                    inv.output.emit(result) {
                        print(tr("đã nhập \(Output.number(result.imported)) phiếu", en: "imported \(LocalFormat.count(result.imported, vi: "", en: "response"))") + (result.scrubbed.isEmpty ? "" : tr("; đã bỏ ", en: "; removed ") + scrubbed(result.scrubbed)))
                    }
                },
                AnalyticsCommands.surveyResults, AnalyticsCommands.surveyPlan,
                Command("counts", tr("Số câu trả lời thô của từng câu hỏi.", en: "Raw answer counts per question."), arguments: surveyArgument) { inv in
                    let c = try await inv.call(IntakeAPI.surveyCounts, SurveyRequest(id: try surveyID(inv)))
                    inv.output.emit(c) {
                        if inv.output.format == .csv {
                            var rows: [[String]] = []
                            for q in c.questions {
                                rows.append([q.question, "", String(q.answered), q.mean.map { String(format: "%.4f", $0) } ?? ""])
                                for (answer, n) in (q.counts ?? [:]).sorted(by: { $0.key < $1.key }) { rows.append([q.question, answer, String(n), ""]) }
                            }
                            return inv.output.table(["question", "answer", "count", "mean"], rows)
                        }
                        print(tr("khảo sát #\(c.survey): \(Output.number(c.responses)) phiếu từ \(c.byUnit.count) đơn vị", en: "survey #\(c.survey): \(LocalFormat.count(c.responses, vi: "", en: "response")) from \(LocalFormat.count(c.byUnit.count, vi: "", en: "unit"))"))
                        for q in c.questions {
                            var line = "  \(q.question): " + tr("\(Output.number(q.answered)) trả lời", en: "\(Output.number(q.answered)) answered")
                            if let counts = q.counts { line += "; " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \(Output.number($0.value))" }.joined(separator: ", ") }
                            if let m = q.mean { line += tr("; trung bình ", en: "; mean ") + Output.decimal(m, 2) }
                            print(line)
                        }
                    }
                },
            ])
    }

    static var status: Command {
        Command(
            "status", tr("Ai đã báo cáo trong tháng: đơn vị chưa báo cáo trước, với tỉ lệ báo cáo và tỉ lệ đúng hạn.", en: "Who reported for a month: missing units first, with reporting and timeliness rates."),
            options: [
                .option("period", short: "p", value: RosterCommands.monthValue, help: tr("Tháng (mặc định tháng này).", en: "The month (default this month).")),
                .option("unit", short: "u", value: RosterCommands.codeValue, help: tr("Gộp cây của đơn vị này (mặc định cả tỉnh).", en: "Roll up this unit's subtree (default the province).")),
                .flag("as-of-deadline", help: tr("Số liệu như tại thời hạn; bản sửa sau đó không làm thay đổi.", en: "Figures as they stood at the deadline; later corrections change nothing.")),
            ]
        ) { inv in
            let period = try inv.arguments.value("period").map { try inv.period($0, option: "period") } ?? Day.today.period
            let c = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: period, unit: inv.arguments.value("unit"), asOfDeadline: inv.arguments.has("as-of-deadline")))
            let root = inv.output.format == .table ? Names.unit(c.root, try await Names.units(inv), inv.output) : c.root
            inv.output.emit(c) {
                inv.output.table(
                    inv.output.format == .csv ? ["state", "unit", "name", "version", "items", "received_at"] : [tr("trạng thái", en: "state"), tr("mã", en: "code"), tr("đơn vị", en: "unit"), tr("phiên bản", en: "version"), tr("nội dung", en: "items"), tr("nhận lúc", en: "received")],
                    c.rows.map { [inv.output.format == .csv ? $0.state.rawValue : $0.state.word, $0.unit, $0.name, $0.version.map(String.init) ?? "", $0.items.map(inv.output.number) ?? "", $0.receivedAt.map(inv.output.time) ?? ""] }, numeric: [3, 4])
                inv.output.note(
                    tr("\(c.period.text), \(root): \(c.reported) trên \(c.expected) đơn vị đã báo cáo (\(Output.percent(c.reportingRate))), \(c.onTime) đúng hạn (\(Output.percent(c.timelinessRate)))",
                       en: "\(c.period.text), \(root): \(c.reported) of \(LocalFormat.count(c.expected, vi: "", en: "unit")) reported (\(Output.percent(c.reportingRate))), \(c.onTime) on time (\(Output.percent(c.timelinessRate)))"))
                if period > Day.today.period {
                    inv.output.note(tr("\(period.text) chưa đến: chưa đơn vị nào phải báo cáo", en: "\(period.text) has not begun: no unit owes its report yet"))
                } else if period == Day.today.period && Day.today < period.dueDate(dueDay: 25) {
                    inv.output.note(tr("hạn báo cáo tháng này là trước ngày \(period.dueDate(dueDay: 25).text)", en: "this month's reports are due before \(period.dueDate(dueDay: 25).text)"))
                }
            }
        }
    }
}
