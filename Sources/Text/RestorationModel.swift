import Foundation

/// Syllable unigram and bigram counts for ``DiacriticRestorer``, from text with diacritics.
struct RestorationModel: Sendable {
    /// Accented syllable forms (lowercase, canonical tone) by id.
    private(set) var forms: [String] = []
    /// The same forms as scalars, to append without a String in between.
    private(set) var formScalars: [[Unicode.Scalar]] = []
    /// Syllable hash (as written, lowercase) → id.
    private var ids = HashIndex()
    /// Folded syllable's hash → its accented forms' ids, most frequent first: those that make up
    /// 99.8% of the uses, at most `maxCandidates` (`candidateIDs[start..<start + count]`).
    private var candidateIndex = HashIndex()
    private var candidateRanges: [(start: Int, count: Int)] = []
    private var candidateIDs: [Int32] = []
    /// Each id's folded hash, for building `candidates`.
    private var foldedOf: [UInt64] = []
    private var plain: [Bool] = []
    /// Each form's hash (as written, lowercase).
    private var hashes: [UInt64] = []
    private var unigram: [Double] = []
    private var total = 0.0
    private var bigram: [UInt64: Float] = [:]
    /// How often each id was followed by anything, and by how many different ids.
    private var followed: [Double] = []
    private var followers: [Int] = []
    /// The same model as logarithms, computed once by `finish`: what decoding reads.
    private var logUnigram: [Double] = []
    private var logBackoff: [Double] = []
    private var logBigramIndex = HashIndex()
    private var logBigram: [Double] = []
    private(set) var startID: Int32 = 0
    private(set) var endID: Int32 = 1
    private(set) var numberID: Int32 = 2
    static let maxCandidates = 6

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
        for (i, marker) in ["<s>", "</s>", "<num>"].enumerated() { _ = intern(hash: UInt64(i), folded: UInt64(i), form: { marker }) }
    }

    func id(of hash: UInt64) -> Int32? { ids[hash] }

    func hash(of id: Int32) -> UInt64 { hashes[Int(id)] }

    /// Whether a form has no diacritic (it is its own folded form).
    func isPlain(_ id: Int32) -> Bool { plain[Int(id)] }

    /// The accented forms a folded syllable can stand for, most used first.
    @inline(__always) func candidates(_ foldedHash: UInt64) -> ArraySlice<Int32>? {
        guard let i = candidateIndex[foldedHash] else { return nil }
        let r = candidateRanges[Int(i)]
        return candidateIDs[r.start..<(r.start + r.count)]
    }

    private mutating func intern(hash: UInt64, folded: UInt64, form: () -> String) -> Int32 {
        if let id = ids[hash] { return id }
        let id = Int32(forms.count)
        forms.append(form())
        foldedOf.append(folded)
        plain.append(hash == folded)
        hashes.append(hash)
        ids.set(hash, id)
        unigram.append(0)
        followed.append(0)
        followers.append(0)
        return id
    }

    @inline(__always) static func pair(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }


    /// Counts the syllables of `text`, clause by clause (punctuation ends a clause).
    mutating func add(_ text: String, weight: Double) {
        let scan = SyllableScan(Folding.nfc(text))
        var previous = startID
        for token in scan.tokens {
            if token.afterBreak && previous != startID {
                count(previous, endID, weight)
                previous = startID
            }
            let current = token.isNumber ? numberID : intern(hash: token.hash, folded: token.foldedHash) { scan.canonicalForm(token) }
            count(previous, current, weight)
            previous = current
        }
        if previous != startID { count(previous, endID, weight) }
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
        formScalars = forms.map { Array($0.unicodeScalars) }
        logUnigram = (0..<forms.count).map { log(unigramProbability(Int32($0))) }
        logBackoff = (0..<forms.count).map { followed[$0] > 0 ? log(Double(followers[$0]) / (followed[$0] + Double(followers[$0]))) : 0 }
        logBigram.reserveCapacity(bigram.count)
        logBigramIndex = HashIndex(capacity: bigram.count)
        for (key, _) in bigram {
            let (a, b) = (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
            logBigramIndex.set(key, Int32(logBigram.count))
            logBigram.append(log(probability(b, after: a)))
        }
        var byFolded: [UInt64: [Int32]] = [:]
        for i in (Int(numberID) + 1)..<forms.count { byFolded[foldedOf[i], default: []].append(Int32(i)) }
        for (folded, list) in byFolded {
            let sorted = list.sorted { unigram[Int($0)] > unigram[Int($1)] }
            let mass = sorted.reduce(0) { $0 + unigram[Int($1)] }
            var kept: [Int32] = []
            var covered = 0.0
            for id in sorted.prefix(RestorationModel.maxCandidates) where kept.isEmpty || covered < 0.998 * mass {
                kept.append(id)
                covered += unigram[Int(id)]
            }
            candidateIndex.set(folded, Int32(candidateRanges.count))
            candidateRanges.append((candidateIDs.count, kept.count))
            candidateIDs.append(contentsOf: kept)
        }
    }

    /// log P(current | previous), Witten–Bell: the bigram's share, backed off to the unigram in
    /// proportion to how many different syllables follow `previous`. Unknown words (-1) get a
    /// small constant either way.
    func logProbability(_ current: Int32, after previous: Int32) -> Double {
        guard current >= 0 else { return log(1e-7) }
        guard previous >= 0 else { return logUnigram[Int(current)] }
        if let seen = logBigramIndex[RestorationModel.pair(previous, current)] { return logBigram[Int(seen)] }
        return logBackoff[Int(previous)] + logUnigram[Int(current)]
    }

    private func unigramProbability(_ id: Int32) -> Double {
        (unigram[Int(id)] + 0.1) / (total + 0.1 * Double(forms.count))
    }

    func probability(_ current: Int32, after previous: Int32) -> Double {
        let vocabulary = Double(forms.count)
        let uni: Double = current >= 0 ? (unigram[Int(current)] + 0.1) / (total + 0.1 * vocabulary) : 1e-7
        guard previous >= 0, current >= 0 else { return uni }
        let c = followed[Int(previous)]
        let t = Double(followers[Int(previous)])
        guard c > 0 else { return uni }
        let b = Double(bigram[RestorationModel.pair(previous, current)] ?? 0)
        return (b + t * uni) / (c + t)
    }
}
