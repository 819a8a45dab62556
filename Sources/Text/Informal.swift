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
        "ace": "anh chị em", "ae": "anh em", "sdt": "số điện thoại", "ubnd": "ủy ban nhân dân", "hs": "học sinh", "gv": "giáo viên",
        "bhyt": "bảo hiểm y tế", "bhxh": "bảo hiểm xã hội", "lun": "luôn", "nhìu": "nhiều", "nhiu": "nhiều",
        "ak": "à", "uh": "ừ", "ok": "ổn", "oke": "ổn", "okela": "ổn",
    ]

    /// Teencode spelled out, held-down letters collapsed, a space after punctuation.
    public static func normalize(_ text: String) -> String {
        // Most report text needs none of this: find out without building anything.
        guard needsWork(text) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var word = ""
        var previous: Character = " "
        func flush() {
            guard !word.isEmpty else { return }
            let collapsed = collapseRepeats(word)
            let lower = collapsed.lowercased()
            if let standard = words[lower] {
                out += collapsed.first?.isUppercase == true ? standard.prefix(1).uppercased() + standard.dropFirst() : standard
            } else {
                out += collapsed
            }
            word = ""
        }
        for ch in text {
            if ch.isLetter {
                // "tốt,nhưng": punctuation glued to the next word gets its space back.
                if word.isEmpty, ",;:!?".contains(previous) || (previous == "." && out.count >= 2 && out.dropLast().last?.isLetter == true) {
                    out.append(" ")
                }
                word.append(ch)
            } else {
                flush()
                out.append(ch)
            }
            previous = ch
        }
        flush()
        return out
    }

    /// Whether `text` has a word in the table, three letters the same in a row, or punctuation
    /// followed by a letter.
    static func needsWork(_ text: String) -> Bool {
        var run = 0
        var last: Unicode.Scalar = " "
        var previousWasPunctuation = false
        var wordStart = true
        var word = ""
        for scalar in text.unicodeScalars {
            let isLetter = scalar.properties.isAlphabetic
            if isLetter {
                if previousWasPunctuation { return true }
                if scalar == last { run += 1; if run >= 2 { return true } } else { run = 0 }
                if wordStart { word = "" }
                if word.unicodeScalars.count < 8 { word.unicodeScalars.append(scalar) }
                wordStart = false
            } else {
                if !wordStart, words[word.lowercased()] != nil { return true }
                wordStart = true
                run = 0
            }
            previousWasPunctuation = ",;:!?".unicodeScalars.contains(scalar)
            last = scalar
        }
        return !wordStart && words[word.lowercased()] != nil
    }

    /// "quáaaa" → "quá", "tốtttt" → "tốt", "nhiềuuu" → "nhiều": a letter repeated (ignoring
    /// its marks) keeps its first, marked form. "oo" stays (xoong, boong), as does "ee" in loans.
    static func collapseRepeats(_ word: String) -> String {
        let letters = Array(word)
        guard letters.count >= 3 else { return word }
        var out: [Character] = []
        var i = 0
        while i < letters.count {
            let base = Folding.fold(String(letters[i]))
            var j = i + 1
            while j < letters.count, Folding.fold(String(letters[j])) == base { j += 1 }
            let length = j - i
            if length >= 3 || (length == 2 && base != "o" && base != "e" && j == letters.count && i > 0) {
                out.append(letters[i])
            } else {
                out.append(contentsOf: letters[i..<j])
            }
            i = j
        }
        return String(out)
    }
}
