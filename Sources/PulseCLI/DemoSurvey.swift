import Foundation
import Localization
import Messages
import Wire

/// The demo's survey: a short questionnaire on public services after the merger, answered on
/// paper in six communes and imported as CSV, then its estimates (so `pulse survey results 1` works).
enum DemoSurvey {
    static let satisfaction = ["Rất hài lòng", "Hài lòng", "Chưa hài lòng"]

    static func run(_ inv: Invocation, period: Period, reporting: [OrgUnit]) async throws {
        let communes = reporting.filter { $0.kind == .commune }.prefix(6).map(\.code)
        let today = Day.today
        let opens = period.first
        let survey = try await inv.call(
            IntakeAPI.createSurvey,
            Survey(
                title: "Mức độ hài lòng với dịch vụ hành chính công sau sắp xếp đơn vị hành chính",
                questions: [
                    Question(code: "q1", text: "Anh/chị có hài lòng khi làm thủ tục tại trung tâm phục vụ hành chính công xã không?", kind: .singleChoice, options: satisfaction, required: true),
                    Question(code: "q2", text: "Mức độ thuận tiện khi đi lại làm thủ tục (1 rất bất tiện – 5 rất thuận tiện)", kind: .likert, required: true),
                    Question(code: "q3", text: "Góp ý của anh/chị", kind: .freeText),
                ],
                targetUnits: Array(communes), opens: opens, closes: period.last, quota: 30))
        let id = survey.id ?? 1
        _ = try await inv.call(IntakeAPI.openSurvey, SurveyRequest(id: id))
        // Paper questionnaires, seeded: one commune a little less satisfied than the others.
        var rng = DemoData.Random(state: 2025)
        var csv = "unit,day,q1,q2,q3\n"
        var count = 0
        for (i, unit) in communes.enumerated() {
            for _ in 0..<(30 + rng.int(0...12)) {
                let u = rng.unit() + (i == 2 ? 0.25 : 0)
                let q1 = u < 0.35 ? satisfaction[0] : u < 0.8 ? satisfaction[1] : satisfaction[2]
                let q2 = max(1, min(5, 4 - (u < 0.35 ? -1 : u < 0.8 ? 0 : 2) + rng.int(-1...0)))
                let day = Day(year: opens.year, month: opens.month, day: min(today.day, 1 + rng.int(0...max(0, today.day - 1))))!
                let note = rng.unit() < 0.1 ? "Mong có thêm hướng dẫn nộp hồ sơ trực tuyến" : ""
                csv += "\(unit),\(day),\(q1),\(q2),\(note)\n"
                count += 1
            }
        }
        let imported = try await inv.call(IntakeAPI.importResponses, ImportResponsesRequest(survey: id, csv: csv))
        print(tr("khảo sát #\(id) “\(survey.title)”: \(imported.imported) phiếu giấy từ \(communes.count) xã nhập từ CSV (ẩn danh: không lưu người trả lời)", en: "survey #\(id) “\(survey.title)”: \(imported.imported) paper questionnaires from \(communes.count) communes imported from CSV (anonymous: nobody who answered is stored)"))
        // Analytics reads responses from intake's change feed: wait until it has them all.
        let deadline = ContinuousClock.now + .seconds(30)
        var results = try await inv.call(AnalyticsAPI.surveyResults, SurveyRequest(id: id))
        while results.responses < count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            results = try await inv.call(AnalyticsAPI.surveyResults, SurveyRequest(id: id))
        }
        for q in results.questions where q.question != "q3" {
            print("  \(q.text)")
            for o in q.options ?? [] {
                guard let p = o.proportion, let low = o.low, let high = o.high else { continue }
                print("    \(Output.pad(o.option, 16)) \(Output.pad(Output.percent(p), 6, right: true))  [\(Output.decimal(low * 100)) – \(Output.decimal(high * 100))]")
            }
            if let m = q.mean { print("    " + tr("trung bình", en: "mean") + " \(Output.decimal(m, 2))  [\(Output.decimal(q.low ?? m, 2)) – \(Output.decimal(q.high ?? m, 2))]") }
        }
        print(tr("  (khoảng tin cậy 95%; `pulse survey results \(id)` cho đầy đủ)", en: "  (95% intervals; `pulse survey results \(id)` for all of it)"))
    }
}
