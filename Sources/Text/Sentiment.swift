import Foundation

/// Sentiment of Vietnamese text on a −1…+1 scale, from the team's polarity lexicon with
/// negation and intensifiers. Text without diacritics is matched against a folded copy of the
/// lexicon (phrases of two or more syllables only, and none that fold together with opposite
/// polarity). Matching works on syllable hashes, so scoring builds no strings.
public struct SentimentAnalyzer: Sendable {
    public enum Label: String, Sendable, Codable, CaseIterable { case neg, neu, pos }

    struct Lexicon: Sendable {
        var values = HashMap()
        var maxLength = 1
        var negators = HashSet([])
        var notNegations = HashSet([])
        var before: [(key: UInt64, length: Int, multiplier: Double)] = []
        var after: [(key: UInt64, length: Int, multiplier: Double)] = []
        /// Entries that are feelings, which frames do not weaken.
        var feelings = HashSet([])
        /// Phrases that make a clause a report or a request, by length.
        var frames: [(key: UInt64, length: Int)] = []
        /// The first syllable of every frame, for a scan that stops at few places.
        var frameStarts = HashSet([])
        /// Phrases that say opinions are divided.
        var divided: [(key: UInt64, length: Int)] = []
    }

    let accented: Lexicon
    let folded: Lexicon
    /// Scores whose magnitude is below this are neutral (0.15, chosen on the development parts).
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
        var values: [UInt64: Double] = [:]
        var conflicts: Set<UInt64> = []
        for (phrase, value) in SentimentLexicon.entries {
            let h = hashes(phrase)
            // Without diacritics one syllable means too many things ("lo" is worry, kiln, jar…).
            if fold && h.count < 2 { continue }
            let k = key(h[...])
            if let existing = signs[k], (existing > 0) != (value > 0), existing != 0, value != 0 { conflicts.insert(k) }
            signs[k] = value
            values[k] = value
            lexicon.maxLength = max(lexicon.maxLength, h.count)
        }
        for c in conflicts { values[c] = nil }
        lexicon.values = HashMap(values)
        lexicon.negators = HashSet(SentimentLexicon.negators.map { key(hashes($0.joined(separator: " "))[...]) })
        lexicon.notNegations = HashSet(SentimentLexicon.notNegations.map { key(hashes($0)[...]) })
        lexicon.before = SentimentLexicon.intensifiersBefore.map { (key(hashes($0.0.joined(separator: " "))[...]), $0.0.count, $0.1) }
        lexicon.after = SentimentLexicon.intensifiersAfter.map { (key(hashes($0.0.joined(separator: " "))[...]), $0.0.count, $0.1) }
        lexicon.feelings = HashSet(SentimentLexicon.feelings.map { key(hashes($0)[...]) })
        lexicon.frames = SentimentLexicon.frames.map { let h = hashes($0); return (key(h[...]), h.count) }
        lexicon.divided = SentimentLexicon.divided.map { let h = hashes($0); return (key(h[...]), h.count) }
        lexicon.frameStarts = HashSet(SentimentLexicon.frames.compactMap { hashes($0).first })
        return lexicon
    }

    public init(neutralBand: Double = 0.15) {
        self.neutralBand = neutralBand
        accented = SentimentAnalyzer.build(fold: false)
        folded = SentimentAnalyzer.build(fold: true)
    }

    public func label(_ score: Double) -> Label {
        score <= -neutralBand ? .neg : score >= neutralBand ? .pos : .neu
    }

    /// The score of a text, −1…+1, read as standard Vietnamese (see ``StandardVietnamese``):
    /// teencode, text without diacritics and Nghệ Tĩnh speech score as their standard forms do.
    ///
    /// Each clause (between punctuation) is scored on its own, so that a negation never reaches
    /// across a comma; after "nhưng" (but) a clause weighs more, after "tuy" (although) less.
    public func score(_ text: String) -> Double {
        let standard = StandardVietnamese.from(text)
        guard DiacriticRestorer.mayNeedRestoring(text) else { return score(standard: standard) }
        // Text typed without diacritics is read twice: restored, against the lexicon, and as
        // typed, against its folded copy (phrases of two syllables or more); the stronger reading
        // counts, so that a restoration mistake on the one word that matters costs less.
        let restored = rawScore(standard: standard)
        // Folded, so that teencode spelled out ("ko" → "không") meets the folded lexicon's "khong".
        let (clauses, _) = Syllables.clauses(Folding.fold(Informal.normalize(Vietnamese.normalize(text))))
        let asTyped = rawScore(clauses: clauses, lexicon: folded)
        return tanh((abs(restored) >= abs(asTyped) ? restored : asTyped) / 3)
    }

    func rawScore(standard: String) -> Double {
        let (clauses, accentedText) = Syllables.clauses(standard)
        return rawScore(clauses: clauses, lexicon: accentedText ? accented : folded)
    }

    /// A sentence's clauses scored: a frame anywhere in it frames all of it ("Xã tiếp nhận 7 đơn
    /// thư, chủ yếu về tranh chấp đất đai"), and opinions said to be divided ("có người đồng tình,
    /// có người băn khoăn") count for little.
    func rawScore(clauses: [[UInt64]], lexicon: Lexicon) -> Double {
        let framed = clauses.contains { SentimentAnalyzer.framed($0, lexicon) }
        var total = 0.0
        for tokens in clauses { total += score(tokens: tokens, lexicon: lexicon, framed: framed) * SentimentAnalyzer.contrastWeight(tokens) }
        if clauses.contains(where: { SentimentAnalyzer.divided($0, lexicon) }) || SentimentAnalyzer.someAndOthers(clauses) { total *= 0.3 }
        return total
    }

    static let some: (UInt64, UInt64) = (Syllables.hashes("có").hashes[0], Syllables.hashes("người").hashes[0])
    static let someFolded: (UInt64, UInt64) = (Syllables.hashes("co").hashes[0], Syllables.hashes("nguoi").hashes[0])

    /// "Có người đồng tình, có người băn khoăn": "có người" twice says opinions are divided.
    static func someAndOthers(_ clauses: [[UInt64]]) -> Bool {
        var count = 0
        for tokens in clauses where tokens.count >= 2 {
            for i in 0..<(tokens.count - 1) {
                let pair = (tokens[i], tokens[i + 1])
                if pair == some || pair == someFolded { count += 1 }
            }
        }
        return count >= 2
    }

    /// Whether the clause says opinions are divided.
    static func divided(_ tokens: [UInt64], _ lexicon: Lexicon) -> Bool {
        for marker in lexicon.divided where marker.length <= tokens.count {
            for start in 0...(tokens.count - marker.length) where SentimentAnalyzer.key(tokens[start..<(start + marker.length)]) == marker.key { return true }
        }
        return false
    }

    /// `score` for text already made standard (``StandardVietnamese``), as a pipeline has it.
    public func score(standard: String) -> Double {
        tanh(rawScore(standard: standard) / 3)
    }

    static let but: Set<UInt64> = Set(["nhưng", "song", "nhung"].map { Syllables.hashes($0).hashes[0] })
    static let although: Set<UInt64> = Set(["tuy", "dù", "mặc"].map { Syllables.hashes($0).hashes[0] })

    static let over: [(UInt64, UInt64)] = [("hết", "rồi"), ("không", "còn"), ("đã", "hết")].map {
        (Syllables.hashes($0.0).hashes[0], Syllables.hashes($0.1).hashes[0])
    }

    /// Whether the clause says, after `start`, that what came before is over.
    /// Where the clause's last "hết rồi"/"không còn"/"đã hết" starts, or -1: a negative word
    /// before it is said to be over. (Found once a clause, so a long clause costs one pass.)
    static func lastOverMarker(_ tokens: [UInt64]) -> Int {
        guard tokens.count >= 2 else { return -1 }
        for i in stride(from: tokens.count - 2, through: 0, by: -1) where over.contains(where: { $0.0 == tokens[i] && $0.1 == tokens[i + 1] }) { return i }
        return -1
    }

    /// What a clause counts for: more after "nhưng", less after "tuy".
    static func contrastWeight(_ tokens: [UInt64]) -> Double {
        guard let first = tokens.first else { return 1 }
        if but.contains(first) { return 1.5 }
        if although.contains(first) { return 0.6 }
        return 1
    }

    /// The clause's raw score (before the squashing `tanh`).
    /// Whether the tokens hold a frame: a report of facts or a request.
    static func framed(_ tokens: [UInt64], _ lexicon: Lexicon) -> Bool {
        for start in tokens.indices where lexicon.frameStarts.contains(tokens[start]) {
            for frame in lexicon.frames where start + frame.length <= tokens.count
                && SentimentAnalyzer.key(tokens[start..<(start + frame.length)]) == frame.key
            {
                return true
            }
        }
        return false
    }

    /// The raw score of a clause; `framed`: the sentence reports or requests, so polar words
    /// other than feelings count for less.
    func score(tokens: [UInt64], lexicon: Lexicon, framed: Bool? = nil) -> Double {
        let framed = framed ?? SentimentAnalyzer.framed(tokens, lexicon)
        var total = 0.0
        var i = 0
        var lastHitEnd = 0
        var feelingSeen = false
        let overMarker = SentimentAnalyzer.lastOverMarker(tokens)
        let n = tokens.count
        @inline(__always) func matches(_ key: UInt64, _ length: Int, at start: Int) -> Bool {
            start >= 0 && start + length <= n && SentimentAnalyzer.key(tokens[start..<(start + length)]) == key
        }
        while i < n {
            // The longest lexicon phrase starting here.
            var matched: (length: Int, value: Double)?
            var matchedKey: UInt64 = 0
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
                    matchedKey = key
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
            // "… hết rồi", "… không còn nữa": a bad thing said to be over.
            if value < 0, !negated, overMarker >= i + length { negated = true }
            if negated { value = -value * 0.7 }
            let feeling = lexicon.feelings.contains(matchedKey)
            if framed && !feeling { value *= SentimentLexicon.frameWeight }
            // After a feeling, what follows in the clause is mostly its object: "hoài nghi về tính
            // minh bạch", "đồng tình với việc xử lý sai phạm".
            if feelingSeen && !feeling { value *= 0.3 }
            if feeling { feelingSeen = true }
            total += value * multiplier
            i = end
            lastHitEnd = i
        }
        return total
    }
}
