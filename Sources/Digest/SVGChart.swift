import Foundation
import Localization

/// The digest's charts, drawn as inline SVG: each with a title and a description for screen
/// readers, marks that stay apart in greyscale print (luminance and hatching, not hue alone),
/// and classes a test can count (`point`, `bar`, `unit-dot`, `spike-mark`).
enum SVGChart {
    /// Fills that differ in lightness, so that a greyscale print keeps them apart.
    static let onTime = "#1f3f7a"
    static let late = "#f0c36a"
    static let hatch = "url(#hatch)"

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func number(_ x: Double) -> String { String(format: "%.1f", x) }

    /// The opening of an accessible chart.
    static func open(_ kind: String, id: String, width: Int, height: Int, title: String, description: String, extra: String = "") -> String {
        """
        <svg class="chart" data-chart="\(kind)" role="img" aria-labelledby="\(id)-t \(id)-d" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" xmlns="http://www.w3.org/2000/svg"\(extra)>
        <title id="\(id)-t">\(escape(title))</title><desc id="\(id)-d">\(escape(description))</desc>
        <defs><pattern id="hatch" width="3" height="3" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="3" fill="#fff"/><line x1="0" y1="0" x2="0" y2="3" stroke="#000" stroke-width="2"/></pattern></defs>
        """
    }

    /// One topic's months as a line, a point each; a month without figures leaves a gap.
    static func trend(id: String, title: String, months: [String], values: [Double?]) -> String {
        let width = 220, height = 70, left = 4.0, right = 4.0, top = 14.0, bottom = 12.0
        let top_ = values.compactMap { $0 }.max() ?? 0
        let step = months.count > 1 ? (Double(width) - left - right) / Double(months.count - 1) : 0
        func y(_ v: Double) -> Double { top + (Double(height) - top - bottom) * (1 - (top_ > 0 ? v / top_ : 0)) }
        let described = zip(months, values).map { "\($0): \($1.map { LocalFormat.decimal($0, places: 0) } ?? "—")" }.joined(separator: "; ")
        var svg = open("trend", id: id, width: width, height: height, title: title, description: tr("Cường độ theo tháng: ", en: "Intensity by month: ") + described)
        svg += "<text x=\"\(left)\" y=\"10\" font-size=\"9\">\(escape(title))</text>"
        var path = ""
        for (i, v) in values.enumerated() {
            guard let v else { continue }
            let previousMissing = i == 0 || values[i - 1] == nil
            path += (previousMissing ? "M" : "L") + number(left + Double(i) * step) + " " + number(y(v)) + " "
        }
        if !path.isEmpty { svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.2\"/>" }
        for (i, v) in values.enumerated() {
            guard let v else { continue }
            let last = i == values.count - 1
            svg += "<circle class=\"point\" cx=\"\(number(left + Double(i) * step))\" cy=\"\(number(y(v)))\" r=\"\(last ? 2.6 : 1.6)\" fill=\"\(last ? onTime : "#000")\"><title>\(escape(months[i])): \(LocalFormat.decimal(v, places: 0))</title></circle>"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 1)\" font-size=\"7\">\(escape(months.first ?? ""))</text>"
        svg += "<text x=\"\(Double(width) - right)\" y=\"\(height - 1)\" font-size=\"7\" text-anchor=\"end\">\(escape(months.last ?? ""))</text>"
        return svg + "</svg>"
    }

    /// A bar per unit: the share of the months it reported, shaded by its state.
    static func completeness(id: String, title: String, description: String, rows: [(name: String, share: Double, state: String)]) -> String {
        let rowHeight = 9.0, label = 150.0, barWidth = 300.0
        let width = Int(label + barWidth + 40), height = Int(Double(rows.count) * rowHeight + 24)
        var svg = open(
            "completeness", id: id, width: width, height: height, title: title, description: description)
        for (i, row) in rows.enumerated() {
            let y = 4 + Double(i) * rowHeight
            let fill: String
            switch row.state {
            case "onTime": fill = onTime
            case "late": fill = late
            case "returned": fill = hatch
            default: fill = "#fff"
            }
            svg += "<text x=\"\(number(label - 4))\" y=\"\(number(y + 7))\" font-size=\"7\" text-anchor=\"end\">\(escape(row.name))</text>"
            svg += "<rect class=\"bar\" x=\"\(number(label))\" y=\"\(number(y + 1))\" width=\"\(number(max(0.5, barWidth * row.share)))\" height=\"\(number(rowHeight - 2))\" fill=\"\(fill)\" stroke=\"#000\" stroke-width=\"0.5\"><title>\(escape(row.name)): \(LocalFormat.percent(row.share))</title></rect>"
            svg += "<text x=\"\(number(label + barWidth * row.share + 3))\" y=\"\(number(y + 7))\" font-size=\"7\">\(LocalFormat.percent(row.share))</text>"
        }
        return svg + "</svg>"
    }

    /// A bar per topic from −1 (negative) to +1 (positive) around a middle line.
    static func sentiment(id: String, rows: [(topic: String, value: Double)]) -> String {
        let rowHeight = 14.0, label = 200.0, half = 130.0
        let width = Int(label + 2 * half + 40), height = Int(Double(rows.count) * rowHeight + 28)
        var svg = open(
            "sentiment", id: id, width: width, height: height, title: tr("Thái độ theo chủ đề", en: "Sentiment by topic"),
            description: tr("Thanh sang trái là tiêu cực, sang phải là tích cực, từ −1 đến +1.", en: "Bars to the left are negative, to the right positive, from −1 to +1."))
        let middle = label + half
        svg += "<line x1=\"\(number(middle))\" y1=\"2\" x2=\"\(number(middle))\" y2=\"\(height - 14)\" stroke=\"#000\" stroke-width=\"0.8\"/>"
        svg += "<text x=\"\(number(label))\" y=\"\(height - 3)\" font-size=\"7\">−1</text><text x=\"\(number(middle))\" y=\"\(height - 3)\" font-size=\"7\" text-anchor=\"middle\">0</text><text x=\"\(number(middle + half))\" y=\"\(height - 3)\" font-size=\"7\" text-anchor=\"end\">+1</text>"
        for (i, row) in rows.enumerated() {
            let y = 4 + Double(i) * rowHeight
            let length = half * min(1, abs(row.value))
            let x = row.value < 0 ? middle - length : middle
            svg += "<text x=\"\(number(label - 4))\" y=\"\(number(y + 9))\" font-size=\"8\" text-anchor=\"end\">\(escape(row.topic))</text>"
            svg += "<rect class=\"bar\" x=\"\(number(x))\" y=\"\(number(y + 2))\" width=\"\(number(max(0.5, length)))\" height=\"\(number(rowHeight - 4))\" fill=\"\(row.value < 0 ? late : onTime)\" stroke=\"#000\" stroke-width=\"0.5\"><title>\(escape(row.topic)): \(LocalFormat.decimal(row.value, places: 2))</title></rect>"
        }
        return svg + "</svg>"
    }

    /// The communes and wards as dots where they lie, filled by this month's reporting state;
    /// a unit with a spike is ringed.
    static func map(id: String, points: [UnitPoints.Point], states: [String: String], spikes: Set<String>, names: [String: String]) -> String {
        let width = 420, height = 360, pad = 16.0
        guard !points.isEmpty else { return "" }
        let lats = points.map(\.latitude), lons = points.map(\.longitude)
        let minLat = lats.min()!, maxLat = lats.max()!, minLon = lons.min()!, maxLon = lons.max()!
        // Equirectangular, a degree of longitude shortened by the cosine of the latitude.
        let scaleX = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max(1e-6, (maxLon - minLon) * scaleX), spanY = max(1e-6, maxLat - minLat)
        let scale = min((Double(width) - 2 * pad) / spanX, (Double(height) - 2 * pad - 30) / spanY)
        var svg = open(
            "map", id: id, width: width, height: height, title: tr("Bản đồ báo cáo theo xã, phường", en: "Reporting by commune and ward"),
            description: tr("Mỗi chấm là một xã, phường: đậm là đúng hạn, cam là trễ hạn, gạch chéo là trả lại để sửa, trắng là chưa báo cáo, chấm xám nhỏ là chưa là đơn vị báo cáo khi đó; vòng tròn ngoài là tăng đột biến.",
                            en: "Each dot is a commune or ward: dark on time, orange late, hatched returned, white missing, a small grey dot not yet a reporting unit then; an outer ring marks a spike."))
        for p in points {
            let x = pad + (p.longitude - minLon) * scaleX * scale
            let y = pad + (maxLat - p.latitude) * scale
            // A commune with no state then did not yet exist (before the 2025 merger): a small grey dot.
            let state = states[p.code] ?? "none"
            let fill = state == "onTime" ? onTime : state == "late" ? late : state == "returned" ? hatch : state == "none" ? "#ccc" : "#fff"
            let name = names[p.code] ?? p.name
            let word = state == "onTime" ? tr("đúng hạn", en: "on time") : state == "late" ? tr("trễ hạn", en: "late") : state == "returned" ? tr("trả lại để sửa", en: "returned")
                : state == "none" ? tr("chưa là đơn vị báo cáo", en: "not a reporting unit then") : tr("chưa báo cáo", en: "missing")
            svg += "<circle class=\"unit-dot\" data-unit=\"\(p.code)\" data-state=\"\(state)\" cx=\"\(number(x))\" cy=\"\(number(y))\" r=\"\(state == "none" ? 2.5 : 4.5)\" fill=\"\(fill)\" stroke=\"#000\" stroke-width=\"\(state == "none" ? 0.4 : 0.8)\"><title>\(escape(name)): \(escape(word))</title></circle>"
            if spikes.contains(p.code) {
                svg += "<circle class=\"spike-mark\" data-unit=\"\(p.code)\" cx=\"\(number(x))\" cy=\"\(number(y))\" r=\"8\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.4\" stroke-dasharray=\"2 1.5\"/>"
            }
        }
        // The legend, in the same marks.
        var legend: [(String, String)] = [
            (onTime, tr("đúng hạn", en: "on time")), (late, tr("trễ hạn", en: "late")), (hatch, tr("trả lại", en: "returned")), ("#fff", tr("chưa báo cáo", en: "missing")),
        ]
        if points.contains(where: { states[$0.code] == nil }) { legend.append(("#ccc", tr("chưa có", en: "not yet a unit"))) }
        for (i, entry) in legend.enumerated() {
            let x = pad + Double(i) * (Double(width) - 2 * pad) / Double(legend.count)
            svg += "<circle cx=\"\(number(x + 5))\" cy=\"\(height - 12)\" r=\"4.5\" fill=\"\(entry.0)\" stroke=\"#000\" stroke-width=\"0.8\"/><text x=\"\(number(x + 13))\" y=\"\(height - 9)\" font-size=\"9\">\(escape(entry.1))</text>"
        }
        return svg + "</svg>"
    }
}
