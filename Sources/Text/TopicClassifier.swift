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
        return TopicClassifier(training: examples)
    }()

    public let topics: [String]
    private let prior: [Double]
    /// Per feature, log P(feature | topic) for every topic.
    private let weights: [UInt64: [Double]]

    /// Trains on `training`; `alpha` is the additive smoothing.
    public init(training: [(topic: String, text: String)], alpha: Double = 0.3) {
        let topics = Array(Set(training.map(\.topic))).sorted()
        let index = Dictionary(uniqueKeysWithValues: topics.enumerated().map { ($1, $0) })
        var counts: [UInt64: [Double]] = [:]
        var totals = Array(repeating: 0.0, count: topics.count)
        var documents = Array(repeating: 0.0, count: topics.count)
        for example in training {
            guard let t = index[example.topic] else { continue }
            documents[t] += 1
            for feature in TopicClassifier.features(example.text) {
                counts[feature, default: Array(repeating: 0, count: topics.count)][t] += 1
                totals[t] += 1
            }
        }
        let vocabulary = Double(max(counts.count, 1))
        self.topics = topics
        let n = max(documents.reduce(0, +), 1)
        prior = documents.map { log(($0 + 1) / (n + Double(topics.count))) }
        weights = counts.mapValues { row in row.enumerated().map { log(($1 + alpha) / (totals[$0] + alpha * vocabulary)) } }
    }

    /// Folded syllables and adjacent pairs of them, as hashes; function words are left out.
    static func features(_ text: String) -> [UInt64] {
        let folded = Folding.fold(Informal.normalize(text))
        var syllables: [UInt64] = []
        _ = Syllables.forEach(folded) { buffer, n in
            let h = Syllables.hash(buffer, n)
            syllables.append(stop.contains(h) ? 0 : h)
        }
        var out = syllables.filter { $0 != 0 }
        if syllables.count >= 2 {
            for i in 0..<(syllables.count - 1) where syllables[i] != 0 && syllables[i + 1] != 0 {
                out.append(Syllables.combine(syllables[i], syllables[i + 1]))
            }
        }
        return out
    }

    /// Folded function words, which say nothing of a topic.
    static let stop: Set<UInt64> = Set(
        ["va", "cua", "la", "co", "cac", "nhung", "duoc", "cho", "voi", "trong", "nay", "da", "dang", "se", "thi", "ma", "mot", "de", "tu",
         "khi", "den", "ve", "theo", "tai", "tren", "nen", "nhu", "cung", "van", "con", "lai", "ra", "vao", "bi", "do", "vi", "hoac", "hay",
         "neu", "the", "nao", "gi", "ai", "do", "kia", "ay", "rat", "qua", "lam", "hon", "nhat", "deu", "chi", "moi", "vua", "o", "toi", "a"]
            .map { Syllables.hashes($0).hashes[0] })

    /// The topics most likely for `text`, best first, with probabilities that sum to 1 over
    /// every topic.
    public func suggest(_ text: String, limit: Int = 3) -> [TopicSuggestion] {
        guard !topics.isEmpty else { return [] }
        var score = prior
        for feature in TopicClassifier.features(text) {
            // A feature never seen in training would weigh the same for every topic: skipped.
            guard let row = weights[feature] else { continue }
            for t in 0..<topics.count { score[t] += row[t] }
        }
        let top = score.max() ?? 0
        let exp = score.map { Foundation.exp($0 - top) }
        let sum = exp.reduce(0, +)
        return zip(topics, exp).map { TopicSuggestion(topic: $0, score: $1 / sum) }
            .sorted { $0.score > $1.score }.prefix(max(1, limit)).map { $0 }
    }
}
