import Arguments
import Foundation
import Localization
import Messages
import Wire

/// `pulse report template UNIT MONTH`: a report file to fill in, with the unit, the month and
/// the submitter filled, and every other field holding «…» text that says what it takes. A file
/// still holding such text is refused by `report submit`, naming the field.
enum ReportTemplate {
    /// Marks the text a template's writer must replace.
    static let open = "«"
    static let close = "»"

    static var command: Command {
        Command(
            "template", tr("Viết tệp báo cáo mẫu cho một đơn vị và tháng, có chỉ dẫn từng trường.", en: "Write a guided report file for a unit and month."),
            arguments: tr("<đơn-vị> <tháng>", en: "<unit> <month>"),
            options: [.option("output", short: "o", value: tr("tệp", en: "file"), help: tr("Ghi vào tệp này thay vì in ra.", en: "Write to this file instead of standard output."))]
        ) { inv in
            let code = try inv.positional(0, ReportCommands.unitValue)
            let period = try inv.period(try inv.positional(1, ReportCommands.monthValue), ReportCommands.monthValue)
            guard period <= Day.today.period else {
                throw CLIError(tr("tháng \(period.text) chưa đến; báo cáo được viết cho tháng này (\(Day.today.period.text)) hoặc các tháng trước", en: "\(period.text) has not come yet; reports are written for this month (\(Day.today.period.text)) or earlier ones"))
            }
            // The unit must exist, and the caller is the submitter if the roster knows them.
            let unit = try await inv.call(RosterAPI.getUnit, GetUnitRequest(code: code))
            let me = try await inv.call(GatewayAPI.whoAmI, Empty())
            let topics = try await inv.call(RosterAPI.listTopics, ListTopicsRequest()).topics.filter(\.active)
            let text = inv.output.format == .csv
                ? csvTemplate(unit: unit, period: period, submitter: me.person, topics: topics)
                : template(unit: unit, period: period, submitter: me.person, topics: topics)
            if let path = inv.arguments.value("output") {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                warn(tr("đã ghi \(path): thay mọi chỗ «…» bằng nội dung của đơn vị, rồi gửi bằng pulse report submit \(path)", en: "wrote \(path): replace every «…» with your unit's content, then send it with pulse report submit \(path)"))
            } else {
                print(text, terminator: "")
            }
        }
    }

    /// The template as CSV (one opinion item a row, `report submit` reads it as a spreadsheet
    /// saves it), its «…» cells saying what each column takes.
    static func csvTemplate(unit: OrgUnit, period: Period, submitter: Int?, topics: [Topic]) -> String {
        let vi = Language.current != .en
        let hints: [String: String] = [
            "unit": unit.code, "period": period.description,
            "submitter": submitter.map(String.init) ?? open + tr("số của bạn trong pulse people list", en: "your number from pulse people list") + close,
            "assessment": open + tr("đánh giá chung tình hình tháng \(period.text)", en: "the overall assessment of \(period.text)") + close,
            "topic": open + tr("mã chủ đề: ", en: "a topic code: ") + topics.map { "\($0.code) (\(vi ? $0.labelVi : $0.labelEn))" }.joined(separator: "; ") + close,
            "summary": open + tr("người dân nói gì, ở đâu, vì sao", en: "what people say, where and why") + close,
            "prevalence": open + ReportCommands.allowed(Prevalence.self) + close,
            "trend": open + ReportCommands.allowed(Trend.self) + close,
            "sentiment": open + tr("-2 đến 2", en: "-2 to 2") + close,
            "channels": open + tr("một hay nhiều, cách nhau bởi ;: ", en: "one or more, separated by ;: ") + ReportCommands.allowed(Channel.self) + close,
            "localities": "", "proposal": "",
        ]
        let row = ReportCommands.csvColumns.map { Output.csvField(hints[$0] ?? "") }
        return "\u{FEFF}" + ReportCommands.csvColumns.joined(separator: ",") + "\n" + row.joined(separator: ",") + "\n"
    }

    /// The template as JSON text, fields in the order a writer fills them.
    static func template(unit: OrgUnit, period: Period, submitter: Int?, topics: [Topic]) -> String {
        func quoted(_ s: String) -> String { Output.json(s, pretty: false) }
        func hint(_ s: String) -> String { quoted(open + s + close) }
        let vi = Language.current != .en
        let topicList = topics.map { "\($0.code) (\(vi ? $0.labelVi : $0.labelEn))" }.joined(separator: ", ")
        let submitterValue = submitter.map(String.init) ?? hint(tr("số của bạn trong pulse people list", en: "your number from pulse people list"))
        return """
            {
              "unit": \(quoted(unit.code)),
              "unitName": \(quoted(unit.fullName)),
              "period": \(quoted(period.description)),
              "submitter": \(submitterValue),
              "assessment": \(hint(tr("đánh giá chung tình hình tư tưởng, dư luận xã hội trên địa bàn tháng \(period.text)", en: "the overall assessment of opinion in the area for \(period.text)"))),
              "items": [
                {
                  "topic": \(hint(tr("mã chủ đề, một trong: ", en: "a topic code, one of: ") + topicList)),
                  "summary": \(hint(tr("người dân nói gì, ở đâu, vì sao (không ghi tên, số điện thoại hay số định danh của ai)", en: "what people say, where and why (no one's name, phone or ID number)"))),
                  "prevalence": \(hint(ReportCommands.allowed(Prevalence.self))),
                  "trend": \(hint(ReportCommands.allowed(Trend.self))),
                  "sentiment": \(hint(tr("số nguyên từ -2 (rất tiêu cực) đến 2 (rất tích cực)", en: "a whole number from -2 (very negative) to 2 (very positive)"))),
                  "channels": [\(hint(tr("một hay nhiều trong: ", en: "one or more of: ") + ReportCommands.allowed(Channel.self)))],
                  "localities": [],
                  "proposal": \(hint(tr("đề xuất xử lý của đơn vị, hoặc để trống \"\"", en: "the unit's proposal, or leave it empty \"\"")))
                }
              ]
            }

            """
    }
}
