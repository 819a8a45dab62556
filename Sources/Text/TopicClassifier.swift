import Foundation

/// A topic suggested for a text, with the classifier's probability for it.
public struct TopicSuggestion: Sendable, Codable, Hashable {
    public var topic: String
    public var score: Double
    public init(topic: String, score: Double) {
        self.topic = topic
        self.score = score
    }
}

/// Suggests the taxonomy's topics for an item's summary: multinomial naive Bayes over its
/// syllables and syllable bigrams, folded (no diacritics, lowercase, teencode spelled out), so
/// that text with and without diacritics reads alike.
///
/// Why naive Bayes: a few hundred labelled summaries are too few for anything with more
/// parameters to beat it; it trains in milliseconds from the shipped set
/// (`Resources/topics-train.tsv`, the team's own writing), needs no weights file that could
/// drift from its data, and its per-topic word weights can be read and argued with.
public final class TopicClassifier: Sendable {
    public static let shared: TopicClassifier = {
        var examples: [(topic: String, text: String)] = []
        if let url = Bundle.module.url(forResource: "topics-train", withExtension: "tsv", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        {
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: "\t", maxSplits: 1)
                if parts.count == 2 { examples.append((String(parts[0]), String(parts[1]))) }
            }
        }
        return TopicClassifier(training: examples, keywords: keywords())
    }()

    /// A classifier as the shipped one is made (the team's key phrases, the chosen settings),
    /// on other examples: for cross-validation.
    public static func trained(on examples: [(topic: String, text: String)]) -> TopicClassifier {
        TopicClassifier(training: examples, keywords: keywords())
    }

    /// The team's key phrases per topic (`Resources/topic-keywords.tsv`).
    public static func keywords() -> [(topic: String, phrase: String)] {
        guard let url = Bundle.module.url(forResource: "topic-keywords", withExtension: "tsv", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        var out: [(String, String)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            for phrase in parts[1].split(separator: ";") { out.append((String(parts[0]), phrase.trimmingCharacters(in: .whitespaces))) }
        }
        return out
    }

    public let topics: [String]
    private let prior: [Double]
    /// Per feature, log P(feature | topic) for every topic.
    private let rowIndex: HashIndex
    /// Row r's weights are `weights[r * topics.count ..< (r + 1) * topics.count]`.
    private let weights: [Double]

    let bigrams: Bool
    let binary: Bool

    /// Trains on `training`, with each of `keywords` counted `keywordWeight` times as evidence for
    /// its topic; `alpha` is the additive smoothing.
    public init(
        training: [(topic: String, text: String)], keywords: [(topic: String, phrase: String)] = [], keywordWeight: Double = 3, alpha: Double = 0.3,
        bigrams: Bool = true, binary: Bool = false, sharpness: Double = 0.5
    ) {
        self.bigrams = bigrams
        self.binary = binary
        let topics = Array(Set(training.map(\.topic))).sorted()
        let index = Dictionary(uniqueKeysWithValues: topics.enumerated().map { ($1, $0) })
        var counts: [UInt64: [Double]] = [:]
        var totals = Array(repeating: 0.0, count: topics.count)
        var documents = Array(repeating: 0.0, count: topics.count)
        for example in training {
            guard let t = index[example.topic] else { continue }
            documents[t] += 1
            let features = TopicClassifier.features(example.text, bigrams: bigrams)
            for feature in binary ? Array(Set(features)) : features {
                counts[feature, default: Array(repeating: 0, count: topics.count)][t] += 1
                totals[t] += 1
            }
        }
        for keyword in keywords {
            guard let t = index[keyword.topic] else { continue }
            for feature in TopicClassifier.features(keyword.phrase, bigrams: bigrams) {
                counts[feature, default: Array(repeating: 0, count: topics.count)][t] += keywordWeight
                totals[t] += keywordWeight
            }
        }
        let vocabulary = Double(max(counts.count, 1))
        self.topics = topics
        let n = max(documents.reduce(0, +), 1)
        prior = documents.map { log(($0 + 1) / (n + Double(topics.count))) }
        // Each feature's log-probabilities, scaled by how much it tells topics apart: one spread
        // evenly over every topic ("người dân", "đề nghị") says nothing and counts for nothing;
        // one seen under a single topic counts in full. (1 − entropy / log topics.)
        let maxEntropy = log(Double(max(topics.count, 2)))
        let sharpen = sharpness
        let perFeature = counts.mapValues { row in
            let logs = row.enumerated().map { log(($1 + alpha) / (totals[$0] + alpha * vocabulary)) }
            let shares = row.enumerated().map { ($1 + alpha) / (totals[$0] + alpha * vocabulary) }
            let sum = shares.reduce(0, +)
            let entropy = -shares.reduce(0) { $0 + ($1 / sum) * log($1 / sum) }
            let weight = pow(max(0, 1 - entropy / maxEntropy), sharpen)
            return logs.map { $0 * weight }
        }
        var rows = HashIndex(capacity: perFeature.count)
        var flat: [Double] = []
        flat.reserveCapacity(perFeature.count * topics.count)
        for (feature, row) in perFeature {
            rows.set(feature, Int32(flat.count / max(topics.count, 1)))
            flat += row
        }
        rowIndex = rows
        weights = flat
    }

    /// Syllables and adjacent pairs of them, as hashes, twice: folded (no diacritics, so text
    /// with and without them meets) and as standard text with diacritics restored (which tells
    /// "đất" from "đạt"). Function words are left out.
    static func features(_ text: String, bigrams: Bool = true) -> [UInt64] {
        features(standard: StandardVietnamese.from(text), bigrams: bigrams)
    }

    /// `features` of text already made standard (``StandardVietnamese``).
    static func features(standard: String, bigrams: Bool = true) -> [UInt64] {
        features(tokens: SyllableScan(standard).tokens, bigrams: bigrams)
    }

    /// `features` of scanned tokens (their hashes as restored).
    static func features(tokens: [SyllableScan.Token], bigrams: Bool = true) -> [UInt64] {
        var folded: [UInt64] = []
        var accented: [UInt64] = []
        folded.reserveCapacity(tokens.count)
        accented.reserveCapacity(tokens.count)
        for token in tokens {
            let stopped = stop.contains(token.foldedHash) || token.isNumber
            folded.append(stopped ? 0 : token.foldedHash)
            accented.append(stopped ? 0 : token.hash ^ 0x5bd1_e995)
        }
        var out: [UInt64] = []
        out.reserveCapacity(tokens.count * 4)
        for row in [folded, accented] {
            for h in row where h != 0 { out.append(h) }
            if bigrams && row.count >= 2 {
                for i in 0..<(row.count - 1) where row[i] != 0 && row[i + 1] != 0 { out.append(Syllables.combine(row[i], row[i + 1])) }
            }
        }
        return out
    }

    /// Folded function words, which say nothing of a topic.
    static let stop = HashSet(
        ["va", "cua", "la", "co", "cac", "nhung", "duoc", "cho", "voi", "trong", "nay", "da", "dang", "se", "thi", "ma", "mot", "de", "tu",
         "khi", "den", "ve", "theo", "tai", "tren", "nen", "nhu", "cung", "van", "con", "lai", "ra", "vao", "bi", "do", "vi", "hoac", "hay",
         "neu", "the", "nao", "gi", "ai", "do", "kia", "ay", "rat", "qua", "lam", "hon", "nhat", "deu", "chi", "moi", "vua", "o", "toi", "a"]
            .map { Syllables.hashes($0).hashes[0] })

    /// The topics most likely for `text`, best first, with probabilities that sum to 1 over
    /// every topic.
    public func suggest(_ text: String, limit: Int = 3) -> [TopicSuggestion] {
        suggest(standard: StandardVietnamese.from(text), limit: limit)
    }

    /// `suggest` for text already made standard (``StandardVietnamese``), as a pipeline has it.
    public func suggest(standard text: String, limit: Int = 3) -> [TopicSuggestion] {
        suggest(features: TopicClassifier.features(standard: text, bigrams: bigrams), limit: limit)
    }

    func suggest(features: [UInt64], limit: Int) -> [TopicSuggestion] {
        // Nothing to read (an empty line, punctuation): no suggestion, not the priors.
        guard !topics.isEmpty, features.contains(where: { rowIndex[$0] != nil }) else { return [] }
        var score = prior
        for feature in binary ? Array(Set(features)) : features {
            // A feature never seen in training would weigh the same for every topic: skipped.
            guard let row = rowIndex[feature] else { continue }
            let base = Int(row) * topics.count
            for t in 0..<topics.count { score[t] += weights[base + t] }
        }
        let top = score.max() ?? 0
        var sum = 0.0
        for t in 0..<score.count {
            score[t] = Foundation.exp(score[t] - top)
            sum += score[t]
        }
        // The best `limit`, by selection: no sort of every topic.
        var out: [TopicSuggestion] = []
        out.reserveCapacity(limit)
        var taken = [Bool](repeating: false, count: score.count)
        for _ in 0..<min(max(1, limit), score.count) {
            var best = -1
            for t in 0..<score.count where !taken[t] && (best < 0 || score[t] > score[best] || (score[t] == score[best] && topics[t] < topics[best])) { best = t }
            taken[best] = true
            out.append(TopicSuggestion(topic: topics[best], score: score[best] / sum))
        }
        return out
    }
}
