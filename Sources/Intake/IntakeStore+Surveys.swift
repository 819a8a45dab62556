import Base
import Foundation
import Localization
import Messages
import RPC
import Store
import Text
import Wire

extension IntakeStore {
    static func survey(_ row: Row) throws -> Survey {
        try Survey(
            id: row.get(0, as: Int?.self), title: row.get(1), questions: try CBORDecoder().decode([Question].self, from: row.get(2, as: [UInt8]?.self) ?? []),
            targetUnits: row.get(3, as: String.self).split(separator: ",").map(String.init), opens: row.get(4, parsing: Day.init), closes: row.get(5, parsing: Day.init),
            state: SurveyState(rawValue: row.get(6)), quota: row.get(7, as: Int?.self))
    }

    static func loadSurvey(_ db: Database, _ id: Int) throws -> Survey {
        guard let row = try db.query("SELECT id, title, questions, target_units, opens, closes, state, quota FROM surveys WHERE id = ?", [id]).first else {
            throw RPCError(.notFound, tr("survey: không có khảo sát số \(id)", en: "survey: no survey \(id)"))
        }
        return try survey(row)
    }

    static func loadResponse(_ db: Database, id: Int64) throws -> SurveyResponse? {
        guard let row = try db.query("SELECT survey, unit, day, answers FROM responses WHERE id = ?", [id]).first else { return nil }
        return try SurveyResponse(survey: row.get(0), unit: row.get(1), day: row.get(2, parsing: Day.init), answers: CBORDecoder().decode([Answer].self, from: row.get(3, as: [UInt8]?.self) ?? []))
    }

    public func createSurvey(_ survey: Survey) async throws -> Survey {
        var problems: [String] = []
        let title = Scrubber.scrub(Folding.nfc(survey.title.trimmingCharacters(in: .whitespaces))).text
        if title.isEmpty { problems.append(tr("title: bắt buộc", en: "title: required")) }
        if title.utf8.count > 300 && title.count > 300 { problems.append(tr("title: \(title.count) ký tự; tối đa 300", en: "title: \(title.count) characters; at most 300")) }
        if survey.questions.count > 100 { problems.append(tr("questions: \(survey.questions.count); tối đa 100", en: "questions: \(survey.questions.count); at most 100")) }
        if survey.questions.isEmpty { problems.append(tr("questions: một khảo sát có ít nhất một câu hỏi", en: "questions: a survey has at least one question")) }
        var codes: Set<String> = []
        for (i, q) in survey.questions.enumerated() {
            let at = "questions[\(i)]"
            if q.code.isEmpty || !codes.insert(q.code).inserted { problems.append(tr("\(at).code: phải có và không trùng", en: "\(at).code: must be present and unique")) }
            if q.text.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(tr("\(at).text: bắt buộc", en: "\(at).text: required")) }
            if q.text.utf8.count > 1000 && q.text.count > 1000 { problems.append(tr("\(at).text: \(q.text.count) ký tự; tối đa 1.000", en: "\(at).text: \(q.text.count) characters; at most 1,000")) }
            if let options = q.options {
                if options.count > 50 { problems.append(tr("\(at).options: \(options.count); tối đa 50", en: "\(at).options: \(options.count); at most 50")) }
                for (j, o) in options.enumerated() where o.utf8.count > 200 && o.count > 200 { problems.append("\(at).options[\(j)]: \(o.count) characters; at most 200") }
            }
            switch q.kind {
            case .singleChoice, .multipleChoice:
                let options = q.options ?? []
                if options.count < 2 || Set(options).count != options.count { problems.append("\(at).options: a choice question needs at least two different options") }
            case .number:
                if let lo = q.min, let hi = q.max, lo >= hi { problems.append(tr("\(at).min: phải nhỏ hơn max", en: "\(at).min: must be below max")) }
            case .likert, .freeText: break
            }
        }
        if survey.closes < survey.opens { problems.append(tr("closes: \(survey.closes.text) trước opens \(survey.opens.text)", en: "closes: \(survey.closes) is before opens \(survey.opens)")) }
        if let quota = survey.quota, !(1...100_000).contains(quota) { problems.append(tr("quota: \(quota) không nằm trong 1 đến 100.000 phiếu mỗi đơn vị", en: "quota: \(quota) is not 1 to 100.000 responses per unit")) }
        if survey.targetUnits.isEmpty { problems.append(tr("targetUnits: hãy nêu ít nhất một đơn vị", en: "targetUnits: name at least one unit")) }
        for (i, code) in survey.targetUnits.enumerated() where try await roster.unit(code) == nil {
            problems.append(tr("targetUnits[\(i)]: roster không có đơn vị \"\(code)\"", en: "targetUnits[\(i)]: no unit \"\(code)\" in roster"))
        }
        guard problems.isEmpty else { throw RPCError(.invalidArgument, problems.joined(separator: "; ")) }
        // The commission's own wording, scrubbed like every stored text.
        let scrubbedQuestions = survey.questions.map { q in
            var q = q
            q.text = Scrubber.scrub(Folding.nfc(q.text)).text
            q.options = q.options?.map { Scrubber.scrub(Folding.nfc($0)).text }
            return q
        }
        let questions = try CBOREncoder().encode(scrubbedQuestions)
        return try await queue.write { db in
            try db.run(
                "INSERT INTO surveys (title, questions, target_units, opens, closes, state, quota) VALUES (?,?,?,?,?,'draft',?)",
                [title, questions, survey.targetUnits.joined(separator: ","), survey.opens.description, survey.closes.description, survey.quota])
            return try IntakeStore.loadSurvey(db, Int(db.lastInsertRowID))
        }
    }

    public func setSurveyState(_ id: Int, to state: SurveyState) async throws -> Survey {
        try await queue.writeGrouped { db in
            let survey = try IntakeStore.loadSurvey(db, id)
            switch (survey.state, state) {
            case (.draft?, .open):
                try db.run("UPDATE surveys SET state = 'open' WHERE id = ?", [id])
                try db.run("INSERT INTO changes (kind, survey_id) VALUES ('surveyOpened', ?)", [id])
            case (.open?, .closed):
                try db.run("UPDATE surveys SET state = 'closed' WHERE id = ?", [id])
                try db.run("INSERT INTO changes (kind, survey_id) VALUES ('surveyClosed', ?)", [id])
            case (let current, _):
                throw RPCError(.failedPrecondition, tr("khảo sát \(id) đang \(current?.word ?? "?"); chỉ đi được bản nháp → đang mở → đã đóng", en: "survey \(id) is \(current?.rawValue ?? "?"); it can go draft → open → closed only"))
            }
            return try IntakeStore.loadSurvey(db, id)
        }
    }

    public func survey(_ id: Int) async throws -> Survey {
        try await queue.read { try IntakeStore.loadSurvey($0, id) }
    }

    public func surveys() async throws -> [Survey] {
        try await queue.read { db in
            try db.query("SELECT id, title, questions, target_units, opens, closes, state, quota FROM surveys ORDER BY id").map(IntakeStore.survey)
        }
    }

    /// Checks one response against its questionnaire; returns it with free text scrubbed.
    func checkedResponse(_ response: SurveyResponse, survey: Survey, under: Set<String>, today: Day, at prefix: String) -> (SurveyResponse?, [String], [Scrubber.Removal]) {
        var problems: [String] = []
        var removals: [Scrubber.Removal] = []
        if !under.contains(response.unit) { problems.append(tr("\(prefix)unit: \"\(response.unit)\" không thuộc các đơn vị của khảo sát", en: "\(prefix)unit: \"\(response.unit)\" is not among the survey's target units")) }
        if response.day < survey.opens || response.day > survey.closes {
            problems.append(tr("\(prefix)day: \(response.day.text) nằm ngoài thời gian khảo sát \(survey.opens.text)…\(survey.closes.text)", en: "\(prefix)day: \(response.day) is outside the survey's dates \(survey.opens)…\(survey.closes)"))
        }
        if response.day > today { problems.append(tr("\(prefix)day: \(response.day.text) là ở tương lai", en: "\(prefix)day: \(response.day) is in the future")) }
        var seen: Set<String> = []
        var answers: [Answer] = []
        for (i, answer) in response.answers.enumerated() {
            let at = "\(prefix)answers[\(i)]"
            guard let q = survey.questions.first(where: { $0.code == answer.question }) else {
                problems.append(tr("\(at).question: không có câu hỏi \"\(answer.question)\" trong khảo sát \(survey.id ?? 0)", en: "\(at).question: no question \"\(answer.question)\" in survey \(survey.id ?? 0)"))
                continue
            }
            guard seen.insert(q.code).inserted else {
                problems.append(tr("\(at).question: \"\(q.code)\" được trả lời hai lần", en: "\(at).question: \"\(q.code)\" is answered twice"))
                continue
            }
            var a = Answer(question: q.code)
            switch q.kind {
            case .singleChoice, .multipleChoice:
                let choices = answer.choices ?? []
                let options = q.options ?? []
                if let bad = choices.first(where: { !options.contains($0) }) {
                    problems.append(tr("\(at).choices: \"\(bad)\" không phải phương án của \(q.code) (\(options.joined(separator: ", ")))", en: "\(at).choices: \"\(bad)\" is not an option of \(q.code) (\(options.joined(separator: ", ")))"))
                } else if q.kind == .singleChoice && choices.count != 1 {
                    problems.append(tr("\(at).choices: \(q.code) nhận đúng một lựa chọn", en: "\(at).choices: \(q.code) takes exactly one choice"))
                } else if choices.isEmpty || Set(choices).count != choices.count {
                    problems.append(tr("\(at).choices: \(q.code) nhận một hay nhiều lựa chọn khác nhau", en: "\(at).choices: \(q.code) takes one or more different choices"))
                }
                a.choices = choices
            case .likert:
                guard let n = answer.number, n.rounded() == n, (1...5).contains(n) else {
                    problems.append(tr("\(at).number: \(q.code) trả lời từ 1 đến 5", en: "\(at).number: \(q.code) is answered 1 to 5"))
                    continue
                }
                a.number = n
            case .number:
                guard let n = answer.number, n.isFinite else {
                    problems.append(tr("\(at).number: \(q.code) nhận một số", en: "\(at).number: \(q.code) takes a number"))
                    continue
                }
                if let lo = q.min, n < lo { problems.append(tr("\(at).number: \(n) dưới mức tối thiểu \(lo) của \(q.code)", en: "\(at).number: \(n) is below the minimum \(lo) of \(q.code)")) }
                if let hi = q.max, n > hi { problems.append(tr("\(at).number: \(n) trên mức tối đa \(hi) của \(q.code)", en: "\(at).number: \(n) is above the maximum \(hi) of \(q.code)")) }
                a.number = n
            case .freeText:
                let text = (answer.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                if text.count > 2000 { problems.append(tr("\(at).text: tối đa 2.000 ký tự", en: "\(at).text: at most 2,000 characters")) }
                let scrubbed = Scrubber.scrub(Folding.nfc(text))
                removals += scrubbed.removals
                a.text = scrubbed.text
            }
            answers.append(a)
        }
        for q in survey.questions where q.required ?? false && !seen.contains(q.code) {
            problems.append(tr("\(prefix)answers: câu hỏi bắt buộc \(q.code) chưa được trả lời", en: "\(prefix)answers: required question \(q.code) is not answered"))
        }
        guard problems.isEmpty else { return (nil, problems, removals) }
        return (SurveyResponse(survey: response.survey, unit: response.unit, day: response.day, answers: answers), [], removals)
    }

    func targetSet(_ survey: Survey) async throws -> Set<String> {
        var units = Set(survey.targetUnits)
        for code in survey.targetUnits { units.formUnion(try await roster.subtree(code)) }
        return units
    }

    /// Stores anonymous responses, all or nothing.
    func store(_ responses: [SurveyResponse], survey id: Int) async throws {
        let encoded = try responses.map { try CBOREncoder().encode($0.answers) }
        try await queue.writeGrouped { db in
            guard try IntakeStore.loadSurvey(db, id).state == .open else {
                throw RPCError(.failedPrecondition, tr("khảo sát \(id) không mở nhận phiếu", en: "survey \(id) is not open for responses"))
            }
            for (response, answers) in zip(responses, encoded) {
                try db.run("INSERT INTO responses (survey, unit, day, answers) VALUES (?,?,?,?)", [id, response.unit, response.day.description, answers])
                try db.run("INSERT INTO changes (kind, survey_id, response_id) VALUES ('surveyResponse', ?, ?)", [id, db.lastInsertRowID])
            }
        }
    }

    public func respond(_ response: SurveyResponse) async throws -> RespondResult {
        let survey = try await self.survey(response.survey)
        guard survey.state == .open else { throw RPCError(.failedPrecondition, tr("khảo sát \(response.survey) đang \(survey.state?.word ?? "?"), không mở", en: "survey \(response.survey) is \(survey.state?.rawValue ?? "?"), not open")) }
        let (checked, problems, removals) = checkedResponse(response, survey: survey, under: try await targetSet(survey), today: Day(configuration.clock()), at: "")
        guard let checked else { throw RPCError(.invalidArgument, problems.joined(separator: "; ")) }
        try await store([checked], survey: response.survey)
        return RespondResult(scrubbed: ReportValidation.counts(removals))
    }

    /// Paper questionnaires entered in bulk: `unit,day,<question codes…>`; multiple choices
    /// separated by `;`. Every bad row is reported with its line; then nothing is stored.
    public func importResponses(_ request: ImportResponsesRequest) async throws -> ImportResponsesResult {
        let survey = try await self.survey(request.survey)
        guard survey.state == .open else { throw RPCError(.failedPrecondition, tr("khảo sát \(request.survey) đang \(survey.state?.word ?? "?"), không mở", en: "survey \(request.survey) is \(survey.state?.rawValue ?? "?"), not open")) }
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(request.csv) } catch { throw RPCError(.invalidArgument, "csv: \(error)") }
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else { throw RPCError(.invalidArgument, tr("csv: tệp trống", en: "csv: the file is empty")) }
        guard header.count >= 2, header[0] == "unit", header[1] == "day" else {
            throw RPCError(.invalidArgument, tr("csv: dòng 1: tiêu đề phải bắt đầu bằng unit,day rồi đến mã các câu hỏi", en: "csv: line 1: the header must start with unit,day then question codes"))
        }
        for code in header.dropFirst(2) where !survey.questions.contains(where: { $0.code == code }) {
            throw RPCError(.invalidArgument, tr("csv: dòng 1: không có câu hỏi \"\(code)\" trong khảo sát \(request.survey)", en: "csv: line 1: no question \"\(code)\" in survey \(request.survey)"))
        }
        let under = try await targetSet(survey)
        let today = Day(configuration.clock())
        var problems: [String] = []
        var removals: [Scrubber.Removal] = []
        var responses: [SurveyResponse] = []
        for record in records.dropFirst() {
            let at = "line \(record.line): "
            guard record.fields.count == header.count else {
                problems.append(tr("\(at)\(record.fields.count) trường trong khi tiêu đề có \(header.count)", en: "\(at)\(record.fields.count) fields where the header has \(header.count)"))
                continue
            }
            guard let day = Day.typed(record.fields[1].trimmingCharacters(in: .whitespaces)) else {
                problems.append(tr("\(at)day: \"\(record.fields[1])\" không phải ngày YYYY-MM-DD hay dd/mm/yyyy", en: "\(at)day: \"\(record.fields[1])\" is not a date YYYY-MM-DD or dd/mm/yyyy"))
                continue
            }
            var answers: [Answer] = []
            for (code, raw) in zip(header.dropFirst(2), record.fields.dropFirst(2)) {
                let value = raw.trimmingCharacters(in: .whitespaces)
                if value.isEmpty { continue }
                let q = survey.questions.first { $0.code == code }!
                switch q.kind {
                case .singleChoice, .multipleChoice:
                    answers.append(Answer(question: code, choices: value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }))
                case .likert, .number:
                    guard let n = Double(value) else {
                        problems.append(tr("\(at)\(code): \"\(value)\" không phải một số", en: "\(at)\(code): \"\(value)\" is not a number"))
                        continue
                    }
                    answers.append(Answer(question: code, number: n))
                case .freeText:
                    answers.append(Answer(question: code, text: value))
                }
            }
            let response = SurveyResponse(survey: request.survey, unit: record.fields[0].trimmingCharacters(in: .whitespaces), day: day, answers: answers)
            let (checked, rowProblems, rowRemovals) = checkedResponse(response, survey: survey, under: under, today: today, at: at)
            problems += rowProblems
            removals += rowRemovals
            if let checked { responses.append(checked) }
        }
        guard problems.isEmpty else {
            throw RPCError(.invalidArgument, "nothing was imported: " + problems.prefix(20).joined(separator: "; ") + (problems.count > 20 ? "; and \(problems.count - 20) more" : ""))
        }
        guard !responses.isEmpty else { throw RPCError(.invalidArgument, tr("csv: không có phiếu nào sau dòng tiêu đề", en: "csv: no responses after the header")) }
        try await store(responses, survey: request.survey)
        return ImportResponsesResult(imported: responses.count, scrubbed: ReportValidation.counts(removals))
    }

    /// The bytes of answers one page of responses carries at most: well under the 4 MiB frame
    /// whatever the number of responses (issue 14, item 2).
    public static let responsePageBytes = 1 << 20

    /// One page of a survey's responses, after the response `after`.
    public func responses(_ id: Int, after: Int? = nil) async throws -> SurveyResponses {
        try await queue.read { db in
            let survey = try IntakeStore.loadSurvey(db, id)
            var responses: [SurveyResponse] = []
            var bytes = 0
            var next: Int?
            for row in try db.query("SELECT id, survey, unit, day, answers FROM responses WHERE survey = ? AND id > ? ORDER BY id", [id, after ?? 0]) {
                let answers = try row.get(4, as: [UInt8]?.self) ?? []
                if bytes + answers.count + 64 > IntakeStore.responsePageBytes && !responses.isEmpty {
                    next = (try row.get(0, as: Int.self)) - 1
                    break
                }
                bytes += answers.count + 64
                responses.append(try SurveyResponse(survey: row.get(1), unit: row.get(2), day: row.get(3, parsing: Day.init), answers: CBORDecoder().decode([Answer].self, from: answers)))
            }
            return SurveyResponses(survey: survey, responses: responses, next: next)
        }
    }

    /// Every response of a survey, page by page.
    public func allResponses(_ id: Int) async throws -> SurveyResponses {
        var all = try await responses(id)
        var next = all.next
        while let after = next {
            let page = try await responses(id, after: after)
            all.responses += page.responses
            next = page.next
        }
        all.next = nil
        return all
    }

    /// Raw counts per question; estimates with margins belong to analytics.
    public func counts(_ id: Int) async throws -> SurveyCounts {
        let all = try await allResponses(id)
        var byUnit: [String: Int] = [:]
        for r in all.responses { byUnit[r.unit, default: 0] += 1 }
        let questions = all.survey.questions.map { q -> QuestionCounts in
            let answers = all.responses.compactMap { $0.answers.first { $0.question == q.code } }
            switch q.kind {
            case .singleChoice, .multipleChoice:
                var counts = Dictionary(uniqueKeysWithValues: (q.options ?? []).map { ($0, 0) })
                for a in answers { for c in a.choices ?? [] { counts[c, default: 0] += 1 } }
                return QuestionCounts(question: q.code, answered: answers.count, counts: counts)
            case .likert:
                var counts = Dictionary(uniqueKeysWithValues: (1...5).map { (String($0), 0) })
                for a in answers { if let n = a.number { counts[String(Int(n)), default: 0] += 1 } }
                let values = answers.compactMap(\.number)
                return QuestionCounts(question: q.code, answered: answers.count, counts: counts, mean: values.isEmpty ? nil : values.reduce(0, +) / Double(values.count))
            case .number:
                let values = answers.compactMap(\.number)
                return QuestionCounts(question: q.code, answered: answers.count, mean: values.isEmpty ? nil : values.reduce(0, +) / Double(values.count))
            case .freeText:
                return QuestionCounts(question: q.code, answered: answers.count)
            }
        }
        return SurveyCounts(survey: id, responses: all.responses.count, byUnit: byUnit, questions: questions)
    }
}
