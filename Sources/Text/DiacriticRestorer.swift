import Foundation

/// Puts diacritics back on Vietnamese typed without them ("nguoi dan buc xuc" → "người dân
/// bức xúc"), for analysis only: sentiment, key phrases and topics read the restored text;
/// nothing stored is changed.
///
/// The model is a syllable bigram model with Witten–Bell smoothing, counted when first used
/// from text the project may ship (`Resources/restoration-corpus.txt`, the team's own writing
/// in report register, and the Viet74K word list; see `Resources/README.md`). A line is decoded
/// with Viterbi over each syllable's accented forms; syllables that already carry diacritics,
/// numbers and words the model does not know stay as they are and anchor their neighbours.
public final class DiacriticRestorer: Sendable {
    /// The model counted from the shipped resources (on first use).
    public static let shared = DiacriticRestorer(model: .shipped)

    let model: RestorationModel

    init(model: RestorationModel) { self.model = model }

    /// A line whose share of syllables with diacritics is at least this is taken as written
    /// with them, and left alone.
    public static let accentedShare = 0.5

    /// `text` with diacritics restored where they are missing; text already written with
    /// diacritics is returned as it is.
    ///
    /// `force` restores whatever the share of words with diacritics (the caller has decided).
    public func restore(_ text: String, force: Bool = false) -> String {
        guard force || DiacriticRestorer.mayNeedRestoring(text) else { return text }
        let scan = SyllableScan(Folding.nfc(text))
        let tokens = scan.tokens
        guard !tokens.isEmpty else { return text }
        var chosen: [Int32] = Array(repeating: -1, count: tokens.count)
        // Decode each run of words between punctuation on its own.
        var start = 0
        while start < tokens.count {
            var end = start + 1
            while end < tokens.count && !tokens[end].afterBreak { end += 1 }
            decode(tokens[start..<end], into: &chosen)
            start = end
        }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scan.scalars.count + scan.scalars.count / 2)
        var cursor = 0
        for (token, id) in zip(tokens, chosen) {
            out.append(contentsOf: scan.scalars[cursor..<token.start])
            let original = scan.scalars[token.start..<token.end]
            // A form that adds no diacritic keeps the original's own letters and capitals ("38A",
            // "TikTok"); a capital letter on its own is a label ("vitamin D"), not a syllable.
            let adds = id > model.numberID && !model.isPlain(id)
            let label = original.count == 1 && Syllables.isUpper(original.first!.value)
            if !token.accented, adds, !label, !token.hasDigit, !token.technical {
                if let first = original.first, Syllables.isUpper(first.value) {
                    out.append(contentsOf: DiacriticRestorer.cased(model.forms[Int(id)], like: original).unicodeScalars)
                } else {
                    out.append(contentsOf: model.formScalars[Int(id)])
                }
            } else {
                out.append(contentsOf: original)
            }
            cursor = token.end
        }
        out.append(contentsOf: scan.scalars[cursor...])
        return String(out)
    }

    /// Whether fewer than half of the text's words carry a diacritic: one pass over its scalars,
    /// nothing built, so that text written with diacritics costs next to nothing.
    public static func mayNeedRestoring(_ text: String) -> Bool {
        var words = 0
        var accented = 0
        var inWord = false
        var wordAccented = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            // A combining mark (text in NFD) is a diacritic on the letter before it.
            if (0x0300...0x036F).contains(v) {
                if inWord && !wordAccented {
                    wordAccented = true
                    accented += 1
                }
                continue
            }
            let isLetter = Syllables.isLetter(v)
            if isLetter {
                if !inWord {
                    inWord = true
                    wordAccented = false
                    words += 1
                }
                if v >= 0x80 && !wordAccented {
                    wordAccented = true
                    accented += 1
                }
            } else {
                inWord = false
            }
        }
        return words > 0 && Double(accented) < Double(words) * accentedShare
    }

    /// The best id for each token of a run, written into `chosen` at the tokens' indices
    /// (-1: keep it as written): Viterbi over each token's candidates, bigram transitions.
    /// (A trigram model was measured too: on the development text it was right on 0.1% more
    /// syllables, at several times the cost.)
    /// Buffers `decode` reuses from one run of words to the next.
    struct Scratch {
        var ids: [Int32] = []
        var offsets: [Int] = []
        var score: [Double] = []
        var back: [Int] = []
    }

    func decode(_ tokens: ArraySlice<SyllableScan.Token>, into chosen: inout [Int32]) {
        var scratch = Scratch()
        decode(tokens, into: &chosen, scratch: &scratch)
    }

    func decode(_ tokens: ArraySlice<SyllableScan.Token>, into chosen: inout [Int32], scratch: inout Scratch) {
        let n = tokens.count
        let base = tokens.startIndex
        // Every position's candidates in one buffer: position i's are ids[offsets[i]..<offsets[i + 1]].
        var ids = scratch.ids
        var offsets = scratch.offsets
        ids.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        defer {
            scratch.ids = ids
            scratch.offsets = offsets
        }
        for t in tokens {
            if t.isNumber {
                ids.append(model.numberID)
            } else if t.accented {
                ids.append(model.id(of: t.hash) ?? -1)
            } else if let candidates = model.candidates(t.foldedHash), !candidates.isEmpty {
                ids.append(contentsOf: candidates)
            } else {
                ids.append(-1)
            }
            offsets.append(ids.count)
        }
        var score = scratch.score
        var back = scratch.back
        score.removeAll(keepingCapacity: true)
        back.removeAll(keepingCapacity: true)
        score.append(contentsOf: repeatElement(-Double.infinity, count: ids.count))
        back.append(contentsOf: repeatElement(0, count: ids.count))
        defer {
            scratch.score = score
            scratch.back = back
        }
        for s in offsets[0]..<offsets[1] { score[s] = model.logProbability(ids[s], after: model.startID) }
        if n > 1 {
            for i in 1..<n {
                for s in offsets[i]..<offsets[i + 1] {
                    let c = ids[s]
                    var best = -Double.infinity
                    var arg = offsets[i - 1]
                    for p in offsets[i - 1]..<offsets[i] {
                        let v = score[p] + model.logProbability(c, after: ids[p])
                        if v > best {
                            best = v
                            arg = p
                        }
                    }
                    score[s] = best
                    back[s] = arg
                }
            }
        }
        // The end of the run counts too: "… bức xúc." ends a clause.
        var k = offsets[n - 1]
        var best = -Double.infinity
        for s in offsets[n - 1]..<offsets[n] {
            let v = score[s] + model.logProbability(model.endID, after: ids[s])
            if v > best {
                best = v
                k = s
            }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            chosen[base + i] = ids[k]
            k = back[k]
        }
    }

    /// A word of the text: its range, lowercase and folded forms, and what it is.
    struct Word {
        var range: Range<String.Index>
        var lower: String
        var folded: String
        var accented: Bool
        var isNumber: Bool
        /// Whether punctuation (not just a space) separates it from the word before.
        var afterBreak: Bool
        /// Joined without a space to a code or address ("ni-lông", "tin-tuc").
        var technical: Bool = false
    }

    /// The words of `text`, with ranges in its NFC form (the form `text` itself has when it is NFC).
    static func words(in text: String) -> [Word] {
        let scan = SyllableScan(Folding.nfc(text))
        let nfc = String(String.UnicodeScalarView(scan.scalars))
        var indices: [String.Index] = []
        indices.reserveCapacity(scan.scalars.count + 1)
        var index = nfc.unicodeScalars.startIndex
        while index < nfc.unicodeScalars.endIndex {
            indices.append(index)
            index = nfc.unicodeScalars.index(after: index)
        }
        indices.append(nfc.unicodeScalars.endIndex)
        return scan.tokens.map { t in
            let lower = scan.canonicalForm(t)
            return Word(
                range: indices[t.start]..<indices[t.end], lower: lower, folded: Folding.fold(lower), accented: t.accented, isNumber: t.isNumber,
                afterBreak: t.afterBreak, technical: t.technical || t.hasDigit)
        }
    }

    /// `form` with the capitals of `original`: "Nguoi" → "Người", "UBND" stays capitals.
    static func cased(_ form: String, like original: Substring) -> String {
        cased(form, like: original.unicodeScalars)
    }

    static func cased<S: Collection>(_ form: String, like original: S) -> String where S.Element == Unicode.Scalar {
        let letters = original.filter { $0.properties.isAlphabetic }
        if letters.count > 1 && letters.allSatisfy({ $0.properties.isUppercase }) { return form.uppercased() }
        if original.first?.properties.isUppercase == true { return form.prefix(1).uppercased() + form.dropFirst() }
        return form
    }
}
