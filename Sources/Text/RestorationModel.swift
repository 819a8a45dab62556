import Foundation

/// Syllable unigram and bigram counts for ``DiacriticRestorer``, from text with diacritics.
struct RestorationModel: Sendable {
    /// Accented syllable forms (lowercase, canonical tone) by id.
    private(set) var forms: [String] = []
    private var ids: [String: Int32] = [:]
    /// Folded syllable → its accented forms' ids, most frequent first (at most `maxCandidates`).
    private(set) var candidates: [String: [Int32]] = [:]
    private var unigram: [Double] = []
    private var total = 0.0
    private var bigram: [UInt64: Float] = [:]
    /// How often each id was followed by anything, and by how many different ids.
    private var followed: [Double] = []
    private var followers: [Int] = []
    private(set) var startID: Int32 = 0
    private(set) var endID: Int32 = 1
    private(set) var numberID: Int32 = 2
    static let maxCandidates = 10

    /// Counted from `Resources/restoration-corpus.txt` (weight 1 a sentence) and
    /// `Resources/viet74k.txt` (each entry a short sentence of weight 0.05: it brings words and
    /// the syllable pairs inside them, not how often they are used).
    static let shipped: RestorationModel = {
        var model = RestorationModel()
        if let url = Bundle.module.url(forResource: "restoration-corpus", withExtension: "txt", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        {
            // Lines typed without diacritics (some quoted residents' words are) teach nothing here.
            for line in text.split(separator: "\n") where !line.hasPrefix("#") && !DiacriticRestorer.mayNeedRestoring(String(line)) {
                model.add(String(line), weight: 1)
            }
        }
        if let url = Bundle.module.url(forResource: "viet74k", withExtension: "txt", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        {
            for line in text.split(separator: "\n") where !line.hasPrefix("#") { model.add(String(line), weight: 0.05) }
        }
        model.finish()
        return model
    }()

    init() {
        for marker in ["<s>", "</s>", "<num>"] { _ = intern(marker) }
    }

    func id(of form: String) -> Int32? { ids[form] }

    private mutating func intern(_ form: String) -> Int32 {
        if let id = ids[form] { return id }
        let id = Int32(forms.count)
        forms.append(form)
        ids[form] = id
        unigram.append(0)
        followed.append(0)
        followers.append(0)
        return id
    }

    @inline(__always) static func pair(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

    /// Counts the syllables of `text`, clause by clause (punctuation ends a clause).
    mutating func add(_ text: String, weight: Double) {
        for clause in text.split(whereSeparator: { ".,;:!?()[]\"“”…\t".contains($0) }) {
            var previous = startID
            for word in DiacriticRestorer.words(in: String(clause)) {
                let current = word.isNumber ? numberID : intern(word.lower)
                count(previous, current, weight)
                previous = current
            }
            if previous != startID { count(previous, endID, weight) }
        }
    }

    private mutating func count(_ a: Int32, _ b: Int32, _ weight: Double) {
        unigram[Int(b)] += weight
        total += weight
        let key = RestorationModel.pair(a, b)
        if bigram[key] == nil { followers[Int(a)] += 1 }
        bigram[key, default: 0] += Float(weight)
        followed[Int(a)] += weight
    }

    /// Builds the candidate lists once every text is counted.
    mutating func finish() {
        var byFolded: [String: [Int32]] = [:]
        for (i, form) in forms.enumerated() where i > Int(numberID) {
            byFolded[Folding.fold(form), default: []].append(Int32(i))
        }
        for (folded, list) in byFolded {
            candidates[folded] = Array(list.sorted { unigram[Int($0)] > unigram[Int($1)] }.prefix(RestorationModel.maxCandidates))
        }
    }

    /// log P(current | previous), Witten–Bell: the bigram's share, backed off to the unigram in
    /// proportion to how many different syllables follow `previous`. Unknown words (-1) get a
    /// small constant either way.
    func logProbability(_ current: Int32, after previous: Int32) -> Double {
        let vocabulary = Double(forms.count)
        let uni: Double = current >= 0 ? (unigram[Int(current)] + 0.1) / (total + 0.1 * vocabulary) : 1e-7
        guard previous >= 0, current >= 0 else { return log(uni) }
        let c = followed[Int(previous)]
        let t = Double(followers[Int(previous)])
        guard c > 0 else { return log(uni) }
        let b = Double(bigram[RestorationModel.pair(previous, current)] ?? 0)
        return log((b + t * uni) / (c + t))
    }
}
