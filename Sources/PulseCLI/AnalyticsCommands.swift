import Arguments
import Foundation
import Localization
import Messages
import Statistics
import Text
import Wire

enum AnalyticsCommands {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A one-line chart of values, "·" where a value is withheld.
    static func sparkline(_ values: [Double?]) -> String {
        let top = values.compactMap { $0 }.max() ?? 0
        return String(values.map { v -> Character in
            guard let v else { return "·" }
            guard top > 0 else { return blocks[0] }
            return blocks[min(7, Int((v / top * 7).rounded()))]
        })
    }

    static func period(_ inv: Invocation, _ name: String = "period") throws -> Period? {
        try inv.arguments.value(name).map { try inv.period($0, option: name) }
    }

    static var month: String { RosterCommands.monthValue }
    static var code: String { RosterCommands.codeValue }
    static var withheld: String { tr("· bị ẩn: ít hơn số báo cáo tối thiểu", en: "· withheld: fewer than the minimum number of reports") }

    static var trends: Command {
        Command(
            "trends", tr("Số nội dung và cường độ (gia quyền theo mức độ phổ biến) của từng chủ đề theo tháng, kèm biểu đồ nhỏ.", en: "Items and prevalence-weighted intensity per topic and month, with a sparkline per topic."),
            options: [
                .option("topic", short: "t", value: code, help: tr("Chỉ chủ đề này (lặp lại được).", en: "Only this topic (repeatable)."), repeatable: true),
                .option("unit", short: "u", value: code, help: tr("Gộp cây của đơn vị này (mặc định cả tỉnh).", en: "Roll up this unit's subtree (default the province).")),
                .option("months", short: "m", value: "n", help: tr("Bao nhiêu tháng tính đến tháng gần nhất (mặc định 12).", en: "How many months up to the latest (default 12).")),
                .option("to", value: month, help: tr("Tháng cuối (mặc định tháng gần nhất có báo cáo).", en: "The last month (default the latest with reports).")),
            ]
        ) { inv in
            let months = try inv.arguments.integer("months") ?? 12
            guard months >= 1 && months <= 120 else { throw UsageError(tr("--months từ 1 đến 120", en: "--months is 1 to 120")) }
            try await checkTopics(inv.arguments.all("topic"), inv)
            var scope = Scope(unit: inv.arguments.value("unit"), topics: inv.arguments.all("topic"))
            if let to = try period(inv, "to") {
                scope.to = to
                scope.from = Period(index: to.index - months + 1)
            } else if months != 12 {
                let latest = try await inv.call(AnalyticsAPI.trends, Scope(unit: scope.unit)).scope.to ?? Day.today.period
                scope.to = latest
                scope.from = Period(index: latest.index - months + 1)
            }
            let t = try await inv.call(AnalyticsAPI.trends, scope)
            let labels = try await Names.topics(inv)
            inv.output.emit(t) {
                if inv.output.format == .csv {
                    // Spreadsheets get the months themselves, not a sparkline.
                    var rows: [[String]] = []
                    for s in t.series {
                        for p in s.points { rows.append([s.topic, labels[s.topic] ?? s.topic, p.period.description, p.items.map(String.init) ?? "", p.intensity.map { String(format: "%.1f", $0) } ?? "", p.suppressed == true ? "yes" : ""]) }
                    }
                    return inv.output.table(["topic", "label", "period", "items", "intensity", "withheld"], rows)
                }
                let rows = t.series.map { s -> [String] in
                    let last = s.points.last
                    let total = s.points.compactMap(\.items).reduce(0, +)
                    return [labels[s.topic] ?? s.topic, sparkline(s.points.map(\.intensity)), Output.number(total), last?.items.map(Output.number) ?? "·", last?.intensity.map { Output.decimal($0, 0) } ?? "·"]
                }
                // The last month's own columns, named by the month they are (issue 14, item 14).
                let last = t.scope.to?.text ?? tr("tháng cuối", en: "last month")
                let from = t.scope.from?.text ?? ""
                inv.output.table(
                    [tr("chủ đề", en: "topic"), tr("cường độ theo tháng \(from)…\(last)", en: "intensity by month \(from)…\(last)"), tr("nội dung", en: "items"), tr("nội dung \(last)", en: "items \(last)"), tr("cường độ \(last)", en: "intensity \(last)")],
                    rows, numeric: [2, 3, 4])
                if t.series.contains(where: { $0.points.contains { $0.suppressed == true } }) { inv.output.note(withheld) }
                // This month is not over: its reports are still coming, so it reads low.
                if let to = t.scope.to, to >= Day.today.period {
                    inv.output.note(tr("\(to.text) chưa hết: báo cáo của tháng này còn đến, số liệu có thể còn tăng", en: "\(to.text) is still under way: reports for it can still arrive, so its figures may grow"))
                }
            }
        }
    }

    static var rising: Command {
        Command(
            "rising", tr("Các chủ đề tăng mạnh nhất tháng này so với ba tháng trước.", en: "Topics rising most this month against the three months before."),
            options: [
                .option("period", short: "p", value: month, help: tr("Tháng (mặc định tháng này).", en: "The month (default this month).")),
                .option("unit", short: "u", value: code, help: tr("Gộp cây của đơn vị này.", en: "Roll up this unit's subtree.")),
                .option("limit", value: "n", help: tr("Bao nhiêu chủ đề (mặc định 10).", en: "How many (default 10).")),
            ]
        ) { inv in
            if let limit = try inv.arguments.integer("limit"), !(1...1000).contains(limit) { throw UsageError(tr("--limit từ 1 đến 1000, không phải \(limit)", en: "--limit is from 1 to 1000, not \(limit)")) }
            let list = try await inv.call(AnalyticsAPI.rising, RisingRequest(period: try period(inv) ?? Day.today.period, unit: inv.arguments.value("unit"), limit: try inv.arguments.integer("limit")))
            let labels = try await Names.topics(inv)
            inv.output.emit(list) {
                inv.output.table(
                    [tr("chủ đề", en: "topic"), tr("cường độ", en: "intensity"), tr("TB 3 tháng trước", en: "3-month mean"), tr("thay đổi", en: "change"), tr("nội dung", en: "items"), tr("báo cáo", en: "reports")],
                    list.topics.map { [Names.topic($0.topic, labels, inv.output), inv.output.decimal($0.intensity, 0), inv.output.decimal($0.before), ($0.change > 0 ? "+" : "") + inv.output.decimal($0.change), inv.output.number($0.items), inv.output.number($0.reports)] },
                    numeric: [1, 2, 3, 4, 5])
                if list.baselineMonths == 0 {
                    inv.output.note(tr("ba tháng trước \(list.period.text) không có báo cáo nào: không có gì để so sánh", en: "no report in the three months before \(list.period.text): nothing to compare with"))
                } else if list.topics.isEmpty {
                    inv.output.note(tr("không có chủ đề nào tăng trong \(list.period.text)", en: "nothing rose in \(list.period.text)"))
                } else if let n = list.baselineMonths, n < 3 {
                    inv.output.note(tr("trung bình của \(n) tháng trước có báo cáo (trong ba tháng trước)", en: "the mean of the \(LocalFormat.count(n, vi: "tháng", en: "month")) before with reports (of the three before)"))
                }
                if list.period >= Day.today.period {
                    inv.output.note(tr("\(list.period.text) chưa hết: báo cáo của tháng này còn đến, số liệu có thể còn tăng", en: "\(list.period.text) is still under way: reports for it can still arrive, so its figures may grow"))
                }
            }
        }
    }

    static var spikes: Command {
        Command("spikes", tr("Chủ đề ở một địa bàn cao bất thường so với nền sáu tháng của chính nó.", en: "Topics in an area improbably high against their own six-month baseline."), options: [.option("period", short: "p", value: month, help: tr("Chỉ tháng được nêu (mặc định: mọi tháng).", en: "Only the month given (default: every month)."))]) { inv in
            let list = try await inv.call(AnalyticsAPI.spikes, ListSpikesRequest(period: try period(inv)))
            let labels = try await Names.topics(inv)
            let units = list.spikes.isEmpty ? [:] : try await Names.units(inv)
            inv.output.emit(list) {
                inv.output.table(
                    [tr("tháng", en: "month"), tr("đơn vị", en: "unit"), tr("chủ đề", en: "topic"), tr("nội dung", en: "items"), tr("nền", en: "baseline"), "×", "p"],
                    list.spikes.sorted { ($0.period, $0.pValue) > ($1.period, $1.pValue) }.map {
                        [inv.output.month($0.period), Names.unit($0.unit, units, inv.output), Names.topic($0.topic, labels, inv.output), inv.output.number($0.items), inv.output.decimal($0.baseline), inv.output.decimal($0.strength), inv.output.probability($0.pValue)]
                    },
                    numeric: [3, 4, 5, 6])
                inv.output.note(tr("kiểm định: P(X ≥ số nội dung | Poisson(trung bình sáu tháng)) < \(Output.decimal(list.threshold, 3)), ít nhất \(list.minimumItems) nội dung", en: "test: P(X ≥ items | Poisson(six-month mean)) < \(list.threshold), at least \(list.minimumItems) items"))
            }
        }
    }

    static var phrases: Command {
        Command(
            "phrases", tr("Những gì văn bản tháng này về một chủ đề nói mà sáu tháng trước không nói.", en: "What this month's texts on a topic say that the six months before did not."),
            options: [
                .option("topic", short: "t", value: code, help: tr("Chủ đề (bắt buộc).", en: "The topic (required).")),
                .option("period", short: "p", value: month, help: tr("Tháng (mặc định tháng này).", en: "The month (default this month).")),
                .option("unit", short: "u", value: code, help: tr("Chỉ cây của đơn vị này.", en: "Only this unit's subtree.")),
            ]
        ) { inv in
            try await checkTopics([try inv.arguments.required("topic")], inv)
            let list = try await inv.call(AnalyticsAPI.phrases, PhrasesRequest(topic: try inv.arguments.required("topic"), period: try period(inv) ?? Day.today.period, unit: inv.arguments.value("unit")))
            let labels = try await Names.topics(inv)
            inv.output.emit(list) {
                let topic = labels[list.topic] ?? list.topic
                if list.suppressed == true {
                    inv.output.note(tr("bị ẩn: ít hơn số báo cáo tối thiểu", en: "withheld: fewer than the minimum number of reports"))
                    return
                }
                if list.baselineTexts == 0 {
                    inv.output.note(tr("\(topic), \(list.period.text): sáu tháng trước không có văn bản nào để so sánh, nên cụm từ nào cũng như mới (z = 0)", en: "\(topic), \(list.period.text): no text in the six months before to compare with, so every phrase looks new (z = 0)"))
                } else if let texts = list.texts, let baseline = list.baselineTexts {
                    inv.output.note(tr("\(topic), \(list.period.text): \(Output.number(texts)) văn bản, so với \(Output.number(baseline)) của sáu tháng trước", en: "\(topic), \(list.period.text): \(Output.number(texts)) texts against \(Output.number(baseline)) from the six months before"))
                } else {
                    inv.output.note(tr("\(topic), \(list.period.text): bị ẩn, dựng từ ít hơn k báo cáo", en: "\(topic), \(list.period.text): withheld, built from fewer than k reports"))
                }
                inv.output.table([tr("cụm từ", en: "phrase"), tr("văn bản", en: "texts"), "z"], list.phrases.map { [$0.phrase, inv.output.number($0.count), inv.output.decimal($0.z)] }, numeric: [1, 2])
            }
        }
    }

    static var search: Command {
        Command(
            "search", tr("Tìm trong tóm tắt báo cáo, không phân biệt hoa thường và dấu (\"dat dai\" tìm được \"đất đai\").", en: "Search report summaries, ignoring case and diacritics (\"dat dai\" finds \"đất đai\")."),
            arguments: tr("<từ khóa…>", en: "<words…>"),
            options: [
                .option("unit", short: "u", value: code, help: tr("Chỉ cây của đơn vị này.", en: "Only this unit's subtree.")),
                .option("from", value: month, help: tr("Từ tháng này.", en: "From this month.")), .option("to", value: month, help: tr("Đến tháng này.", en: "Up to this month.")),
                .option("limit", value: "n", help: tr("Bao nhiêu kết quả (mặc định 20).", en: "How many hits (default 20).")),
            ]
        ) { inv in
            let text = inv.arguments.positionals.joined(separator: " ")
            guard !text.isEmpty else { throw UsageError(tr("thiếu <từ khóa>", en: "missing <words>")) }
            if let limit = try inv.arguments.integer("limit"), !(1...1000).contains(limit) { throw UsageError(tr("--limit từ 1 đến 1000, không phải \(limit)", en: "--limit is from 1 to 1000, not \(limit)")) }
            let hits = try await inv.call(
                AnalyticsAPI.search,
                SearchItemsRequest(query: text, scope: Scope(unit: inv.arguments.value("unit"), from: try period(inv, "from"), to: try period(inv, "to")), limit: try inv.arguments.integer("limit")))
            let labels = try await Names.topics(inv)
            let units = hits.hits.isEmpty ? [:] : try await Names.units(inv)
            inv.output.emit(hits) {
                inv.output.table(
                    [tr("tháng", en: "month"), tr("đơn vị", en: "unit"), tr("chủ đề", en: "topic"), tr("tóm tắt", en: "summary")],
                    hits.hits.map { [inv.output.month($0.period), Names.unit($0.unit, units, inv.output), Names.topic($0.topic, labels, inv.output), $0.summary] })
                inv.output.note(tr("\(hits.atLeast == true ? "ít nhất " : "")\(Output.number(hits.total)) nội dung khớp", en: "\(hits.atLeast == true ? "at least " : "")\(LocalFormat.count(hits.total, vi: "", en: "item")) match"))
                if hits.total > hits.hits.count {
                    inv.output.note(tr("hiện \(hits.hits.count) nội dung mới nhất; --limit (đến 500) để xem thêm, --from, --to, --unit để thu hẹp", en: "showing the \(hits.hits.count) most recent; --limit (up to 500) shows more, --from, --to, --unit narrow it"))
                }
            }
        }
    }

    /// A grade as the reader says it; the Vietnamese word (the ranking's own) in CSV.
    static func grade(_ grade: String, _ output: Output) -> String {
        guard output.format != .csv, Language.current == .en else { return grade }
        return ["xuất sắc": "excellent", "tốt": "good", "khá": "fair", "yếu": "weak"][grade] ?? grade
    }

    static func componentName(_ name: String) -> String {
        switch name {
        case "reporting": return tr("báo cáo", en: "reported")
        case "timeliness": return tr("đúng hạn", en: "on time")
        case "official": return tr("cán bộ", en: "official")
        case "team": return tr("đội CTV", en: "team")
        case "surveys": return tr("khảo sát", en: "surveys")
        default: return name
        }
    }

    static var ranking: Command {
        Command(
            "ranking", tr("Xếp loại hằng năm các đơn vị báo cáo, với bảng điểm giải thích từng điểm số.", en: "The annual ranking (xếp loại) of reporting units, with the breakdown that explains each score."),
            options: [
                .option("year", short: "y", value: "YYYY", help: tr("Năm (mặc định năm nay).", en: "The year (default this year).")),
                .option("unit", short: "u", value: code, help: tr("Chỉ cây của đơn vị này.", en: "Only this unit's subtree.")),
                .flag("explain", help: tr("Hiện bảng điểm của từng đơn vị.", en: "Show each unit's breakdown.")),
            ]
        ) { inv in
            let r = try await inv.call(AnalyticsAPI.ranking, RankingRequest(year: try inv.arguments.integer("year") ?? Day.today.year, unit: inv.arguments.value("unit")))
            inv.output.emit(r) {
                if inv.arguments.has("explain") {
                    if inv.output.format == .csv {
                        return inv.output.table(
                            ["rank", "unit", "name", "score", "grade", "component", "value", "weight", "points", "detail"],
                            r.rows.flatMap { row in row.components.map { [String(row.rank), row.unit, row.name, String(format: "%.2f", row.score * 100), row.grade, $0.name, String(format: "%.4f", $0.value), String(format: "%.4f", $0.weight), String(format: "%.4f", $0.points), $0.detail] } })
                    }
                    for row in r.rows {
                        print("\(row.rank). \(row.name) (\(row.unit)): \(Output.decimal(row.score * 100)) — \(grade(row.grade, inv.output))")
                        for c in row.components {
                            print("     \(Output.pad(componentName(c.name), 11)) \(Output.pad(Output.decimal(c.points * 100), 5, right: true)) " + tr("trên", en: "of") + " \(Output.pad(Output.decimal(c.weight * 100), 4, right: true))  \(c.detail)")
                        }
                    }
                } else {
                    let parts = r.rows.first?.components.count ?? 0
                    inv.output.table(
                        ["#", tr("mã", en: "code"), tr("đơn vị", en: "unit"), tr("điểm", en: "score"), tr("xếp loại", en: "grade")] + (r.rows.first?.components.map { componentName($0.name) } ?? []),
                        r.rows.map { row in [String(row.rank), row.unit, row.name, inv.output.decimal(row.score * 100), grade(row.grade, inv.output)] + row.components.map { inv.output.percent($0.value) } },
                        numeric: Set([0, 3] + (0..<parts).map { $0 + 5 }))
                }
                inv.output.note(tr("\(r.year): \(r.months) tháng đã qua hạn; trọng số và ngưỡng theo cấu hình của dịch vụ phân tích", en: "\(r.year): \(r.months) months past their deadline; weights and thresholds from the analytics configuration"))
            }
        }
    }

    static var surveyResults: Command {
        Command("results", tr("Ước lượng với khoảng tin cậy 95%; gia quyền theo dân số đơn vị khi mẫu lệch.", en: "Estimates with 95% intervals; weighted by unit population when the sample is unbalanced."), arguments: ReportCommands.surveyArgument) { inv in
            let r = try await inv.call(AnalyticsAPI.surveyResults, SurveyRequest(id: try ReportCommands.surveyID(inv)))
            inv.output.emit(r) {
                if inv.output.format == .csv {
                    var rows: [[String]] = []
                    for q in r.questions {
                        for o in q.options ?? [] { rows.append([q.question, o.option, o.count.map(String.init) ?? "", o.proportion.map { String(format: "%.4f", $0) } ?? "", o.low.map { String(format: "%.4f", $0) } ?? "", o.high.map { String(format: "%.4f", $0) } ?? ""]) }
                        if let m = q.mean { rows.append([q.question, "mean", q.answered.map(String.init) ?? "", String(format: "%.4f", m), q.low.map { String(format: "%.4f", $0) } ?? "", q.high.map { String(format: "%.4f", $0) } ?? ""]) }
                    }
                    return inv.output.table(["question", "answer", "count", "estimate", "low", "high"], rows)
                }
                let weighting = r.weighted
                    ? tr(", hậu phân tầng theo dân số đơn vị (hệ số thiết kế \(Output.decimal(r.designEffect, 2)), cỡ mẫu hiệu dụng \(Output.decimal(r.effectiveSampleSize, 0)))", en: ", post-stratified by unit population (design effect \(Output.decimal(r.designEffect, 2)), effective n \(Output.decimal(r.effectiveSampleSize, 0)))")
                    : tr(", không gia quyền", en: ", unweighted")
                print(tr("khảo sát #\(r.survey) \"\(r.title)\": \(Output.number(r.responses)) phiếu", en: "survey #\(r.survey) \"\(r.title)\": \(LocalFormat.count(r.responses, vi: "", en: "response"))") + weighting)
                if !r.unitsWithoutResponses.isEmpty { print(tr("chưa có phiếu từ: ", en: "no responses from: ") + r.unitsWithoutResponses.joined(separator: ", ")) }
                for q in r.questions {
                    print("\n\(q.question). \(q.text) (" + (q.answered.map { tr("\(Output.number($0)) người trả lời", en: "\(Output.number($0)) answered") } ?? tr("bị ẩn: quá ít người trả lời", en: "withheld: too few answered")) + ")")
                    for o in q.options ?? [] {
                        guard let count = o.count, let p = o.proportion, let low = o.low, let high = o.high else {
                            print("   " + Output.pad(o.option, 16) + tr(" bị ẩn (quá ít người trả lời)", en: " withheld (too few respondents)"))
                            continue
                        }
                        print("   " + Output.pad(o.option, 16) + " " + Output.pad(Output.percent(p), 6, right: true) + "  [" + Output.decimal(low * 100) + " – " + Output.decimal(high * 100) + "]  (" + Output.number(count) + ")")
                    }
                    if let m = q.mean { print("   " + tr("trung bình", en: "mean") + " \(Output.decimal(m, 2))  [\(Output.decimal(q.low ?? m, 2)) – \(Output.decimal(q.high ?? m, 2))]") }
                }
            }
        }
    }

    static var surveyPlan: Command {
        Command(
            "plan", tr("Một khảo sát cần bao nhiêu người trả lời (tính tại chỗ).", en: "How many respondents a survey needs (offline)."),
            options: [
                .option("margin", value: "e", help: tr("Sai số, như 0.03 (bắt buộc).", en: "Margin of error, e.g. 0.03 (required).")),
                .option("confidence", value: "c", help: tr("Độ tin cậy (mặc định 0.95).", en: "Confidence level (default 0.95).")),
                .option("population", value: "N", help: tr("Cỡ tổng thể, để hiệu chỉnh tổng thể hữu hạn.", en: "Population size, for the finite-population correction.")),
            ]
        ) { inv in
            func number(_ text: String) -> Double? { Double(text.replacingOccurrences(of: ",", with: ".")) }
            guard let margin = number(try inv.arguments.required("margin")), margin > 0, margin < 0.5 else { throw UsageError(tr("--margin là một số từ 0 đến 0,5, như 0,03", en: "--margin is a number between 0 and 0.5, like 0.03")) }
            let confidence = try inv.arguments.value("confidence").map { text -> Double in
                guard let c = number(text), c > 0.5, c < 1 else { throw UsageError(tr("--confidence từ 0,5 đến 1, như 0,95", en: "--confidence is between 0.5 and 1, like 0.95")) }
                return c
            } ?? 0.95
            let population = try inv.arguments.value("population").map { text -> Double in
                guard let n = LocalFormat.parseInteger(text).map(Double.init) ?? Double(text), n >= 1 else { throw UsageError(tr("--population là số người, như 150.000", en: "--population is a number of people, like 150,000")) }
                return n
            }
            let n = Stats.sampleSize(margin: margin, confidence: confidence, population: population)
            struct Plan: Encodable { var margin: Double; var confidence: Double; var population: Double?; var respondents: Int }
            inv.output.emit(Plan(margin: margin, confidence: confidence, population: population, respondents: n)) {
                if inv.output.format == .csv {
                    return inv.output.table(["margin", "confidence", "population", "respondents"], [[String(margin), String(confidence), population.map { String(Int($0)) } ?? "", String(n)]])
                }
                let populationText = population.map { tr(" trong tổng thể \(Output.number(Int($0))) người", en: " in a population of \(Output.number(Int($0)))") } ?? ""
                print(tr("\(Output.number(n)) người trả lời cho sai số ±\(Output.decimal(margin * 100))% ở độ tin cậy \(Output.decimal(confidence * 100))%\(populationText) (trường hợp xấu nhất p = 0,5)",
                         en: "\(Output.number(n)) respondents for ±\(Output.decimal(margin * 100))% at \(Output.decimal(confidence * 100))% confidence\(populationText) (worst case p = 0.5)"))
            }
        }
    }

    static var checkTopics: Command {
        Command(
            "check", tr("Các nội dung trong tháng mà văn bản đọc như một chủ đề khác chủ đề đã gán, để sửa chỗ gán nhầm.", en: "The month's items whose text reads as another topic than the one filed, for correcting mis-filed items."),
            options: [
                .option("period", value: month, help: tr("Tháng (bắt buộc).", en: "The month (required).")),
                .option("unit", value: code, help: tr("Chỉ nội dung của đơn vị này và cấp dưới.", en: "Only items in this unit and under it.")),
                .option("threshold", value: "p", help: tr("Liệt kê khi chủ đề đã gán dưới p và chủ đề khác trên 1 − p (mặc định 0.2).", en: "List an item when its filed topic reads below p and another above 1 − p (default 0.2).")),
                .option("limit", value: "n", help: tr("Tối đa bấy nhiêu nội dung (mặc định 100).", en: "At most this many items (default 100).")),
            ]
        ) { inv in
            let period = try inv.period(try inv.arguments.required("period"), option: "period")
            if let limit = try inv.arguments.integer("limit"), !(1...1000).contains(limit) { throw UsageError(tr("--limit từ 1 đến 1000, không phải \(limit)", en: "--limit is from 1 to 1000, not \(limit)")) }
            var threshold: Double?
            if let text = inv.arguments.value("threshold") {
                guard let p = Double(text.replacingOccurrences(of: ",", with: ".")), p > 0, p < 0.5 else { throw UsageError(tr("--threshold là xác suất từ 0 đến 0,5, như 0,2; không phải \"\(text)\"", en: "--threshold is a probability between 0 and 0.5, such as 0.2; not \"\(text)\"")) }
                threshold = p
            }
            let check = try await inv.call(AnalyticsAPI.checkTopics, CheckTopicsRequest(period: period, unit: inv.arguments.value("unit"), threshold: threshold, limit: try inv.arguments.integer("limit")))
            let labels = try await Names.topics(inv)
            inv.output.emit(check) {
                inv.output.table(
                    [tr("đơn vị", en: "unit"), tr("đã gán", en: "filed"), tr("p đã gán", en: "p filed"), tr("đọc như", en: "reads as"), tr("p đọc", en: "p read"), tr("tóm tắt", en: "summary")],
                    check.mismatches.map { [$0.unit, Names.topic($0.filed, labels, inv.output), inv.output.decimal($0.filedScore, 2), Names.topic($0.suggested, labels, inv.output), inv.output.decimal($0.suggestedScore, 2), $0.summary] },
                    numeric: [2, 4])
                let shown = check.mismatches.count < check.total ? tr(" (hiện \(check.mismatches.count); --limit N để xem thêm)", en: " (\(check.mismatches.count) shown; --limit N for more)") : ""
                inv.output.note(tr("\(check.total) trên \(check.checked) nội dung trong \(check.period.text) đọc như chủ đề khác chủ đề đã gán\(shown)", en: "\(check.total) of \(check.checked) items in \(check.period.text) read as another topic than the one filed\(shown)"))
            }
        }
    }

    /// Refuses a topic code that names no topic, listing the topics by code and label.
    static func checkTopics(_ codes: [String], _ inv: Invocation, field: String = "--topic") async throws {
        guard !codes.isEmpty else { return }
        let topics = try await inv.call(RosterAPI.listTopics, ListTopicsRequest(includeRetired: true)).topics
        let known = Set(topics.map(\.code))
        if let unknown = codes.first(where: { !known.contains($0) }) {
            let list = topics.filter(\.active).map { "\($0.code) (\(Language.current == .en ? $0.labelEn : $0.labelVi))" }.joined(separator: ", ")
            let message = tr("\(field) \"\(unknown)\" không phải chủ đề; các chủ đề: ", en: "\(field) \"\(unknown)\" is not a topic; the topics are ") + list
            if field.hasPrefix("--") { throw UsageError(message) }
            throw CLIError(message)
        }
    }
}
