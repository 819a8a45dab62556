import Foundation
import Localization
import Messages
import Wire

/// What is wrong with a report file, said the way its writer can fix it: where a JSON syntax
/// error is (line and column), and for each field what it holds and what it may hold, instead
/// of what Swift's decoder says ("Cannot initialize Prevalence from invalid String value…").
enum ReportFileCheck {
    /// The file with what people naturally write made what the format says: a month as
    /// 11/2026, a person's number in quotes, an enum value as its Vietnamese or English word.
    /// Text that is not a JSON object is returned as it is, for `problems` to place the mistake.
    static func normalised(_ text: String) -> String {
        guard syntaxError(text) == nil, var object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return text }
        if let period = object["period"] as? String, Period(period) == nil, let typed = Period.typed(period) { object["period"] = typed.description }
        if let submitter = object["submitter"] as? String, let n = Int(submitter.trimmingCharacters(in: .whitespaces)) { object["submitter"] = n }
        if var items = object["items"] as? [Any] {
            for (i, element) in items.enumerated() {
                guard var item = element as? [String: Any] else { continue }
                if let text = item["prevalence"] as? String, let value: Prevalence = ReportCommands.worded(text) { item["prevalence"] = value.rawValue }
                if let text = item["trend"] as? String, let value: Trend = ReportCommands.worded(text) { item["trend"] = value.rawValue }
                if let text = item["sentiment"] as? String, let n = Int(text.trimmingCharacters(in: .whitespaces)) { item["sentiment"] = n }
                if let channels = item["channels"] as? [Any] {
                    item["channels"] = channels.map { c -> Any in
                        guard let text = c as? String, let value: Channel = ReportCommands.worded(text) else { return c }
                        return value.rawValue
                    }
                }
                items[i] = item
            }
            object["items"] = items
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return text }
        return String(decoding: data, as: UTF8.self)
    }

    /// The problems of `text` as a report file; empty when it is sound.
    static func problems(_ text: String) -> [String] {
        if let syntax = syntaxError(text) { return [syntax] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return [tr("tệp phải chứa một đối tượng JSON: {\"unit\": …, \"period\": …, \"items\": […]}", en: "the file must hold one JSON object: {\"unit\": …, \"period\": …, \"items\": […]}")]
        }
        var out: [String] = []
        // A template's «…» text left in place: name each field that still holds it.
        func unfilled(_ value: Any, _ field: String) {
            switch value {
            case let text as String where text.contains(ReportTemplate.open) && text.contains(ReportTemplate.close):
                out.append(tr("\(field): vẫn là chữ của tệp mẫu (\(shown(text))); hãy viết nội dung thật", en: "\(field): still holds the template's text (\(shown(text))); write the real content"))
            case let list as [Any]:
                for (i, element) in list.enumerated() { unfilled(element, "\(field)[\(i)]") }
            case let map as [String: Any]:
                for key in map.keys.sorted() { unfilled(map[key]!, field.isEmpty ? key : "\(field).\(key)") }
            default: break
            }
        }
        unfilled(object, "")
        if !out.isEmpty { return out }
        if let assessment = object["assessment"] as? String, assessment.allSatisfy(\.isWhitespace) {
            out.append(tr("assessment: trống; hãy viết đánh giá chung tình hình của đơn vị trong tháng", en: "assessment: empty; write the unit's overall assessment of the month"))
        }
        func string(_ value: Any?, _ field: String, required: Bool = true) {
            if value == nil || value is NSNull {
                if required { out.append(tr("\(field): thiếu trường bắt buộc", en: "\(field): required field is missing")) }
            } else if !(value is String) {
                out.append(tr("\(field): \(shown(value)) không phải văn bản; hãy viết trong ngoặc kép", en: "\(field): \(shown(value)) is not text; write it in quotes"))
            }
        }
        func wholeNumber(_ value: Any?, _ field: String, _ range: ClosedRange<Int>, _ what: String) {
            guard let value, !(value is NSNull) else { return out.append(tr("\(field): thiếu trường bắt buộc", en: "\(field): required field is missing")) }
            guard let n = value as? NSNumber, !(value is String), n.doubleValue == n.doubleValue.rounded(),
                range.contains(Int(exactly: n.doubleValue) ?? Int.min)
            else { return out.append(tr("\(field): \(shown(value)) không phải \(what)", en: "\(field): \(shown(value)) is not \(what)")) }
        }
        func oneOf<E: WireEnum>(_ value: Any?, _ field: String, _ type: E.Type) {
            let allowed = E.allCases.map(\.rawValue)
            guard let value, !(value is NSNull) else { return out.append(tr("\(field): thiếu trường bắt buộc; một trong ", en: "\(field): required field is missing; one of ") + allowed.joined(separator: ", ")) }
            guard let text = value as? String, allowed.contains(text) else {
                return out.append(tr("\(field): \(shown(value)) không phải một trong ", en: "\(field): \(shown(value)) is not one of ") + allowed.joined(separator: ", "))
            }
        }
        string(object["unit"], "unit")
        if let unit = object["unit"] as? String, unit.trimmingCharacters(in: .whitespaces).isEmpty { out.append(tr("unit: trống; hãy ghi mã đơn vị, như 18775", en: "unit: empty; give the unit's code, such as 18775")) }
        string(object["period"], "period")
        if let period = object["period"] as? String, Period(period) == nil { out.append(tr("period: \"\(period)\" không phải một tháng YYYY-MM như 2026-11", en: "period: \"\(period)\" is not a month YYYY-MM such as 2026-11")) }
        wholeNumber(object["submitter"], "submitter", 1...Int(Int32.max), tr("số của một người (số nguyên trong `pulse people list`)", en: "a person's number (a whole number from `pulse people list`)"))
        string(object["assessment"], "assessment")
        guard let items = object["items"] as? [Any] else {
            out.append(object["items"] == nil ? tr("items: thiếu trường bắt buộc", en: "items: required field is missing") : tr("items: phải là một danh sách [ … ] các nội dung", en: "items: must be a list [ … ] of opinion items"))
            return out
        }
        for (i, element) in items.enumerated() {
            let at = "items[\(i)]"
            guard let item = element as? [String: Any] else {
                out.append(tr("\(at): phải là một đối tượng {\"topic\": …, \"summary\": …}", en: "\(at): must be an object {\"topic\": …, \"summary\": …}"))
                continue
            }
            string(item["topic"], "\(at).topic")
            string(item["summary"], "\(at).summary")
            oneOf(item["prevalence"], "\(at).prevalence", Prevalence.self)
            oneOf(item["trend"], "\(at).trend", Trend.self)
            wholeNumber(item["sentiment"], "\(at).sentiment", -2...2, tr("một số nguyên từ -2 (rất tiêu cực) đến 2 (rất tích cực)", en: "a whole number from -2 (very negative) to 2 (very positive)"))
            if let channels = item["channels"] {
                if let list = channels as? [Any] {
                    for (j, c) in list.enumerated() { oneOf(c, "\(at).channels[\(j)]", Channel.self) }
                } else {
                    out.append(tr("\(at).channels: phải là một danh sách, như [\"meetings\", \"socialMedia\"]", en: "\(at).channels: must be a list, such as [\"meetings\", \"socialMedia\"]"))
                }
            }
            if let localities = item["localities"], !(localities is [String]) { out.append(tr("\(at).localities: phải là một danh sách mã đơn vị", en: "\(at).localities: must be a list of unit codes")) }
            string(item["proposal"], "\(at).proposal", required: false)
        }
        return out
    }

    static func shown(_ value: Any?) -> String {
        switch value {
        case let s as String: return "\"\(s.prefix(40))\""
        case let n as NSNumber: return n.stringValue
        case is [Any]: return tr("một danh sách", en: "a list")
        case is [String: Any]: return tr("một đối tượng", en: "an object")
        default: return tr("không có gì", en: "nothing")
        }
    }

    /// Where the JSON stops being JSON: "line 3, column 16: expected , or } after a field".
    static func syntaxError(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var i = 0
        var line = 1
        var lineStart = 0
        struct Failure: Error { var message: String }
        func fail(_ message: String) -> Failure { Failure(message: tr("dòng \(line), cột \(i - lineStart + 1): ", en: "line \(line), column \(i - lineStart + 1): ") + message) }
        func space() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) {
                if bytes[i] == 0x0A {
                    line += 1
                    lineStart = i + 1
                }
                i += 1
            }
        }
        func value(_ depth: Int) throws {
            guard depth < 100 else { throw fail(tr("lồng quá sâu", en: "nested too deep")) }
            space()
            guard i < bytes.count else { throw fail(tr("tệp kết thúc ở chỗ cần một giá trị", en: "the file ends where a value should be")) }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                space()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return }
                while true {
                    space()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail(tr("cần tên trường trong ngoặc kép", en: "expected a field name in quotes")) }
                    try string()
                    space()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail(tr("cần dấu : sau tên trường", en: "expected : after the field name")) }
                    i += 1
                    try value(depth + 1)
                    space()
                    guard i < bytes.count else { throw fail(tr("tệp kết thúc trong { … }; thiếu dấu }", en: "the file ends inside { … }; a } is missing")) }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return }
                    throw fail(tr("cần dấu , hoặc } sau một trường", en: "expected , or } after a field"))
                }
            case UInt8(ascii: "["):
                i += 1
                space()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return }
                while true {
                    try value(depth + 1)
                    space()
                    guard i < bytes.count else { throw fail(tr("tệp kết thúc trong [ … ]; thiếu dấu ]", en: "the file ends inside [ … ]; a ] is missing")) }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return }
                    throw fail(tr("cần dấu , hoặc ] sau một phần tử", en: "expected , or ] after a list element"))
                }
            case UInt8(ascii: "\""):
                try string()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = i
                while i < bytes.count, "+-.eE0123456789".utf8.contains(bytes[i]) { i += 1 }
                guard Double(String(decoding: bytes[start..<i], as: UTF8.self)) != nil else { throw fail(tr("không phải một số", en: "not a number")) }
            default:
                for word in ["true", "false", "null"] where bytes[i...].starts(with: word.utf8) {
                    i += word.utf8.count
                    return
                }
                throw fail(tr("không hiểu ", en: "unexpected ") + "\(String(decoding: bytes[i..<min(i + 12, bytes.count)], as: UTF8.self).split(separator: "\n").first ?? "")" + tr("; văn bản phải nằm trong ngoặc kép", en: "; text must be in quotes"))
            }
        }
        func string() throws {
            i += 1
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""): i += 1; return
                case UInt8(ascii: "\\"): i += 2
                case 0x0A: throw fail(tr("xuống dòng trong ngoặc kép; hãy viết \\n", en: "a line break inside quotes; write it as \\n"))
                default: i += 1
                }
            }
            throw fail(tr("tệp kết thúc trong một đoạn trong ngoặc kép; thiếu dấu \"", en: "the file ends inside a quoted text; a \" is missing"))
        }
        do {
            try value(0)
            space()
            if i < bytes.count { throw fail(tr("còn nội dung sau phần cuối của báo cáo", en: "more after the end of the report")) }
            return nil
        } catch let failure as Failure {
            return failure.message
        } catch {
            return "\(error)"
        }
    }
}
