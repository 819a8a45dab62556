import Arguments
import Foundation
import Text

/// Text tools that run offline, with no service: one input line per output line.
enum TextCommands {
    static func lines() -> AnyIterator<String> {
        AnyIterator { readLine(strippingNewline: true) }
    }

    static var text: Command {
        Command(
            "text", "Vietnamese text tools that work offline, one input line per output line.",
            subcommands: [
                Command("scrub", "Remove personal identifiers (IDs, phones, e-mails, profile links, @handles) from each line.", options: [.flag("json", help: "Add the kinds and spans removed.")]) { inv in
                    for line in lines() {
                        let result = Scrubber.scrub(line)
                        if inv.output.format == .json {
                            struct Line: Encodable { var text: String; var removed: [Scrubber.Removal] }
                            print(Output.json(Line(text: result.text, removed: result.removals), pretty: false))
                        } else {
                            print(result.text)
                        }
                    }
                },
                Command("normalize", "Print each line in NFC with one tone-mark placement (hoà → hòa).") { _ in
                    for line in lines() { print(Vietnamese.normalize(line)) }
                },
                Command("tokens", "Print each line's syllables, space-separated, and its bigrams separated by |.") { inv in
                    for line in lines() {
                        let s = Vietnamese.syllables(line)
                        if inv.output.format == .json {
                            struct Line: Encodable { var syllables: [String]; var bigrams: [String]; var trigrams: [String] }
                            print(Output.json(Line(syllables: s, bigrams: Vietnamese.ngrams(s, n: 2), trigrams: Vietnamese.ngrams(s, n: 3)), pretty: false))
                        } else {
                            print(s.joined(separator: " ") + "\t" + Vietnamese.ngrams(s, n: 2).joined(separator: "|"))
                        }
                    }
                },
                Command(
                    "sentiment", "Print each line's sentiment score (−1…+1) and label.",
                    options: [.option("neutral", value: "band", help: "Scores within ±band are neutral (default 0.15).")]
                ) { inv in
                    var analyzer = SentimentAnalyzer.shared
                    if let band = inv.arguments.value("neutral") {
                        guard let b = Double(band), b >= 0, b < 1 else { throw UsageError("--neutral is a number from 0 up to (not including) 1, such as 0.15; not \"\(band)\"") }
                        analyzer.neutralBand = b
                    }
                    for line in lines() {
                        let score = analyzer.score(line)
                        if inv.output.format == .json {
                            struct Line: Encodable { var score: Double; var label: String }
                            print(Output.json(Line(score: score, label: analyzer.label(score).rawValue), pretty: false))
                        } else {
                            print(String(format: "%+.3f", score) + "\t" + analyzer.label(score).rawValue)
                        }
                    }
                },
                Command(
                    "restore", "Print each line as analysis reads it: diacritics restored where missing, teencode spelled out, Nghệ Tĩnh words in standard form.",
                    options: [.flag("diacritics-only", help: "Only restore diacritics; leave teencode and dialect words.")]
                ) { inv in
                    let only = inv.arguments.has("diacritics-only")
                    for line in lines() {
                        let out = only ? DiacriticRestorer.shared.restore(line) : StandardVietnamese.from(line)
                        if inv.output.format == .json {
                            struct Line: Encodable { var text: String; var restored: String }
                            print(Output.json(Line(text: line, restored: out), pretty: false))
                        } else {
                            print(out)
                        }
                    }
                },
                Command(
                    "topic", "Print the topics suggested for each line (an item's summary), best first, with their probabilities.",
                    options: [.option("top", value: "n", help: "How many topics per line (default 3).")]
                ) { inv in
                    let top = try inv.arguments.integer("top") ?? 3
                    guard (1...20).contains(top) else { throw UsageError("--top is 1 to 20, not \(top)") }
                    for line in lines() {
                        let suggestions = TopicClassifier.shared.suggest(line, limit: top)
                        if inv.output.format == .json {
                            struct Line: Encodable { var topics: [TopicSuggestion] }
                            print(Output.json(Line(topics: suggestions), pretty: false))
                        } else {
                            print(suggestions.map { "\($0.topic) \(String(format: "%.2f", $0.score))" }.joined(separator: "\t"))
                        }
                    }
                },
                Command("fold", "Print each line folded for matching: lowercase, no diacritics, đ → d.") { _ in
                    for line in lines() { print(Folding.fold(line)) }
                },
            ])
    }
}
