import Foundation

/// The phrases that distinguish a set of texts from a baseline: syllable unigrams, bigrams and
/// trigrams ranked by the weighted log-odds ratio with an informative Dirichlet prior (Monroe,
/// Colaresi and Quinn 2008), which does not let rare words win on small counts.
public enum KeyPhrases {
    public struct Phrase: Sendable, Hashable, Codable {
        public var phrase: String
        /// The z-score of the log-odds ratio: above 1.96 is distinctive at the 5% level.
        public var z: Double
        public var count: Int
    }

    /// Counts of candidate phrases: n-grams of 2–4 syllables within a clause that neither start
    /// nor end with a stop word and hold no number and no name (a word capitalised inside a
    /// sentence: places and people are not what is said, and a phrase across "… xã Kỳ Anh. Người
    /// dân …" is no phrase). Texts are read as standard Vietnamese (diacritics restored,
    /// teencode spelled out), so "boi thuong" and "bồi thường" count as one phrase.
    public static func counts(_ texts: [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        // Each text counts a phrase once, so one long text cannot dominate.
        for text in texts { for phrase in read(text).phrases { counts[phrase, default: 0] += 1 } }
        return counts
    }

    /// One text's candidate phrases (see `counts`), and the text as they were read from it:
    /// each clause's syllables between spaces, clauses apart (" giá đền bù thấp | chưa đồng
    /// thuận "). A phrase (even one joined from several) was used when `" " + phrase + " "` is in
    /// the reading: the same syllables as counted, not merely the same letters without their marks.
    public static func read(_ text: String) -> (phrases: Set<String>, reading: String) {
        var phrases: Set<String> = []
        let clauses = Syllables.clausesMarkingNames(StandardVietnamese.from(text))
        for clause in clauses {
            // Vietnamese words are mostly two syllables; single syllables are too ambiguous to say what people say.
            for n in 2...4 where clause.count >= n {
                for start in 0...(clause.count - n) {
                    let words = clause[start..<(start + n)]
                    guard !Vietnamese.stopWords.contains(words.first!.syllable), !Vietnamese.stopWords.contains(words.last!.syllable),
                        !words.contains(where: { $0.name || ($0.syllable.first?.isNumber ?? true) })
                    else { continue }
                    phrases.insert(words.map(\.syllable).joined(separator: " "))
                }
            }
        }
        return (phrases, " " + clauses.map { $0.map(\.syllable).joined(separator: " ") }.joined(separator: " | ") + " ")
    }

    public static func distinguishing(_ target: [String], from baseline: [String], limit: Int = 10, minimumCount: Int = 2) -> [Phrase] {
        rank(counts(target), against: counts(baseline), limit: limit, minimumCount: minimumCount)
    }

    /// `baselineTotal`, when given, is the sum of every baseline count, of which `baseline`
    /// need hold only the target's phrases (the counts a federating gateway sums).
    public static func rank(_ target: [String: Int], against baseline: [String: Int], limit: Int, minimumCount: Int = 2, baselineTotal: Int? = nil) -> [Phrase] {
        let prior = target.merging(baseline, uniquingKeysWith: +)
        let n1 = Double(target.values.reduce(0, +))
        let n2 = Double(baselineTotal ?? baseline.values.reduce(0, +))
        let a0 = baselineTotal == nil ? Double(prior.values.reduce(0, +)) : n1 + n2
        guard a0 > 0, n1 > 0 else { return [] }
        // Scale the prior to a modest size so that it smooths without swamping the data.
        let scale = 500 / a0
        var phrases: [Phrase] = []
        for (phrase, y1) in target where y1 >= minimumCount {
            let a = Double(prior[phrase]!) * scale
            let aTotal = a0 * scale
            let y2 = Double(baseline[phrase] ?? 0)
            let rest1 = n1 + aTotal - Double(y1) - a, rest2 = n2 + aTotal - y2 - a
            // A phrase that is every phrase counted has nothing to be set against: no contrast,
            // z 0 (the odds would be infinite on both sides).
            guard rest1 > 0, rest2 > 0 else {
                phrases.append(Phrase(phrase: phrase, z: 0, count: y1))
                continue
            }
            let d1 = log((Double(y1) + a) / rest1)
            let d2 = log((y2 + a) / rest2)
            let variance = 1 / (Double(y1) + a) + 1 / (y2 + a)
            phrases.append(Phrase(phrase: phrase, z: (d1 - d2) / variance.squareRoot(), count: y1))
        }
        // Equal scores: the longer phrase first, so that "giải phóng mặt bằng" beats its parts.
        let syllables = { (p: Phrase) in p.phrase.split(separator: " ").count }
        phrases.sort { $0.z != $1.z ? $0.z > $1.z : syllables($0) != syllables($1) ? syllables($0) > syllables($1) : $0.phrase < $1.phrase }
        // Overlapping n-grams seen about as often are pieces of one longer phrase: join them
        // ("mở rộng khu" + "khu kinh tế" → "mở rộng khu kinh tế").
        // At most 120: joining is cubic in the pool, and a caller's limit must not set its cost.
        var pool = Array(phrases.prefix(min(limit * 4, 120)))
        var merged = true
        while merged {
            merged = false
            search: for i in pool.indices {
                for j in pool.indices where i != j {
                    if let joined = join(pool[i], pool[j]) {
                        pool[i] = joined
                        pool.remove(at: j)
                        merged = true
                        break search
                    }
                }
            }
        }
        // A phrase inside a chosen one, seen no more often, only ranks because of it: skip it.
        var chosen: [Phrase] = []
        for p in pool.sorted(by: { $0.z > $1.z }) where chosen.count < limit {
            if chosen.contains(where: { " \($0.phrase) ".contains(" \(p.phrase) ") && $0.count >= p.count }) { continue }
            chosen.removeAll { " \(p.phrase) ".contains(" \($0.phrase) ") && p.count >= $0.count }
            chosen.append(p)
        }
        return chosen
    }

    /// `a` followed by `b` when a's last syllables are b's first and their counts are close.
    static func join(_ a: Phrase, _ b: Phrase) -> Phrase? {
        let x = a.phrase.split(separator: " ")
        let y = b.phrase.split(separator: " ")
        guard Double(min(a.count, b.count)) >= 0.8 * Double(max(a.count, b.count)) else { return nil }
        for overlap in stride(from: min(x.count, y.count) - 1, through: 1, by: -1) where Array(x.suffix(overlap)) == Array(y.prefix(overlap)) {
            let words = x + y.dropFirst(overlap)
            guard words.count <= 10 else { return nil }
            return Phrase(phrase: words.joined(separator: " "), z: max(a.z, b.z), count: min(a.count, b.count))
        }
        return nil
    }
}
