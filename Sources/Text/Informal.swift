/// Vietnamese as people type it on phones, made standard for analysis: teencode and
/// abbreviations spelled out ("ko" → "không", "dc" → "được"), letters held down collapsed
/// ("quáaaa" → "quá"), a space put back after punctuation ("tốt,nhưng" → "tốt, nhưng").
/// Only whole words change; case is kept where it can be.
public enum Informal {
    /// Abbreviations and teencode, each with its standard form. Forms that are also ordinary
    /// words typed without diacritics are left out: "hong" is Hồng and hỏng, "dt" diện tích.
    static let words: [String: String] = [
        "ko": "không", "k": "không", "kg": "không", "khg": "không", "hok": "không", "hông": "không", "hem": "không", "hk": "không",
        "kô": "không", "khum": "không", "kh0": "không",
        "dc": "được", "đc": "được", "dk": "được", "đk": "được", "duoc": "được",
        "ng": "người", "ngta": "người ta", "mn": "mọi người", "mng": "mọi người",
        "nc": "nước", "j": "gì", "gi": "gì", "bt": "bình thường", "vs": "với", "wa": "quá", "wá": "quá", "qá": "quá",
        "r": "rồi", "rùi": "rồi", "ròi": "rồi", "ms": "mới", "ntn": "như thế nào", "bh": "bao giờ", "bjo": "bây giờ",
        "cx": "cũng", "cg": "cũng", "trc": "trước", "thik": "thích", "iu": "yêu", "z": "vậy", "zậy": "vậy", "v": "vậy",
        "lm": "làm", "ik": "đi", "đag": "đang", "dag": "đang", "ns": "nói", "mik": "mình",
        "ace": "anh chị em", "cb": "cán bộ", "tks": "cảm ơn", "thanks": "cảm ơn", "ae": "anh em", "sdt": "số điện thoại", "ubnd": "ủy ban nhân dân", "hs": "học sinh", "gv": "giáo viên", "ph": "phụ huynh", "mk": "mình",
        "bhyt": "bảo hiểm y tế", "bhxh": "bảo hiểm xã hội", "lun": "luôn", "nhìu": "nhiều", "nhiu": "nhiều",
        "ak": "à", "uh": "ừ", "ok": "ổn", "oke": "ổn", "okela": "ổn",
    ]

    /// Teencode spelled out, held-down letters collapsed, a space after punctuation. Codes,
    /// addresses and measures are left as written: a run of text without spaces that holds a
    /// digit or one of @ / . _ = ? & # % - between letters ("QĐ-UBND", "www.hatinh.gov.vn",
    /// "38A"), words in capitals or mixed case ("HS", "pH", "TikTok"), and what follows a
    /// number ("120 k", "1 kg").
    public static func normalize(_ text: String) -> String {
        // Most report text needs none of this: find out without building anything.
        guard needsWork(text) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var previousChunkIsNumber = false
        var previous: Unicode.Scalar = " "
        while i < scalars.count {
            if Syllables.isSpace(scalars[i].value) {
                out.append(scalars[i])
                previous = scalars[i]
                i += 1
                continue
            }
            var j = i
            while j < scalars.count && !Syllables.isSpace(scalars[j].value) { j += 1 }
            let chunk = scalars[i..<j]
            if isCode(chunk) {
                out.append(contentsOf: chunk)
                previousChunkIsNumber = chunk.allSatisfy { ($0.value >= 0x30 && $0.value <= 0x39) || ".,".unicodeScalars.contains($0) }
            } else {
                rewrite(chunk, into: &out, previous: &previous, afterNumber: previousChunkIsNumber)
                previousChunkIsNumber = false
            }
            previous = scalars[j - 1]
            i = j
        }
        return String(out)
    }

    /// Whether a run of text without spaces is a code, an address or a measure, not words.
    static func isCode(_ chunk: ArraySlice<Unicode.Scalar>) -> Bool {
        var sawLetter = false
        for (k, scalar) in zip(chunk.indices, chunk) {
            let v = scalar.value
            if v >= 0x30 && v <= 0x39 { return true }
            if Syllables.isLetter(v) {
                sawLetter = true
            } else if sawLetter, "@/._=?&#%-:".unicodeScalars.contains(scalar), k + 1 < chunk.endIndex, Syllables.isLetter(chunk[k + 1].value) {
                return true
            }
        }
        return false
    }

    /// The words of one run of text: teencode spelled out, held keys collapsed, a space after
    /// glued punctuation.
    static func rewrite(_ chunk: ArraySlice<Unicode.Scalar>, into out: inout String.UnicodeScalarView, previous: inout Unicode.Scalar, afterNumber: Bool) {
        var word: [Unicode.Scalar] = []
        func flush() {
            guard !word.isEmpty else { return }
            let capitals = word.dropFirst().contains { Syllables.isUpper($0.value) }
            let collapsed = !capitals && hasRepeat(word) ? collapseRepeats(word) : word
            // "120 k", "1 kg": a measure, not teencode.
            if !capitals, !afterNumber, !(collapsed.count == 1 && Syllables.isUpper(collapsed[0].value)), collapsed.count <= 6,
                let found = byHash[lowercaseHash(collapsed)]
            {
                let standard = standards[Int(found)]
                let capital = Syllables.isUpper(collapsed[0].value)
                out.append(contentsOf: (capital ? standard.prefix(1).uppercased() + standard.dropFirst() : standard).unicodeScalars)
            } else {
                out.append(contentsOf: collapsed)
            }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in chunk {
            if Syllables.isLetter(scalar.value) || (0x0300...0x036F).contains(scalar.value) {
                // "tốt,nhưng": punctuation glued to the next word gets its space back.
                if word.isEmpty, ",;:!?".unicodeScalars.contains(previous) { out.append(" ") }
                word.append(scalar)
            } else {
                flush()
                out.append(scalar)
            }
            previous = scalar
        }
        flush()
    }

    @inline(__always) static func folded(_ scalar: Unicode.Scalar) -> UInt32 {
        let v = Syllables.lower(scalar.value)
        return v < 0x2000 ? SyllableScan.foldTable[Int(v)] : v
    }

    /// Whether a letter follows one that is the same, marks aside ("quáa", "tốtt").
    static func hasRepeat(_ word: [Unicode.Scalar]) -> Bool {
        guard word.count >= 3 else { return false }
        for i in 1..<word.count where folded(word[i]) == folded(word[i - 1]) && folded(word[i]) != 0 { return true }
        return false
    }

    /// The table's words by their syllable hashes, for a check and a lookup that build nothing.
    static let standards: [String] = Array(words.values)
    static let byHash: HashIndex = {
        var index = HashIndex(capacity: words.count)
        for (i, value) in standards.enumerated() {
            for (key, v) in words where v == value { index.set(Syllables.hashes(key).hashes.first ?? 0, Int32(i)) }
        }
        return index
    }()
    static let wordHashes = HashSet(words.keys.map { Syllables.hashes($0).hashes.first ?? 0 })

    /// Each standard form's tokens, for spelling teencode out on scanned tokens.
    static let standardTokens: [[SyllableScan.Token]] = standards.map { SyllableScan($0).tokens }

    /// A word's hash as `Syllables` makes it (lowercase scalars).
    static func lowercaseHash(_ word: [Unicode.Scalar]) -> UInt64 {
        var h = Syllables.offset
        for scalar in word { h = (h ^ UInt64(Syllables.lower(scalar.value))) &* Syllables.prime }
        return h
    }

    /// Whether `text` has a word in the table, three letters the same in a row, or punctuation
    /// followed by a letter: one pass over its scalars, one over its syllables' hashes.
    static func needsWork(_ text: String) -> Bool {
        var run = 0
        var last: UInt32 = 0
        var previousWasPunctuation = false
        for scalar in text.unicodeScalars {
            let v = Syllables.lower(scalar.value)
            if v != 0 {
                if previousWasPunctuation { return true }
                if v == last {
                    run += 1
                    // Held keys are typed in lowercase; "CCCD" is an abbreviation.
                    if run >= 2 && v > 0x39 && !Syllables.isUpper(scalar.value) { return true }
                } else {
                    run = 0
                }
                previousWasPunctuation = false
            } else {
                run = 0
                let s = scalar.value
                previousWasPunctuation = s == 0x2C || s == 0x3B || s == 0x3A || s == 0x21 || s == 0x3F
            }
            last = v
        }
        var hit = false
        _ = Syllables.forEach(text) { buffer, n in
            if !hit, n <= 5, wordHashes.contains(Syllables.hash(buffer, n)) { hit = true }
        }
        return hit
    }

    /// "quáaaa" → "quá", "tốtttt" → "tốt", "nhiềuuu" → "nhiều": a letter three times or more
    /// (ignoring its marks) keeps its first, marked form; two stay ("cứu", "xoong").
    static func collapseRepeats(_ letters: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var i = 0
        while i < letters.count {
            let base = folded(letters[i])
            var j = i + 1
            while j < letters.count, folded(letters[j]) == base { j += 1 }
            let length = j - i
            // Three or more: no Vietnamese word holds a letter three times ("cứu", "hưu" hold two).
            if base != 0 && length >= 3 {
                out.append(letters[i])
            } else {
                out.append(contentsOf: letters[i..<j])
            }
            i = j
        }
        return out
    }
}
