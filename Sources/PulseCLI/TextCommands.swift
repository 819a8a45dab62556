import Arguments
import Foundation
import Localization
import Text

/// Text tools that run offline, with no service: one input line per output line, or one JSON
/// document (an array, a line each) with `--json`, or CSV rows with `--csv`.
enum TextCommands {
    static func lines() -> AnyIterator<String> {
        AnyIterator { readLine(strippingNewline: true) }
    }

    /// Reads every line and prints what `transform` makes of it: its text form line by line, its
    /// CSV row under `header`, or all its values as one JSON array.
    static func each<Value: Encodable>(_ inv: Invocation, header: [String], _ transform: (String) -> (value: Value, row: [String], text: String)) {
        switch inv.output.format {
        case .table:
            for line in lines() { print(transform(line).text) }
        case .csv:
            var rows: [[String]] = []
            for line in lines() { rows.append(transform(line).row) }
            inv.output.table(header, rows)
        case .json:
            var values: [Value] = []
            for line in lines() { values.append(transform(line).value) }
            print(Output.json(values))
        }
    }

    static func word(_ label: SentimentAnalyzer.Label) -> String {
        switch label {
        case .pos: return tr("tích cực", en: "positive")
        case .neg: return tr("tiêu cực", en: "negative")
        case .neu: return tr("trung lập", en: "neutral")
        }
    }

    static var text: Command {
        Command(
            "text", tr("Công cụ văn bản tiếng Việt chạy tại chỗ, mỗi dòng vào một dòng ra.", en: "Vietnamese text tools that work offline, one input line per output line."),
            subcommands: [
                Command("scrub", tr("Bỏ họ tên người dân và thông tin định danh (số định danh, hộ chiếu, tài khoản, biển số, điện thoại, email, trang cá nhân, @tên) khỏi từng dòng.", en: "Remove people's names and personal identifiers (IDs, passports, accounts, plates, phones, e-mails, profile links, @handles) from each line.")) { inv in
                    struct Line: Encodable { var text: String; var removed: [Scrubber.Removal] }
                    each(inv, header: ["text", "removed"]) { line in
                        let result = Scrubber.scrub(line)
                        return (Line(text: result.text, removed: result.removals), [result.text, result.removals.map(\.kind.rawValue).joined(separator: " ")], result.text)
                    }
                },
                Command("normalize", tr("In từng dòng ở dạng NFC với một cách đặt dấu (hoà → hòa).", en: "Print each line in NFC with one tone-mark placement (hoà → hòa).")) { inv in
                    each(inv, header: ["text"]) { line in
                        let out = Vietnamese.normalize(line)
                        return (out, [out], out)
                    }
                },
                Command("tokens", tr("In các âm tiết của từng dòng, cách nhau bởi dấu cách, và các cặp âm tiết cách nhau bởi |.", en: "Print each line's syllables, space-separated, and its bigrams separated by |.")) { inv in
                    struct Line: Encodable { var syllables: [String]; var bigrams: [String]; var trigrams: [String] }
                    each(inv, header: ["syllables", "bigrams"]) { line in
                        let s = Vietnamese.syllables(line)
                        let bigrams = Vietnamese.ngrams(s, n: 2)
                        return (Line(syllables: s, bigrams: bigrams, trigrams: Vietnamese.ngrams(s, n: 3)), [s.joined(separator: " "), bigrams.joined(separator: "|")], s.joined(separator: " ") + "\t" + bigrams.joined(separator: "|"))
                    }
                },
                Command(
                    "sentiment", tr("In điểm thái độ (−1…+1) và nhãn của từng dòng.", en: "Print each line's sentiment score (−1…+1) and label."),
                    options: [.option("neutral", value: "band", help: tr("Điểm trong khoảng ±band là trung lập (mặc định 0.15).", en: "Scores within ±band are neutral (default 0.15)."))]
                ) { inv in
                    var analyzer = SentimentAnalyzer.shared
                    if let band = inv.arguments.value("neutral") {
                        guard let b = Double(band.replacingOccurrences(of: ",", with: ".")), b >= 0, b < 1 else {
                            throw UsageError(tr("--neutral là một số từ 0 đến dưới 1, như 0,15; không phải \"\(band)\"", en: "--neutral is a number from 0 up to (not including) 1, such as 0.15; not \"\(band)\""))
                        }
                        analyzer.neutralBand = b
                    }
                    struct Line: Encodable { var score: Double; var label: String }
                    let chosen = analyzer
                    each(inv, header: ["score", "label"]) { line in
                        let score = chosen.score(line)
                        let label = chosen.label(score)
                        return (Line(score: score, label: label.rawValue), [String(format: "%.3f", score), label.rawValue], String(format: "%+.3f", score) + "\t" + word(label))
                    }
                },
                Command(
                    "restore", tr("In từng dòng như phân tích đọc nó: khôi phục dấu còn thiếu, viết đầy đủ teencode, từ Nghệ Tĩnh về dạng chuẩn.", en: "Print each line as analysis reads it: diacritics restored where missing, teencode spelled out, Nghệ Tĩnh words in standard form."),
                    options: [.flag("diacritics-only", help: tr("Chỉ khôi phục dấu; để nguyên teencode và từ địa phương.", en: "Only restore diacritics; leave teencode and dialect words."))]
                ) { inv in
                    let only = inv.arguments.has("diacritics-only")
                    struct Line: Encodable { var text: String; var restored: String }
                    each(inv, header: ["text", "restored"]) { line in
                        let out = only ? DiacriticRestorer.shared.restore(line) : StandardVietnamese.from(line)
                        return (Line(text: line, restored: out), [line, out], out)
                    }
                },
                Command(
                    "topic", tr("In các chủ đề gợi ý cho từng dòng (tóm tắt một nội dung), tốt nhất trước, kèm xác suất.", en: "Print the topics suggested for each line (an item's summary), best first, with their probabilities."),
                    options: [.option("top", value: "n", help: tr("Bao nhiêu chủ đề mỗi dòng (mặc định 3).", en: "How many topics per line (default 3)."))]
                ) { inv in
                    let top = try inv.arguments.integer("top") ?? 3
                    guard (1...20).contains(top) else { throw UsageError(tr("--top từ 1 đến 20, không phải \(top)", en: "--top is 1 to 20, not \(top)")) }
                    struct Line: Encodable { var topics: [TopicSuggestion] }
                    each(inv, header: (1...top).flatMap { ["topic\($0)", "score\($0)"] }) { line in
                        let suggestions = TopicClassifier.shared.suggest(line, limit: top)
                        var row = suggestions.flatMap { [$0.topic, String(format: "%.4f", $0.score)] }
                        while row.count < 2 * top { row.append("") }
                        return (Line(topics: suggestions), row, suggestions.map { "\($0.topic) \(Output.decimal($0.score, 2))" }.joined(separator: "\t"))
                    }
                },
                Command("fold", tr("In từng dòng đã gấp để so khớp: chữ thường, bỏ dấu, đ → d.", en: "Print each line folded for matching: lowercase, no diacritics, đ → d.")) { inv in
                    each(inv, header: ["text"]) { line in
                        let out = Folding.fold(line)
                        return (out, [out], out)
                    }
                },
            ])
    }
}
