import Foundation
import Localization
import Messages

/// The monthly synthesis for the standing committee as one self-contained HTML page, printable
/// on A4: no script, no file beside it, every chart inline SVG with its figures also in words or
/// a table. Every sentence is built from numbers the page shows. A column is a month or a
/// periodic review's months; with two columns (a review beside the same months a year before),
/// each section shows them side by side.
public enum DigestPage {
    public static func render(_ months: [DigestData]) -> String {
        guard let first = months.first else { return "" }
        let title = months.count == 1
            ? (first.isReview
                ? tr("Tình hình dư luận xã hội \(first.label)", en: "Public opinion over \(first.label): a periodic review")
                : tr("Tổng hợp tình hình dư luận xã hội \(first.label)", en: "Public opinion in \(first.label): the monthly synthesis"))
            : tr("So sánh tình hình dư luận xã hội \(months[1].label) với \(first.label)", en: "Public opinion over \(months[1].label) beside \(first.label)")
        var html = """
            <!doctype html>
            <html lang="\(Language.current.rawValue)">
            <head>
            <meta charset="utf-8">
            <title>\(esc(title))</title>
            <style>
            @page { size: A4; margin: 14mm 13mm; }
            body { font-family: "DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.5pt; color: #000; background: #fff; margin: 0; }
            h1 { font-size: 15pt; margin: 0 0 2mm; } h2 { font-size: 12pt; margin: 5mm 0 2mm; border-bottom: 1px solid #000; } h3 { font-size: 10pt; margin: 3mm 0 1mm; }
            p { margin: 1mm 0; } .meta { color: #333; } table { border-collapse: collapse; margin: 1mm 0 2mm; } td, th { border: 0.5px solid #777; padding: 0.6mm 1.5mm; text-align: left; vertical-align: top; }
            td.n, th.n { text-align: right; } blockquote { margin: 1mm 0 2mm 4mm; font-style: italic; }
            figure, tr, h3 { break-inside: avoid; } h2, h3 { break-after: avoid; } figure { margin: 1mm 0; } .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
            .multiples { display: flex; flex-wrap: wrap; gap: 2mm; } .small { font-size: 8pt; } svg text { font-family: inherit; }
            </style>
            </head>
            <body>
            <header><h1>\(esc(title))</h1>
            <p class="meta">\(esc(first.province)) · \(esc(tr("Ban Tuyên giáo và Dân vận Tỉnh ủy", en: "Commission for Propaganda and Mass Mobilisation"))) · \(esc(tr("lập lúc", en: "made"))) \(esc(stamp(first.generatedAt)))</p>
            \(months.filter { !$0.monthClosed }.map { "<p><strong>" + esc(tr("Tháng \($0.period.text) chưa qua hạn báo cáo (trước ngày 25): các số liệu còn thay đổi.", en: "\($0.period.text) is not past its deadline (the 25th): its figures will still change.")) + "</strong></p>" }.joined())
            \(months.count == 2 ? "<p class=\"compare\">" + esc(comparison(first, months[1])) + "</p>" : "")
            </header>

            """
        let sections: [(id: String, heading: String, body: (DigestData, Int) -> String)] = [
            ("completeness", tr("1. Tình hình báo cáo", en: "1. Who reported"), completeness),
            ("rising", tr("2. Vấn đề mới và đang tăng", en: "2. What is new and rising"), rising),
            ("spikes", tr("3. Tăng đột biến", en: "3. Spikes"), spikes),
            ("trends", tr("4. Xu hướng 12 tháng theo chủ đề", en: "4. Twelve months by topic"), trends),
            ("sentiment", tr("5. Thái độ theo chủ đề", en: "5. Sentiment by topic"), sentiment),
            ("surveys", tr("6. Kết quả khảo sát", en: "6. Survey results"), surveys),
            ("reviews", tr("7. Báo cáo trả lại để sửa", en: "7. Reports returned for correction"), reviews),
            ("topics", tr("8. Tóm tắt theo chủ đề", en: "8. Topic by topic"), topics),
        ]
        for section in sections {
            html += "<section id=\"\(section.id)\"><h2>\(esc(section.heading))</h2>\n"
            if months.count == 1 {
                html += section.body(first, 0)
            } else {
                html += "<div class=\"pair\">" + months.enumerated().map { "<div><h3>\(esc($0.element.label))</h3>" + section.body($0.element, $0.offset) + "</div>" }.joined() + "</div>"
            }
            html += "</section>\n"
        }
        return html + "</body>\n</html>\n"
    }

    static func esc(_ text: String) -> String { SVGChart.escape(text) }

    /// The later column against the earlier: reporting and on-time rates, and items, from the
    /// figures each column shows.
    static func comparison(_ earlier: DigestData, _ later: DigestData) -> String {
        // Month by month, only where both columns count the month: a month past no deadline yet,
        // or one with no report at all, on either side is left out of both.
        let counted = (Set(earlier.countedMonths.map(\.period.index)), Set(later.countedMonths.map(\.period.index)))
        let pairs = zip(earlier.months, later.months).filter { counted.0.contains($0.period.index) && counted.1.contains($1.period.index) }
        guard later.countedMonths.count > 0 else {
            return later.months.contains(where: later.isClosed)
                ? tr("\(later.label.capitalizedFirst) không có tháng nào có báo cáo: không có gì để so sánh.", en: "No month of \(later.label) has any report: nothing to compare.")
                : tr("\(later.label.capitalizedFirst) chưa có tháng nào qua hạn báo cáo: chưa so sánh được.", en: "No month of \(later.label) is past its deadline yet: nothing to compare.")
        }
        guard !pairs.isEmpty else {
            return tr("\(earlier.label.capitalizedFirst) không có tháng nào có báo cáo để đặt cạnh \(later.label): không so sánh được.",
                      en: "\(earlier.label.capitalizedFirst) has no month with reports to set beside \(later.label): nothing to compare.")
        }
        let a = DigestData.totals(pairs.map(\.0)), b = DigestData.totals(pairs.map(\.1))
        let itemsA = items(earlier, in: Set(pairs.map(\.0.period))), itemsB = items(later, in: Set(pairs.map(\.1.period)))
        let sentence = comparisonSentence(earlier, later, a, b, itemsA, itemsB)
        guard pairs.count < later.monthCount else { return sentence }
        return String(sentence.dropLast()) + tr(" (so trên \(pairs.count) tháng có số liệu ở cả hai kỳ).", en: " (over the \(pairs.count) months with figures in both).")
    }

    static func comparisonSentence(_ earlier: DigestData, _ later: DigestData, _ a: DigestData.Totals, _ b: DigestData.Totals, _ itemsA: Int, _ itemsB: Int) -> String {
        func points(_ x: Double, _ y: Double) -> String { LocalFormat.decimal(abs(y - x) * 100) }
        func direction(_ x: Double, _ y: Double) -> String { y >= x ? tr("tăng", en: "rose") : tr("giảm", en: "fell") }
        return tr(
            "\(later.label.capitalizedFirst) so với \(earlier.label): tỉ lệ báo cáo \(direction(a.reportingRate, b.reportingRate)) \(points(a.reportingRate, b.reportingRate)) điểm phần trăm (\(LocalFormat.percent(b.reportingRate)) so với \(LocalFormat.percent(a.reportingRate))), tỉ lệ đúng hạn \(direction(a.timelinessRate, b.timelinessRate)) \(points(a.timelinessRate, b.timelinessRate)) điểm (\(LocalFormat.percent(b.timelinessRate)) so với \(LocalFormat.percent(a.timelinessRate))); \(LocalFormat.integer(itemsB)) nội dung so với \(LocalFormat.integer(itemsA)).",
            en: "\(later.label.capitalizedFirst) against \(earlier.label): the reporting rate \(direction(a.reportingRate, b.reportingRate)) by \(points(a.reportingRate, b.reportingRate)) points (\(LocalFormat.percent(b.reportingRate)) against \(LocalFormat.percent(a.reportingRate))), the on-time rate \(direction(a.timelinessRate, b.timelinessRate)) by \(points(a.timelinessRate, b.timelinessRate)) points (\(LocalFormat.percent(b.timelinessRate)) against \(LocalFormat.percent(a.timelinessRate))); \(LocalFormat.integer(itemsB)) items against \(LocalFormat.integer(itemsA)).")
    }

    /// Items in `months` (by default the column's counted months; a month digest's own), every topic.
    static func items(_ d: DigestData, in months: Set<Period>? = nil) -> Int {
        let counted = months ?? d.itemMonths
        return d.trends.series.flatMap(\.points).filter { counted.contains($0.period) }.compactMap(\.items).reduce(0, +)
    }

    /// "trong tháng" or "trong kỳ", for the sentences that say nothing was there.
    static func within(_ d: DigestData) -> String { d.isReview ? tr("trong kỳ", en: "in the period") : tr("trong tháng", en: "this month") }

    /// Vietnamese order: "Hà Huy Tập" before "Hoành Sơn", "Sơn Tây" before "Sơn Tiến", "Đất" among the D's.
    static func sortKey(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "đ", with: "d").folding(options: [.diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }

    static func stamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = Day.timeZone
        f.dateFormat = Language.current == .en ? "yyyy-MM-dd HH:mm" : "dd/MM/yyyy HH:mm"
        return f.string(from: date)
    }

    static func stateCode(_ state: ReportState) -> String { state.rawValue }

    // MARK: Sections

    static func completeness(_ d: DigestData, _ index: Int) -> String {
        let c = d.completeness
        var out: String
        if d.isReview && d.countedMonths.isEmpty {
            out = "<p>" + esc(d.months.contains(where: d.isClosed)
                ? tr("Không tháng nào trong \(d.label) có báo cáo.", en: "No month of \(d.label) has any report.")
                : tr("Chưa tháng nào trong \(d.label) qua hạn báo cáo (ngày 25).", en: "No month of \(d.label) is past its deadline (the 25th) yet.")) + "</p>\n"
        } else if d.isReview {
            let t = d.reportingTotals
            out = "<p>" + esc(tr(
                "Trong \(d.label): đã nhận \(LocalFormat.integer(t.reported)) trên \(LocalFormat.integer(t.expected)) lượt báo cáo phải gửi (\(LocalFormat.percent(t.reportingRate))), \(LocalFormat.integer(t.onTime)) lượt đúng hạn (\(LocalFormat.percent(t.timelinessRate))).",
                en: "Over \(d.label): \(LocalFormat.integer(t.reported)) of \(LocalFormat.integer(t.expected)) reports due were sent (\(LocalFormat.percent(t.reportingRate))), \(LocalFormat.integer(t.onTime)) on time (\(LocalFormat.percent(t.timelinessRate))).")) + "</p>\n"
        } else {
            out = "<p>" + esc(tr(
                "\(c.reported) trên \(c.expected) đơn vị đã báo cáo (\(LocalFormat.percent(c.reportingRate))), \(c.onTime) đúng hạn (\(LocalFormat.percent(c.timelinessRate))).",
                en: "\(c.reported) of \(c.expected) units reported (\(LocalFormat.percent(c.reportingRate))), \(c.onTime) on time (\(LocalFormat.percent(c.timelinessRate))).")) + "</p>\n"
        }
        let table = d.isReview ? d.months : d.previous + [c]
        let counted = Set(d.countedMonths.map(\.period))
        if table.count > 1 {
            out += "<table><tr><th>\(esc(tr("tháng", en: "month")))</th><th class=\"n\">\(esc(tr("đã báo cáo", en: "reported")))</th><th class=\"n\">\(esc(tr("đúng hạn", en: "on time")))</th></tr>"
            for m in table {
                let open = !d.isReview || counted.contains(m.period) ? ""
                    : d.isClosed(m) ? " " + tr("(không có số liệu, không tính)", en: "(no figures, not counted)")
                    : " " + tr("(chưa qua hạn, chưa tính vào tổng)", en: "(not past its deadline, not in the totals)")
                // A month with no report at all has no rate: a dash, not 0%.
                let rates = m.reported == 0 && d.isClosed(m) ? ("—", "—") : (LocalFormat.percent(m.reportingRate), LocalFormat.percent(m.timelinessRate))
                out += "<tr><td>\(esc(m.period.text + open))</td><td class=\"n\">\(esc(rates.0))</td><td class=\"n\">\(esc(rates.1))</td></tr>"
            }
            out += "</table>\n"
            if !d.isReview, let last = d.previous.last {
                let change = (c.reportingRate - last.reportingRate) * 100
                out += "<p>" + esc(tr(
                    "Tỉ lệ báo cáo \(change >= 0 ? "tăng" : "giảm") \(LocalFormat.decimal(abs(change))) điểm phần trăm so với tháng \(last.period.text).",
                    en: "The reporting rate \(change >= 0 ? "rose" : "fell") by \(LocalFormat.decimal(abs(change))) points from \(last.period.text).")) + "</p>\n"
            }
        }
        // A month: its units not reported. A review: every unit with a month past its deadline not
        // reported, out of the months it was due to report in.
        var missed: [String: (row: CompletenessRow, months: Int)] = [:]
        var due: [String: Int] = [:]
        for m in d.isReview ? d.countedMonths : d.months {
            for row in m.rows {
                due[row.unit, default: 0] += 1
                if row.state == .missing || row.state == .returned { missed[row.unit, default: (row, 0)].months += 1 }
            }
        }
        let missing = missed.values.sorted { ($1.months, sortKey($0.row.name)) < ($0.months, sortKey($1.row.name)) }
        if d.months.allSatisfy({ $0.reported == 0 }), !missing.isEmpty {
            // Nobody reported: one sentence rather than every unit.
            out += "<p>" + esc(tr("Chưa đơn vị nào báo cáo \(within(d)) (\(missing.count) đơn vị phải báo cáo).", en: "No unit reported \(within(d)) (\(missing.count) units were due to).")) + "</p>\n"
        } else if !missing.isEmpty {
            let heading = d.isReview
                ? tr("Đơn vị có tháng chưa báo cáo (\(missing.count))", en: "Units with a month not reported (\(missing.count))")
                : tr("Đơn vị chưa báo cáo (\(missing.count))", en: "Units that have not reported (\(missing.count))")
            let last = d.isReview ? tr("số tháng chưa báo cáo", en: "months not reported") : tr("trạng thái", en: "state")
            out += "<h3>\(esc(heading))</h3><table class=\"small\"><tr><th>\(esc(tr("đơn vị", en: "unit")))</th><th>\(esc(tr("cơ quan", en: "agency")))</th><th>\(esc(last))</th></tr>"
            // A review lists the units that missed most; the month's digest every one.
            let shown = d.isReview ? Array(missing.prefix(40)) : missing
            for m in shown {
                let state = d.isReview ? "\(m.months)/\(due[m.row.unit] ?? m.months)" : m.row.state.word
                out += "<tr><td>\(esc(m.row.name)) (\(esc(m.row.unit)))</td><td>\(esc(d.agencies[m.row.unit] ?? ""))</td><td>\(esc(state))</td></tr>"
            }
            out += "</table>\n"
            if missing.count > shown.count {
                out += "<p class=\"small\">" + esc(tr(
                    "… và \(missing.count - shown.count) đơn vị khác thiếu ít tháng hơn; `pulse status --period THÁNG/NĂM` liệt kê từng tháng.",
                    en: "… and \(missing.count - shown.count) other units that missed fewer months; `pulse status --period YYYY-MM` lists each month.")) + "</p>\n"
            }
        }
        // A review colours a unit by its worst counted month.
        var states: [String: ReportState] = [:]
        for m in d.isReview ? d.countedMonths : d.months {
            for row in m.rows where states[row.unit].map({ row.state.urgency < $0.urgency }) ?? true { states[row.unit] = row.state }
        }
        let spiking = Set(d.spikes.filter { d.shows($0.period) }.map(\.unit))
        let mapCaption = d.isReview
            ? tr("Xã, phường theo tháng báo cáo kém nhất trong \(d.label); vòng nét đứt: tăng đột biến.", en: "Communes and wards by their worst month over \(d.label); a dashed ring: a spike.")
            : tr("Xã, phường theo trạng thái báo cáo tháng \(d.period.text); vòng nét đứt: tăng đột biến.", en: "Communes and wards by their report for \(d.period.text); a dashed ring: a spike.")
        out += "<figure>" + SVGChart.map(id: "map\(index)", points: UnitPoints.haTinh.points, states: states.mapValues(\.rawValue), spikes: spiking, names: d.unitNames)
            + "<figcaption class=\"small\">" + esc(mapCaption) + "</figcaption></figure>\n"
        let bars = c.rows.sorted { sortKey($0.name) < sortKey($1.name) }.map { (name: $0.name, share: d.reportingShare[$0.unit] ?? 0, state: (states[$0.unit] ?? $0.state).rawValue) }
        let barsCaption = d.isReview
            ? tr("Phần số tháng trong \(d.label) mỗi đơn vị đã báo cáo; màu: tháng kém nhất.", en: "Each unit's share of the months of \(d.label) reported; the fill: its worst month.")
            : tr("Phần 12 tháng mỗi đơn vị đã báo cáo (đến \(d.period.text)); màu: trạng thái tháng này.", en: "Each unit's share of twelve months reported (to \(d.period.text)); the fill: this month's state.")
        // Bars of nothing say nothing: a column nobody reported in has none.
        if d.months.contains(where: { $0.reported > 0 }) {
            let barsTitle = d.isReview
            ? tr("Tỉ lệ báo cáo của từng đơn vị trong \(d.label)", en: "Each unit's reporting over \(d.label)")
            : tr("Tỉ lệ báo cáo 12 tháng của từng đơn vị", en: "Each unit's reporting over twelve months")
        let barsDescription = d.isReview
            ? tr("Mỗi thanh là phần số tháng đơn vị đã báo cáo trong kỳ; màu theo tháng kém nhất.", en: "Each bar is the share of the period's months the unit reported; its fill is its worst month.")
            : tr("Mỗi thanh là phần tháng đơn vị đã báo cáo trong 12 tháng; màu theo trạng thái tháng này.", en: "Each bar is the share of the twelve months the unit reported; its fill is this month's state.")
        out += "<figure><figcaption class=\"small\">" + esc(barsCaption) + "</figcaption>" + SVGChart.completeness(id: "bars\(index)", title: barsTitle, description: barsDescription, rows: bars) + "</figure>\n"
        }
        return out
    }

    static func rising(_ d: DigestData, _ index: Int) -> String {
        if d.baselineMonths == 0 {
            return "<p>" + esc(d.isReview
                ? tr("Không có báo cáo nào trong \(d.monthCount) tháng trước kỳ: không có gì để so sánh.", en: "No report in the \(d.monthCount) months before the period: nothing to compare with.")
                : tr("Không có báo cáo nào trong ba tháng trước: không có gì để so sánh.", en: "No report in the three months before: nothing to compare with.")) + "</p>\n"
        }
        guard !d.rising.isEmpty else {
            return "<p>" + esc(d.isReview
                ? tr("Không có chủ đề nào tăng so với \(d.monthCount) tháng trước kỳ.", en: "No topic rose against the \(d.monthCount) months before the period.")
                : tr("Không có chủ đề nào tăng so với ba tháng trước.", en: "No topic rose against the three months before.")) + "</p>\n"
        }
        var out = ""
        for r in d.rising {
            out += "<h3>\(esc(d.topic(r.topic)))</h3><p>" + esc(risingSentence(d, r)) + ".</p>"
            if let phrases = d.phrases[r.topic], !phrases.isEmpty {
                out += "<p>" + esc(tr("Điều mới được nói: ", en: "What is newly said: ")) + phrases.prefix(5).map { "“" + esc($0.phrase) + "”" }.joined(separator: ", ") + "</p>"
            }
            if let quote = d.quotes[r.topic] { out += "<blockquote>“\(esc(quote))”</blockquote>" }
            out += "\n"
        }
        return out
    }

    /// "21 nội dung, cường độ 21 so với trung bình 7,5 của ba tháng trước"; a review's
    /// intensity is a month's mean over the period.
    static func risingSentence(_ d: DigestData, _ r: RisingTopic) -> String {
        (d.isReview ? tr("\(LocalFormat.integer(r.items)) nội dung trong kỳ", en: "\(LocalFormat.integer(r.items)) items in the period") : tr("\(r.items) nội dung", en: "\(r.items) items"))
            + risingComparison(d, r)
    }

    static func risingComparison(_ d: DigestData, _ r: RisingTopic) -> String {
        d.isReview
            ? tr(", cường độ trung bình \(LocalFormat.decimal(r.intensity)) một tháng so với \(LocalFormat.decimal(r.before)) của \(d.baselineMonths ?? d.monthCount) tháng có báo cáo trước kỳ",
                 en: ", a mean intensity of \(LocalFormat.decimal(r.intensity)) a month against \(LocalFormat.decimal(r.before)) over the \(LocalFormat.count(d.baselineMonths ?? d.monthCount, vi: "tháng", en: "month")) with reports before it")
            : (d.baselineMonths ?? 3) < 3
                ? tr(", cường độ \(LocalFormat.decimal(r.intensity, places: 0)) so với trung bình \(LocalFormat.decimal(r.before)) của \(d.baselineMonths ?? 3) tháng có báo cáo trong ba tháng trước",
                     en: ", intensity \(LocalFormat.decimal(r.intensity, places: 0)) against a mean of \(LocalFormat.decimal(r.before)) over the \(LocalFormat.count(d.baselineMonths ?? 3, vi: "tháng", en: "month")) with reports of the three before")
                : tr(", cường độ \(LocalFormat.decimal(r.intensity, places: 0)) so với trung bình \(LocalFormat.decimal(r.before)) của ba tháng trước",
                     en: ", intensity \(LocalFormat.decimal(r.intensity, places: 0)) against a mean of \(LocalFormat.decimal(r.before)) over the three months before")
    }

    static func spikes(_ d: DigestData, _ index: Int) -> String {
        let list = d.spikes.filter { d.shows($0.period) }.sorted { $0.strength > $1.strength }
        guard !list.isEmpty else { return "<p>" + esc(tr("Không có tăng đột biến \(within(d)).", en: "No spike \(within(d)).")) + "</p>\n" }
        var out = "<table><tr>\(d.isReview ? "<th>" + esc(tr("tháng", en: "month")) + "</th>" : "")<th>\(esc(tr("đơn vị", en: "unit")))</th><th>\(esc(tr("chủ đề", en: "topic")))</th><th class=\"n\">\(esc(tr("nội dung", en: "items")))</th><th class=\"n\">\(esc(tr("nền 6 tháng", en: "six-month baseline")))</th><th class=\"n\">×</th></tr>"
        for s in list {
            out += "<tr>\(d.isReview ? "<td>" + esc(s.period.text) + "</td>" : "")<td>\(esc(d.unit(s.unit)))</td><td>\(esc(d.topic(s.topic)))</td><td class=\"n\">\(s.items)</td><td class=\"n\">\(esc(LocalFormat.decimal(s.baseline)))</td><td class=\"n\">\(esc(LocalFormat.decimal(s.strength)))</td></tr>"
        }
        return out + "</table>\n"
    }

    static func trends(_ d: DigestData, _ index: Int) -> String {
        let months = d.trends.series.first?.points.map { $0.period.text } ?? []
        // A month nobody reported in is a gap in every line, not a fall to nothing.
        let reported = d.trends.monthsWithReports
        let ordered = d.trends.series.sorted { $0.points.compactMap(\.items).reduce(0, +) > $1.points.compactMap(\.items).reduce(0, +) }
        var out = "<div class=\"multiples\">"
        for (i, s) in ordered.enumerated() {
            out += "<figure>" + SVGChart.trend(id: "trend\(index)-\(i)", title: d.topic(s.topic), months: months, values: s.points.map { reported.contains($0.period) ? $0.intensity ?? 0 : nil }) + "</figure>"
        }
        return out + "</div>\n"
    }

    static func sentimentRows(_ d: DigestData) -> [(topic: String, value: Double)] {
        d.sentiment.compactMap { row in row.computed.map { (d.topic(row.topic), $0) } }.sorted { $0.value < $1.value }
    }

    static func sentiment(_ d: DigestData, _ index: Int) -> String {
        let rows = sentimentRows(d)
        guard !rows.isEmpty else { return "<p>" + esc(tr("Chưa có số liệu thái độ \(within(d)).", en: "No sentiment figures \(within(d)).")) + "</p>\n" }
        var out = "<figure>" + SVGChart.sentiment(id: "sent\(index)", rows: rows) + "</figure>"
        out += "<table class=\"small\"><tr><th>\(esc(tr("chủ đề", en: "topic")))</th><th class=\"n\">\(esc(tr("thái độ (−1…+1)", en: "sentiment (−1…+1)")))</th></tr>"
        for r in rows { out += "<tr><td>\(esc(r.topic))</td><td class=\"n\">\(esc(LocalFormat.decimal(r.value, places: 2)))</td></tr>" }
        return out + "</table>\n"
    }

    static func surveys(_ d: DigestData, _ index: Int) -> String {
        guard !d.surveys.isEmpty else { return "<p>" + esc(tr("Không có khảo sát \(within(d)).", en: "No survey \(within(d)).")) + "</p>\n" }
        var out = ""
        for s in d.surveys {
            out += "<h3>\(esc(s.title))</h3><p>" + esc(tr("\(LocalFormat.integer(s.responses)) phiếu; khoảng tin cậy 95%.", en: "\(LocalFormat.integer(s.responses)) responses; 95% intervals.")) + "</p>"
            for q in s.questions {
                guard let options = q.options, !options.isEmpty else {
                    if let m = q.mean { out += "<p>\(esc(q.text)): \(esc(tr("trung bình", en: "mean"))) \(esc(LocalFormat.decimal(m, places: 2))) [\(esc(LocalFormat.decimal(q.low ?? m, places: 2))) – \(esc(LocalFormat.decimal(q.high ?? m, places: 2)))]</p>" }
                    continue
                }
                out += "<table class=\"small\"><tr><th>\(esc(q.text))</th><th class=\"n\">%</th><th class=\"n\">\(esc(tr("sai số", en: "margin")))</th></tr>"
                for o in options {
                    guard let p = o.proportion, let low = o.low, let high = o.high else { continue }
                    out += "<tr><td>\(esc(o.option))</td><td class=\"n\">\(esc(LocalFormat.percent(p)))</td><td class=\"n\">\(esc(LocalFormat.decimal(low * 100))) – \(esc(LocalFormat.decimal(high * 100)))</td></tr>"
                }
                out += "</table>"
            }
        }
        return out + "\n"
    }

    static func reviews(_ d: DigestData, _ index: Int) -> String {
        let returned = d.reviews.filter { $0.state == .returned }
        guard !returned.isEmpty else { return "<p>" + esc(tr("Không có báo cáo nào bị trả lại \(within(d)).", en: "No report was returned \(within(d)).")) + "</p>\n" }
        var out = "<table class=\"small\"><tr>\(d.isReview ? "<th>" + esc(tr("tháng", en: "month")) + "</th>" : "")<th>\(esc(tr("đơn vị", en: "unit")))</th><th>\(esc(tr("lý do", en: "reason")))</th><th>\(esc(tr("đã sửa", en: "corrected")))</th></tr>"
        for r in returned {
            let corrected = (d.latestVersions[r.period]?[r.unit] ?? 0) > r.version
            out += "<tr>\(d.isReview ? "<td>" + esc(r.period.text) + "</td>" : "")<td>\(esc(d.unit(r.unit)))</td><td>\(esc(r.reason ?? ""))</td><td>\(esc(corrected ? tr("đã gửi bản sửa", en: "yes") : tr("chưa", en: "not yet")))</td></tr>"
        }
        return out + "</table>\n"
    }

    /// A paragraph per topic, every figure in it taken from the sections above.
    static func topics(_ d: DigestData, _ index: Int) -> String {
        var out = ""
        let sentimentByTopic = Dictionary(d.sentiment.compactMap { row in row.computed.map { (row.topic, $0) } }, uniquingKeysWith: { a, _ in a })
        let rising = Dictionary(d.rising.map { ($0.topic, $0) }, uniquingKeysWith: { a, _ in a })
        // Spikes in units, not the province's own total.
        let spikeCounts = Dictionary(grouping: d.spikes.filter { d.shows($0.period) && $0.unit != d.completeness.root }, by: \.topic).mapValues(\.count)
        for s in d.trends.series.sorted(by: { sortKey(d.topic($0.topic)) < sortKey(d.topic($1.topic)) }) {
            let items = s.points.filter { d.itemMonths.contains($0.period) }.compactMap(\.items).reduce(0, +)
            guard items > 0 else { continue }
            var sentences = [tr("\(d.topic(s.topic)): \(LocalFormat.integer(items)) nội dung trong \(d.label)", en: "\(d.topic(s.topic)): \(LocalFormat.integer(items)) items in \(d.label)")]
            if let r = rising[s.topic] { sentences[0] += risingComparison(d, r) }
            if let n = spikeCounts[s.topic] { sentences.append(d.isReview
                ? tr("\(n) lần tăng đột biến ở các đơn vị", en: "\(n) \(n == 1 ? "spike" : "spikes") in units")
                : tr("tăng đột biến ở \(n) đơn vị", en: "a spike in \(n) \(n == 1 ? "unit" : "units")")) }
            if let v = sentimentByTopic[s.topic] {
                let tone = v <= -0.15 ? tr("tiêu cực", en: "negative") : v >= 0.15 ? tr("tích cực", en: "positive") : tr("trung lập", en: "neutral")
                sentences.append(tr("thái độ \(tone) (\(LocalFormat.decimal(v, places: 2)))", en: "sentiment \(tone) (\(LocalFormat.decimal(v, places: 2)))"))
            }
            out += "<p>" + esc(sentences.joined(separator: "; ")) + ".</p>\n"
        }
        return out.isEmpty ? "<p>" + esc(tr("Chưa có nội dung nào \(within(d)).", en: "No items \(within(d)).")) + "</p>\n" : out
    }
}

extension String {
    /// "6 tháng đầu năm" → "6 tháng đầu năm", "tháng 10" → "Tháng 10": a label opening a sentence.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
