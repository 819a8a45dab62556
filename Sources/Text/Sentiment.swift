import Foundation

/// Sentiment of Vietnamese text on a −1…+1 scale, from the team's polarity lexicon with
/// negation and intensifiers. Text without diacritics is matched against a folded copy of the
/// lexicon (entries that fold together with opposite polarity are left out of it).
public struct SentimentAnalyzer: Sendable {
    public enum Label: String, Sendable, Codable, CaseIterable { case neg, neu, pos }

    struct Lexicon: Sendable {
        var values: [String: Double] = [:]
        var maxLength = 1
    }

    let accented: Lexicon
    let folded: Lexicon
    let negators: Set<String>
    let foldedNegators: Set<String>
    let notNegations: Set<String>
    /// Scores whose magnitude is below this are neutral.
    public var neutralBand: Double

    public static let shared = SentimentAnalyzer()

    public init(neutralBand: Double = 0.1) {
        self.neutralBand = neutralBand
        var accented = Lexicon()
        var folded = Lexicon()
        var conflicts: Set<String> = []
        for (phrase, value) in SentimentLexicon.entries {
            let key = Vietnamese.syllables(phrase).joined(separator: " ")
            accented.values[key] = value
            accented.maxLength = max(accented.maxLength, key.split(separator: " ").count)
            let f = Folding.fold(key)
            if let existing = folded.values[f], (existing > 0) != (value > 0) { conflicts.insert(f) }
            folded.values[f] = value
            folded.maxLength = accented.maxLength
        }
        for c in conflicts { folded.values[c] = nil }
        // Without diacritics one syllable means too many things ("lo" is worry, kiln, jar…):
        // only phrases of two or more syllables are matched.
        for key in folded.values.keys where !key.contains(" ") { folded.values[key] = nil }
        self.accented = accented
        self.folded = folded
        negators = Set(SentimentLexicon.negators.map { $0.joined(separator: " ") })
        foldedNegators = Set(negators.map(Folding.fold))
        notNegations = SentimentLexicon.notNegations.union(SentimentLexicon.notNegations.map(Folding.fold))
    }

    public func label(_ score: Double) -> Label {
        score <= -neutralBand ? .neg : score >= neutralBand ? .pos : .neu
    }

    /// The score of a text, −1…+1.
    public func score(_ text: String) -> Double {
        let useAccents = Vietnamese.hasDiacritics(text)
        var tokens = Vietnamese.syllables(text)
        if !useAccents { tokens = tokens.map(Folding.fold) }
        return score(tokens: tokens, accented: useAccents)
    }

    func score(tokens: [String], accented useAccents: Bool) -> Double {
        let lexicon = useAccents ? accented : folded
        let negatorSet = useAccents ? negators : foldedNegators
        var total = 0.0
        var i = 0
        var lastHitEnd = 0
        while i < tokens.count {
            var matched: (length: Int, value: Double)?
            for length in stride(from: min(lexicon.maxLength, tokens.count - i), through: 1, by: -1) {
                let key = tokens[i..<(i + length)].joined(separator: " ")
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
            let windowStart = max(lastHitEnd, i - 4)
            var j = windowStart
            while j < i {
                if j + 1 < tokens.count, notNegations.contains(tokens[j] + " " + tokens[j + 1]) {
                    j += 2
                    continue
                }
                if j + 1 < i, negatorSet.contains(tokens[j] + " " + tokens[j + 1]) {
                    negated = true
                    j += 2
                    continue
                }
                if negatorSet.contains(tokens[j]) { negated = true }
                for (words, m) in SentimentLexicon.intensifiersBefore where j + words.count <= i {
                    if Array(tokens[j..<(j + words.count)]) == words.map({ useAccents ? $0 : Folding.fold($0) }) { multiplier *= m }
                }
                j += 1
            }
            let after = i + length
            for (words, m) in SentimentLexicon.intensifiersAfter where after + words.count <= tokens.count {
                if Array(tokens[after..<(after + words.count)]) == words.map({ useAccents ? $0 : Folding.fold($0) }) { multiplier *= m }
            }
            if negated { value = -value * 0.7 }
            total += value * multiplier
            i += length
            lastHitEnd = i
        }
        return tanh(total / 3)
    }
}
