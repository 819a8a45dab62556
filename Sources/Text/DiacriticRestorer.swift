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
    public func restore(_ text: String) -> String {
        guard DiacriticRestorer.mayNeedRestoring(text) else { return text }
        let words = DiacriticRestorer.words(in: text)
        guard !words.isEmpty else { return text }
        let accented = words.reduce(0) { $0 + ($1.accented ? 1 : 0) }
        guard Double(accented) < Double(words.count) * DiacriticRestorer.accentedShare else { return text }
        var chosen: [String?] = Array(repeating: nil, count: words.count)
        // Decode each run of words between punctuation on its own.
        var start = 0
        while start < words.count {
            var end = start + 1
            while end < words.count && !words[end].afterBreak { end += 1 }
            let best = decode(words[start..<end])
            for (i, form) in best.enumerated() { chosen[start + i] = form }
            start = end
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 2)
        var cursor = text.startIndex
        for (word, form) in zip(words, chosen) {
            out += text[cursor..<word.range.lowerBound]
            if let form, !word.accented {
                out += DiacriticRestorer.cased(form, like: text[word.range])
            } else {
                out += text[word.range]
            }
            cursor = word.range.upperBound
        }
        out += text[cursor...]
        return out
    }

    /// Whether fewer than half of the text's words carry a diacritic: one pass over its scalars,
    /// nothing built, so that text written with diacritics costs next to nothing.
    static func mayNeedRestoring(_ text: String) -> Bool {
        var words = 0
        var accented = 0
        var inWord = false
        var wordAccented = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let isLetter = v < 0x80 ? ((v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A) : scalar.properties.isAlphabetic
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

    /// The restored lowercase form of each word (nil: keep it as written).
    func decode(_ words: ArraySlice<Word>) -> [String?] {
        let n = words.count
        // States: candidate syllable ids per word; -1 is a word the model does not know.
        var states: [[Int32]] = []
        states.reserveCapacity(n)
        for w in words {
            if w.accented || w.isNumber {
                states.append([model.id(of: w.lower) ?? (w.isNumber ? model.numberID : -1)])
            } else if let candidates = model.candidates[w.folded], !candidates.isEmpty {
                states.append(candidates)
            } else {
                states.append([-1])
            }
        }
        var score: [[Double]] = states.map { Array(repeating: -Double.infinity, count: $0.count) }
        var back: [[Int]] = states.map { Array(repeating: 0, count: $0.count) }
        for (k, s) in states[0].enumerated() { score[0][k] = model.logProbability(s, after: model.startID) }
        if n > 1 {
            for i in 1..<n {
                for (k, s) in states[i].enumerated() {
                    var best = -Double.infinity
                    var arg = 0
                    for (j, p) in states[i - 1].enumerated() {
                        let v = score[i - 1][j] + model.logProbability(s, after: p)
                        if v > best {
                            best = v
                            arg = j
                        }
                    }
                    score[i][k] = best
                    back[i][k] = arg
                }
            }
        }
        // The end of the run counts too: "… bức xúc." ends a clause.
        var last = 0
        var bestEnd = -Double.infinity
        for (k, s) in states[n - 1].enumerated() {
            let v = score[n - 1][k] + model.logProbability(model.endID, after: s)
            if v > bestEnd {
                bestEnd = v
                last = k
            }
        }
        var out: [String?] = Array(repeating: nil, count: n)
        var k = last
        for i in stride(from: n - 1, through: 0, by: -1) {
            let id = states[i][k]
            out[i] = id >= 0 && id != model.numberID ? model.forms[Int(id)] : nil
            k = back[i][k]
        }
        return out
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
    }

    static func words(in text: String) -> [Word] {
        var out: [Word] = []
        var start: String.Index?
        var sawBreak = false
        var index = text.startIndex
        func finish(_ end: String.Index) {
            guard let s = start else { return }
            let raw = text[s..<end]
            let lower = Vietnamese.canonicalSyllable(Folding.nfc(String(raw)))
            let folded = Folding.fold(lower)
            out.append(Word(
                range: s..<end, lower: lower, folded: folded, accented: folded != lower, isNumber: raw.allSatisfy(\.isNumber),
                afterBreak: sawBreak))
            start = nil
            sawBreak = false
        }
        while index < text.endIndex {
            let ch = text[index]
            if ch.isLetter || ch.isNumber {
                if start == nil { start = index }
            } else {
                finish(index)
                if !ch.isWhitespace { sawBreak = true }
            }
            index = text.index(after: index)
        }
        finish(text.endIndex)
        return out
    }

    /// `form` with the capitals of `original`: "Nguoi" → "Người", "UBND" stays capitals.
    static func cased(_ form: String, like original: Substring) -> String {
        let letters = original.filter(\.isLetter)
        if letters.count > 1 && letters.allSatisfy(\.isUppercase) { return form.uppercased() }
        if original.first?.isUppercase == true { return form.prefix(1).uppercased() + form.dropFirst() }
        return form
    }
}
