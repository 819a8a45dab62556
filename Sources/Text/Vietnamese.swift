/// Vietnamese syllables: one tone-mark placement, tokens, n-grams and stop words.
public enum Vietnamese {
    /// Old-style ("hòa", "thúy", "khỏe") and new-style ("hoà", "thuý", "khoẻ") spellings put the
    /// tone on different vowels of the open syllables -oa, -oe, -uy. Pulse keeps the old style,
    /// the one most press and administrative text uses, so both spellings compare equal.
    static let newToOld: [String: String] = {
        var map: [String: String] = [:]
        let pairs: [(String, [String], [String])] = [
            ("o", ["à", "á", "ả", "ã", "ạ"], ["ò", "ó", "ỏ", "õ", "ọ"]),
            ("o", ["è", "é", "ẻ", "ẽ", "ẹ"], ["ò", "ó", "ỏ", "õ", "ọ"]),
            ("u", ["ỳ", "ý", "ỷ", "ỹ", "ỵ"], ["ù", "ú", "ủ", "ũ", "ụ"]),
        ]
        for (first, marked, moved) in pairs {
            let plain = first == "u" ? "y" : (marked[0] == "à" ? "a" : "e")
            for (m, o) in zip(marked, moved) { map[first + m] = o + plain }
        }
        return map
    }()

    /// A syllable in NFC, lowercase, with the tone in the old-style place.
    public static func canonicalSyllable(_ syllable: String) -> String {
        let lower = syllable.lowercased()
        guard lower.count >= 2 else { return lower }
        let chars = Array(lower)
        let ending = String(chars[(chars.count - 2)...])
        guard let old = newToOld[ending] else { return lower }
        // "qu" is a consonant: in "quý" the tone is on y in every style.
        if chars.count >= 3 && chars[chars.count - 3] == "q" { return lower }
        return String(chars[..<(chars.count - 2)]) + old
    }

    /// The text in NFC with every syllable's tone in one place (case kept).
    public static func normalize(_ text: String) -> String {
        let nfc = Folding.nfc(text)
        // Most text needs no tone moved: find out without building anything.
        var needsMove = false
        var previous: UInt32 = 0
        var beforePrevious: UInt32 = 0
        let scalars = nfc.unicodeScalars
        var iterator = scalars.makeIterator()
        var current = iterator.next()
        while let s = current {
            let next = iterator.next()
            let v = Syllables.lower(s.value)
            let nextIsLetter = next.map { Syllables.lower($0.value) != 0 } ?? false
            if v != 0, !nextIsLetter, previous != 0, Syllables.toneMoves[UInt64(previous) << 32 | UInt64(v)] != nil, beforePrevious != 0x71 {
                needsMove = true
                break
            }
            beforePrevious = previous
            previous = v
            current = next
        }
        if !needsMove { return nfc }
        var out = ""
        out.reserveCapacity(nfc.utf8.count)
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            let canonical = canonicalSyllable(word)
            if canonical == word.lowercased() {
                out += word
            } else {
                // Keep the original capitalisation of the first letter.
                out += word.first!.isUppercase ? canonical.prefix(1).uppercased() + canonical.dropFirst() : canonical
            }
            word = ""
        }
        for ch in nfc {
            if ch.isLetter { word.append(ch) } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }

    /// Lowercase syllables in canonical form, in order; digits form tokens of their own.
    public static func syllables(_ text: String) -> [String] {
        var tokens: [String] = []
        _ = Syllables.forEach(text) { buffer, n in
            var view = String.UnicodeScalarView()
            for i in 0..<n { view.append(Unicode.Scalar(buffer[i])!) }
            tokens.append(String(view))
        }
        return tokens
    }

    /// Syllable hashes, for matching without making strings; equal syllables hash equal.
    public static func syllableHashes(_ text: String) -> [UInt64] { Syllables.hashes(text).hashes }

    /// Hashes of syllable bigrams.
    public static func bigramHashes(_ hashes: [UInt64]) -> [UInt64] {
        guard hashes.count >= 2 else { return [] }
        return (0..<(hashes.count - 1)).map { Syllables.combine(hashes[$0], hashes[$0 + 1]) }
    }

    /// Syllable n-grams (joined by a space) as candidate words: "bồi thường", "giải phóng mặt bằng".
    public static func ngrams(_ syllables: [String], n: Int) -> [String] {
        guard n >= 1, syllables.count >= n else { return [] }
        return (0...(syllables.count - n)).map { syllables[$0..<($0 + n)].joined(separator: " ") }
    }

    /// Function words that carry no topic: kept out of key phrases.
    public static let stopWords: Set<String> = [
        "và", "của", "là", "có", "các", "những", "được", "cho", "với", "trong", "này", "đã", "đang", "sẽ", "thì", "mà", "một",
        "để", "từ", "khi", "đến", "về", "theo", "tại", "trên", "dưới", "nên", "như", "cũng", "vẫn", "còn", "lại", "ra", "vào",
        "bị", "do", "vì", "nhưng", "hoặc", "hay", "nếu", "thế", "nào", "gì", "ai", "đó", "kia", "ấy", "này", "nhiều", "ít",
        "rất", "quá", "lắm", "hơn", "nhất", "đều", "chỉ", "mới", "vừa", "sau", "trước", "qua", "tới", "ở", "số", "người",
        "việc", "cần", "phải", "không", "chưa", "chẳng", "chả", "đâu", "hết", "cả", "mọi", "từng", "mỗi", "thêm", "nhằm",
        "bởi", "tuy", "dù", "song", "rằng", "thì", "ạ", "nhé", "nhỉ", "à", "ơi", "vậy", "thôi", "luôn", "đang", "hiện", "nay",
        "năm", "tháng", "ngày", "trên", "địa", "bàn", "dân", "nhân", "bà", "con", "ông", "anh", "chị", "em", "họ", "chúng",
        "tôi", "ta", "mình", "nó", "được", "đối", "với", "tình", "hình", "vấn", "đề", "ý", "kiến", "phản", "ánh", "quan", "tâm",
        "xã", "phường", "thôn", "xóm", "huyện", "tỉnh", "hộ", "đề", "nghị", "kiến", "một", "nhiều",
    ]
}
