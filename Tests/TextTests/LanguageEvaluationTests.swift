import Foundation
import Testing
@testable import Text

/// The text as a phone keyboard without Vietnamese input would leave it: no marks, đ as d.
func strippingDiacritics(_ text: String) -> String { Folding.withoutDiacritics(text) }

func resourceLines(_ name: String) throws -> [String] {
    let url = try #require(Bundle.module.url(forResource: "Resources/\(name)", withExtension: nil))
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
}

func labelledLines(_ name: String) throws -> [(label: String, text: String)] {
    try resourceLines(name).compactMap { line in
        let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
}

/// Per-syllable accuracy of restoring `lines` after stripping their diacritics.
func restorationAccuracy(_ lines: [String], errors: inout [String]) -> (correct: Int, total: Int) {
    var correct = 0
    var total = 0
    for line in lines {
        let restored = DiacriticRestorer.shared.restore(strippingDiacritics(line))
        let want = DiacriticRestorer.words(in: line).filter { !$0.isNumber }.map(\.lower)
        let got = DiacriticRestorer.words(in: restored).filter { !$0.isNumber }.map(\.lower)
        guard want.count == got.count else {
            total += want.count
            errors.append("misaligned: \(line) → \(restored)")
            continue
        }
        var wrong: [String] = []
        for (w, g) in zip(want, got) {
            total += 1
            if w == g { correct += 1 } else { wrong.append("\(g)≠\(w)") }
        }
        if !wrong.isEmpty { errors.append(wrong.joined(separator: ", ") + "\t" + line) }
    }
    return (correct, total)
}

/// Runs `body` on a thread of its own: the evaluations take seconds of CPU, and on one of the
/// two cooperative threads they would starve every other suite's tasks (timers, daemons'
/// start-up checks) for as long.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// Whether a line is written with diacritics: at least half its words carry one.
func writtenWithDiacritics(_ text: String) -> Bool { !DiacriticRestorer.mayNeedRestoring(text) }

@Suite("Vietnamese as people write it: restoration, informal writing, dialect, topics")
struct LanguageEvaluationTests {
    static var showErrors: Bool { ProcessInfo.processInfo.environment["PULSE_TEXT_ERRORS"] != nil }

    @Test("diacritic restoration: ≥ 95% of syllables right on the held-out report text (its errors are never printed)")
    func restoration() async throws {
        let (devLines, heldLines) = (try resourceLines("restoration-dev.txt"), try resourceLines("restoration-heldout.txt"))
        let (dev, held, devErrors) = try await offThePool { () -> ((correct: Int, total: Int), (correct: Int, total: Int), [String]) in
            var devErrors: [String] = []
            let dev = restorationAccuracy(devLines, errors: &devErrors)
            var heldErrors: [String] = []
            return (dev, restorationAccuracy(heldLines, errors: &heldErrors), devErrors)
        }
        let devRate = Double(dev.correct) / Double(max(dev.total, 1))
        let heldRate = Double(held.correct) / Double(max(held.total, 1))
        print(String(format: "restoration: development %.2f%% of %d syllables; held out %.2f%% of %d syllables", devRate * 100, dev.total, heldRate * 100, held.total))
        if Self.showErrors { for e in devErrors { print("dev error: \(e)") } }
        #expect(held.total >= 3000, "the held-out part is large enough to measure")
        #expect(heldRate >= 0.95)
    }

    /// Measured while the lexicon grew on development errors only: four times short of the
    /// targets (0.869/0.805 to 0.896/0.833), then, after a review found that spelled-out teencode
    /// never met the folded lexicon's negators, at 0.900 and 0.860.
    @Test("sentiment on the held-out parts: macro-F1 ≥ 0.90 with diacritics, ≥ 0.85 without (teencode and dialect included)")
    func sentiment() async throws {
        let old = try evaluationSet()
        let informalDev = try labelledLines("sentiment-informal-dev.tsv").enumerated().map {
            Labelled(id: 1000 + $0.offset, label: SentimentAnalyzer.Label(rawValue: $0.element.label)!, text: $0.element.text)
        }
        let informalHeld = try labelledLines("sentiment-informal-heldout.tsv").enumerated().map {
            Labelled(id: 2000 + $0.offset, label: SentimentAnalyzer.Label(rawValue: $0.element.label)!, text: $0.element.text)
        }
        let informalDev2 = try labelledLines("sentiment-informal-dev2.tsv").enumerated().map {
            Labelled(id: 3000 + $0.offset, label: SentimentAnalyzer.Label(rawValue: $0.element.label)!, text: $0.element.text)
        }
        let dev = old.filter { $0.id <= 220 } + informalDev + informalDev2
        let held = old.filter { $0.id > 220 } + informalHeld
        let r = try await offThePool { () -> [(Scores, [String])] in
            [
                evaluate(informalDev2),
                evaluate(dev.filter { writtenWithDiacritics($0.text) }),
                evaluate(dev.filter { !writtenWithDiacritics($0.text) }),
                evaluate(held.filter { writtenWithDiacritics($0.text) }),
                evaluate(held.filter { !writtenWithDiacritics($0.text) }),
                // The held-out lines with diacritics, stripped: restoration then sentiment.
                evaluate(held.filter { writtenWithDiacritics($0.text) }) { strippingDiacritics($0) },
            ]
        }
        let second = r[0].0
        print(String(format: "sentiment macro-F1 on the second development writer: %.3f (n=%d)", second.macroF1, second.n))
        let ((devWith, devWithErrors), (devWithout, devWithoutErrors)) = (r[1], r[2])
        let (heldWith, heldWithout, heldStripped) = (r[3].0, r[4].0, r[5].0)
        print(String(format: "sentiment macro-F1: development with diacritics %.3f (n=%d), without %.3f (n=%d); held out with diacritics %.3f (n=%d), without %.3f (n=%d), with diacritics stripped %.3f",
                     devWith.macroF1, devWith.n, devWithout.macroF1, devWithout.n, heldWith.macroF1, heldWith.n, heldWithout.macroF1, heldWithout.n, heldStripped.macroF1))
        if Self.showErrors { for e in devWithErrors + devWithoutErrors { print("dev error: \(e)") } }
        print("sentiment targets: with diacritics \(heldWith.macroF1 >= 0.90 ? "met" : "MISSED"), without \(heldWithout.macroF1 >= 0.85 ? "met" : "MISSED")")
        #expect(heldWithout.n >= 80, "a third of the held-out part is written without diacritics")
        #expect(heldWith.macroF1 >= 0.90)
        #expect(heldWithout.macroF1 >= 0.85)
    }

    @Test("topic suggestion on the held-out summaries: top-1 ≥ 85%, top-3 ≥ 95%")
    func topics() async throws {
        let held = try labelledLines("topics-heldout.tsv")
        let train = try Self.trainingSet()
        let (top1, top3, devTop1, devErrors) = try await offThePool { () -> (Int, Int, Int, [String]) in
            var top1 = 0
            var top3 = 0
            for (topic, text) in held {
                let suggested = TopicClassifier.shared.suggest(text, limit: 3).map(\.topic)
                if suggested.first == topic { top1 += 1 }
                if suggested.contains(topic) { top3 += 1 }
            }
            // Development: five-fold cross-validation on the training set itself.
            var devTop1 = 0
            var devErrors: [String] = []
            for fold in 0..<5 {
                let part = TopicClassifier.trained(on: train.enumerated().filter { $0.offset % 5 != fold }.map(\.element))
                for (i, example) in train.enumerated() where i % 5 == fold {
                    let best = part.suggest(example.text, limit: 1).first?.topic
                    if best == example.topic { devTop1 += 1 } else { devErrors.append("\(example.topic)→\(best ?? "") \(example.text)") }
                }
            }
            return (top1, top3, devTop1, devErrors)
        }
        let n = Double(held.count)
        let held3 = Double(top3) / n
        print(String(format: "topics: development (5-fold, n=%d) top-1 %.1f%%; held out (n=%d) top-1 %.1f%%, top-3 %.1f%%", train.count, Double(devTop1) / Double(train.count) * 100, held.count, Double(top1) / n * 100, held3 * 100))
        if Self.showErrors { for e in devErrors { print("dev error: \(e)") } }
        #expect(held.count >= 14 * 15)
        #expect(Double(top1) / n >= 0.85)
        #expect(held3 >= 0.95)
    }

    static func trainingSet() throws -> [(topic: String, text: String)] {
        let url = try #require(TextResources.url("topics-train.tsv"))
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
    }

    @Test("teencode, held-down letters and missing spaces read as standard text")
    func informal() {
        #expect(Informal.normalize("ko dc j ca") == "không được gì ca")
        #expect(Informal.normalize("Quáaaa tốtttt,nhưng hơi đắt") == "Quá tốt, nhưng hơi đắt")
        #expect(Informal.normalize("Xoong nồi") == "Xoong nồi", "oo is a spelling, not a held key")
        #expect(Informal.normalize("Đường Hồng Lĩnh") == "Đường Hồng Lĩnh")
        let s = SentimentAnalyzer.shared
        #expect(s.score("dich vu ko tot") < -0.1, "negation through teencode, without diacritics")
        #expect(s.score("rat hai long voi thai do phuc vu") > 0.1)
        #expect(s.score("Bà con nỏ ưng chút mô") < -0.1, "Nghệ Tĩnh negation")
        #expect(s.score("Chừ đường ngõ đổ bê tông rồi, bà con ưng lắm") > 0.1)
    }

    @Test("Nghệ Tĩnh words read in standard form, except where they are standard words of their own")
    func dialect() {
        #expect(Dialect.standardize("Răng mà bà con nỏ chộ cán bộ mô") == "Sao mà bà con không thấy cán bộ đâu")
        #expect(Dialect.standardize("Bựa ni trời mưa to") == "Hôm nay trời mưa to")
        #expect(Dialect.standardize("Mở rộng quy mô sản xuất") == "Mở rộng quy mô sản xuất")
        #expect(Dialect.standardize("Khám răng miệng cho học sinh") == "Khám răng miệng cho học sinh")
        #expect(Dialect.standardize("Nông dân gieo mạ vụ đông xuân") == "Nông dân gieo mạ vụ đông xuân")
    }
}

/// The Text module's own resources, as tests see them.
enum TextResources {
    static func url(_ name: String) -> URL? {
        let base = Bundle.module.bundleURL.deletingLastPathComponent()
        let url = base.appendingPathComponent("Pulse_Text.resources/Resources/\(name)")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

@Suite("One pass over the syllables")
struct TextAnalysisTests {
    @Test("TextAnalysis gives exactly what the string pipeline gives, on every evaluation sentence and a stripped copy of each")
    func sameAsStringPipeline() async throws {
        var texts = try evaluationSet().map(\.text)
        for name in ["sentiment-informal-dev.tsv", "sentiment-informal-dev2.tsv", "topics-heldout.tsv"] { texts += try labelledLines(name).map(\.text) }
        texts += try resourceLines("restoration-dev.txt")
        texts += texts.map(strippingDiacritics)
        texts += ["", "...", "QĐ-UBND www.hatinh.gov.vn 38A 1 kg", "ko dc j ca", "Bà con nỏ ưng", "quáaaa tốt,nhưng"]
        let all = texts
        let differences = try await offThePool { () -> [String] in
            var differences: [String] = []
            for text in all {
                let fast = TextAnalysis.analyze(text)
                let standard = StandardVietnamese.from(text)
                let score = SentimentAnalyzer.shared.score(standard: standard)
                let topics = TopicClassifier.shared.suggest(standard: standard)
                if abs(fast.sentiment - score) > 1e-9 || fast.topics.map(\.topic) != topics.map(\.topic) {
                    differences.append("\(text): \(fast.sentiment) vs \(score), \(fast.topics.map(\.topic)) vs \(topics.map(\.topic))")
                }
            }
            return differences
        }
        #expect(differences.isEmpty, "\(differences.count) of \(texts.count) differ, e.g. \(differences.prefix(3))")
    }
}
