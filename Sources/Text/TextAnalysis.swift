import Foundation

/// Sentiment and topics of a text in one pass over its syllables: the same results as
/// `SentimentAnalyzer.score(standard:)` and `TopicClassifier.suggest(standard:)` on
/// `StandardVietnamese.from(text)`, without building the standard text. The syllables are
/// scanned once; diacritics are restored on the scanned tokens themselves; sentiment and topic
/// read the tokens' hashes. A text with teencode, held keys or Nghệ Tĩnh words takes the
/// String path (rare in reports, and exact either way).
public enum TextAnalysis {
    public struct Result: Sendable {
        public var sentiment: Double
        public var topics: [TopicSuggestion]
        /// Syllables read (for throughput figures).
        public var syllables: Int
    }

    public static func analyze(_ text: String, topics limit: Int = 3) -> Result {
        let normal = Vietnamese.normalize(text)
        let scan = SyllableScan(normal)
        var tokens = scan.tokens
        if needsStringPath(scan) { return slow(text, limit) }
        if scan.mayNeedRestoring {
            let restorer = DiacriticRestorer.shared
            var chosen: [Int32] = Array(repeating: -1, count: tokens.count)
            var start = 0
            while start < tokens.count {
                var end = start + 1
                while end < tokens.count && !tokens[end].afterBreak { end += 1 }
                restorer.decode(tokens[start..<end], into: &chosen)
                start = end
            }
            for (i, id) in chosen.enumerated() {
                let t = tokens[i]
                let label = t.end - t.start == 1 && Syllables.isUpper(scan.scalars[t.start].value)
                guard !t.accented, id > restorer.model.numberID, !restorer.model.isPlain(id), !label, !t.hasDigit, !t.technical else { continue }
                tokens[i].hash = restorer.model.hash(of: id)
                tokens[i].accented = true
            }
            // A restored "nỏ" or "răng" is dialect: that is the String path's to read.
            if tokens.contains(where: { Dialect.triggers.contains($0.hash) }) { return slow(text, limit) }
        }
        // Sentiment, clause by clause.
        let analyzer = SentimentAnalyzer.shared
        var clauses: [[UInt64]] = []
        var current: [UInt64] = []
        var accentedText = false
        for t in tokens {
            if t.clauseBreak && !current.isEmpty {
                clauses.append(current)
                current = []
            }
            current.append(t.hash)
            if t.accented { accentedText = true }
        }
        if !current.isEmpty { clauses.append(current) }
        let raw = analyzer.rawScore(clauses: clauses, lexicon: accentedText ? analyzer.accented : analyzer.folded)
        // Topics from the same tokens.
        let topics = TopicClassifier.shared.suggest(features: TopicClassifier.features(tokens: tokens), limit: limit)
        return Result(sentiment: tanh(raw / 3), topics: topics, syllables: tokens.count)
    }

    /// Teencode, held keys or punctuation glued to a word ask for `Informal`; a dialect word
    /// written with diacritics for `Dialect`.
    static func needsStringPath(_ scan: SyllableScan) -> Bool {
        for t in scan.tokens {
            if t.end - t.start <= 5, Informal.wordHashes.contains(t.hash) { return true }
            if Dialect.triggers.contains(t.hash) { return true }
            if t.start >= 1 {
                switch scan.scalars[t.start - 1].value {
                case 0x2C, 0x3B, 0x3A, 0x21, 0x3F: return true  // "tốt,nhưng"
                default: break
                }
            }
            // Three of the same lowercase letter in a row.
            if t.end - t.start >= 3 {
                var run = 0
                var last: UInt32 = 0
                for i in t.start..<t.end {
                    let raw = scan.scalars[i].value
                    let v = Syllables.lower(raw)
                    if v == last && v > 0x39 && !Syllables.isUpper(raw) {
                        run += 1
                        if run >= 2 { return true }
                    } else {
                        run = 0
                    }
                    last = v
                }
            }
        }
        return false
    }

    static func slow(_ text: String, _ limit: Int) -> Result {
        let standard = StandardVietnamese.from(text)
        return Result(
            sentiment: SentimentAnalyzer.shared.score(standard: standard), topics: TopicClassifier.shared.suggest(standard: standard, limit: limit),
            syllables: SyllableScan(standard).tokens.count)
    }
}
