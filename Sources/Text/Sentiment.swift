import Foundation

/// Sentiment of Vietnamese text on a −1…+1 scale, from the team's polarity lexicon with
/// negation and intensifiers. Text without diacritics is matched against a folded copy of the
/// lexicon (phrases of two or more syllables only, and none that fold together with opposite
/// polarity). Matching works on syllable hashes, so scoring builds no strings.
public struct SentimentAnalyzer: Sendable {
    public enum Label: String, Sendable, Codable, CaseIterable { case neg, neu, pos }

    struct Lexicon: Sendable {
        var values: [UInt64: Double] = [:]
        var maxLength = 1
        var negators: Set<UInt64> = []
        var notNegations: Set<UInt64> = []
        var before: [(key: UInt64, length: Int, multiplier: Double)] = []
        var after: [(key: UInt64, length: Int, multiplier: Double)] = []
    }

    let accented: Lexicon
    let folded: Lexicon
    /// Scores whose magnitude is below this are neutral.
    public var neutralBand: Double

    public static let shared = SentimentAnalyzer()

    static func key(_ hashes: ArraySlice<UInt64>) -> UInt64 {
        var k = hashes.first!
        for h in hashes.dropFirst() { k = Syllables.combine(k, h) }
        return k
    }

    static func build(fold: Bool) -> Lexicon {
        func hashes(_ phrase: String) -> [UInt64] { Syllables.hashes(fold ? Folding.fold(phrase) : phrase).hashes }
        var lexicon = Lexicon()
        var signs: [UInt64: Double] = [:]
        var conflicts: Set<UInt64> = []
        for (phrase, value) in SentimentLexicon.entries {
            let h = hashes(phrase)
            // Without diacritics one syllable means too many things ("lo" is worry, kiln, jar…).
            if fold && h.count < 2 { continue }
            let k = key(h[...])
            if let existing = signs[k], (existing > 0) != (value > 0), existing != 0, value != 0 { conflicts.insert(k) }
            signs[k] = value
            lexicon.values[k] = value
            lexicon.maxLength = max(lexicon.maxLength, h.count)
        }
        for c in conflicts { lexicon.values[c] = nil }
        lexicon.negators = Set(SentimentLexicon.negators.map { key(hashes($0.joined(separator: " "))[...]) })
        lexicon.notNegations = Set(SentimentLexicon.notNegations.map { key(hashes($0)[...]) })
        lexicon.before = SentimentLexicon.intensifiersBefore.map { (key(hashes($0.0.joined(separator: " "))[...]), $0.0.count, $0.1) }
        lexicon.after = SentimentLexicon.intensifiersAfter.map { (key(hashes($0.0.joined(separator: " "))[...]), $0.0.count, $0.1) }
        return lexicon
    }

    public init(neutralBand: Double = 0.1) {
        self.neutralBand = neutralBand
        accented = SentimentAnalyzer.build(fold: false)
        folded = SentimentAnalyzer.build(fold: true)
    }

    public func label(_ score: Double) -> Label {
        score <= -neutralBand ? .neg : score >= neutralBand ? .pos : .neu
    }

    /// The score of a text, −1…+1, read as standard Vietnamese (see ``StandardVietnamese``):
    /// teencode, text without diacritics and Nghệ Tĩnh speech score as their standard forms do.
    public func score(_ text: String) -> Double {
        let (tokens, accentedText) = Syllables.hashes(StandardVietnamese.from(text))
        return score(tokens: tokens, lexicon: accentedText ? accented : folded)
    }

    func score(tokens: [UInt64], lexicon: Lexicon) -> Double {
        var total = 0.0
        var i = 0
        var lastHitEnd = 0
        let n = tokens.count
        @inline(__always) func matches(_ key: UInt64, _ length: Int, at start: Int) -> Bool {
            start >= 0 && start + length <= n && SentimentAnalyzer.key(tokens[start..<(start + length)]) == key
        }
        while i < n {
            // The longest lexicon phrase starting here.
            var matched: (length: Int, value: Double)?
            var k = tokens[i]
            var keys: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (k, 0, 0, 0, 0, 0)
            let longest = min(lexicon.maxLength, n - i, 6)
            if longest >= 2 {
                for length in 2...longest {
                    k = Syllables.combine(k, tokens[i + length - 1])
                    switch length {
                    case 2: keys.1 = k
                    case 3: keys.2 = k
                    case 4: keys.3 = k
                    case 5: keys.4 = k
                    default: keys.5 = k
                    }
                }
            }
            for length in stride(from: longest, through: 1, by: -1) {
                let key: UInt64
                switch length {
                case 1: key = keys.0
                case 2: key = keys.1
                case 3: key = keys.2
                case 4: key = keys.3
                case 5: key = keys.4
                default: key = keys.5
                }
                if let v = lexicon.values[key] {
                    matched = (length, v)
                    break
                }
            }
            guard let (length, base) = matched else {
                i += 1
                continue
            }
            var value = base
            var negated = false
            var multiplier = 1.0
            // Up to four words before, not reaching back past the previous hit.
            var j = max(lastHitEnd, i - 4)
            while j < i {
                if j + 1 < n, lexicon.notNegations.contains(Syllables.combine(tokens[j], tokens[j + 1])) {
                    j += 2
                    continue
                }
                if j + 1 < i, lexicon.negators.contains(Syllables.combine(tokens[j], tokens[j + 1])) {
                    negated = true
                    j += 2
                    continue
                }
                if lexicon.negators.contains(tokens[j]) { negated = true }
                for m in lexicon.before where j + m.length <= i && matches(m.key, m.length, at: j) { multiplier *= m.multiplier }
                j += 1
            }
            let end = i + length
            for m in lexicon.after where matches(m.key, m.length, at: end) { multiplier *= m.multiplier }
            if negated { value = -value * 0.7 }
            total += value * multiplier
            i = end
            lastHitEnd = i
        }
        return tanh(total / 3)
    }
}
