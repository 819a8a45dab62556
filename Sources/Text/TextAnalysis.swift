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
        if needsStringPath(scan) { return slow(text, limit) }
        var tokens = spelledOut(scan)
        if scan.mayNeedRestoring {
            let restorer = DiacriticRestorer.shared
            var chosen: [Int32] = Array(repeating: -1, count: tokens.count)
            var scratch = DiacriticRestorer.Scratch()
            var start = 0
            while start < tokens.count {
                var end = start + 1
                while end < tokens.count && !tokens[end].afterBreak { end += 1 }
                restorer.decode(tokens[start..<end], into: &chosen, scratch: &scratch)
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

    /// The tokens with teencode spelled out as `Informal` does it: not in codes, addresses or
    /// measures, not in capitals or mixed case, not after a number.
    static func spelledOut(_ scan: SyllableScan) -> [SyllableScan.Token] {
        let tokens = scan.tokens
        guard tokens.contains(where: { $0.end - $0.start <= 6 && Informal.wordHashes.contains($0.hash) }) else { return tokens }
        var out: [SyllableScan.Token] = []
        out.reserveCapacity(tokens.count + 8)
        for (k, t) in tokens.enumerated() {
            guard t.end - t.start <= 6, let found = Informal.byHash[t.hash], !t.technical, !t.hasDigit, !t.isNumber else {
                out.append(t)
                continue
            }
            let letters = scan.scalars[t.start..<t.end]
            let capitals = letters.dropFirst().contains { Syllables.isUpper($0.value) }
            let lonelyCapital = letters.count == 1 && Syllables.isUpper(letters.first!.value)
            // After a number with only spaces between: "1 kg", "120 k".
            let afterNumber = k > 0 && tokens[k - 1].isNumber && !t.afterBreak && !SyllableScan.touches(scan.scalars, tokens[k - 1].end, t.start)
            guard !capitals, !lonelyCapital, !afterNumber else {
                out.append(t)
                continue
            }
            for (j, var standard) in Informal.standardTokens[Int(found)].enumerated() {
                standard.start = t.start
                standard.end = t.end
                standard.afterBreak = j == 0 ? t.afterBreak : false
                standard.clauseBreak = j == 0 ? t.clauseBreak : false
                standard.technical = false
                out.append(standard)
            }
        }
        return out
    }

    /// Held keys ask for `Informal`'s collapsing; a dialect word written with diacritics for
    /// `Dialect`.
    static func needsStringPath(_ scan: SyllableScan) -> Bool {
        for t in scan.tokens {
            if Dialect.triggers.contains(t.hash) { return true }
            // Three of the same letter in a row, marks aside ("quáaa"): Informal collapses it
            // (digits are no held key: "150.000").
            if t.end - t.start >= 3 && !t.hasDigit {
                var run = 1
                var last: UInt32 = 0
                var capitals = false
                for i in t.start..<t.end {
                    let raw = scan.scalars[i].value
                    if i > t.start && Syllables.isUpper(raw) { capitals = true }
                    let f = Syllables.isLetter(raw) ? Informal.folded(scan.scalars[i]) : 0
                    run = f == last && f != 0 ? run + 1 : 1
                    last = f
                    if run >= 3 && !capitals { return true }
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
