/// Nghệ Tĩnh speech, the way Hà Tĩnh's residents talk and reports quote them, in standard
/// Vietnamese for analysis: "bà con nỏ ưng" reads as "bà con không thích", so negation, question
/// words and sentiment work as they do on standard text. Works on text with diacritics (run
/// ``DiacriticRestorer`` first on text without).
public enum Dialect {
    /// A dialect word, its standard equivalent, and the neighbours with which it is standard
    /// Vietnamese of its own ("quy mô", "đau răng", "gieo mạ") and stays.
    struct Entry {
        var standard: String
        var keepBefore: Set<String> = []
        var keepAfter: Set<String> = []
        /// When set, the word is read as dialect only at the end of a clause or after one of these
        /// ("ở mô", "bên tê"): elsewhere it is the standard word ("mô tô", "tê cứng").
        var onlyAfter: Set<String>? = nil
        /// When set, only before one of these ("răng mà", "răng rứa") or at the end of a clause.
        var onlyBefore: Set<String>? = nil
    }

    static let single: [String: Entry] = [
        "nỏ": Entry(standard: "không", keepAfter: ["thần"]),
        "răng": Entry(
            standard: "sao", keepBefore: ["đau", "nhổ", "khám", "sâu", "hàm", "chải", "trồng", "chăm", "bàn", "mọc", "hở", "cười"],
            keepAfter: ["miệng", "hàm", "sữa", "khôn", "cửa", "giả", "sâu", "lợi"],
            onlyBefore: ["mà", "rứa", "không", "nỏ", "lại", "được", "chừ", "hè", "ri", "đây", "ạ"]),
        "rứa": Entry(standard: "thế"),
        "mô": Entry(
            standard: "đâu", keepBefore: ["quy", "y"], keepAfter: ["hình", "tả", "phỏng", "đun", "tơ", "men", "tô", "đất"],
            onlyAfter: ["ở", "đi", "chỗ", "nơi", "về", "bên", "đằng", "tới", "lên", "xuống", "ra", "vô", "có", "mô"]),
        "tê": Entry(
            standard: "kia", keepBefore: ["gây", "tê"], keepAfter: ["liệt", "tái", "buốt", "cóng", "bì", "tê", "cứng"],
            onlyAfter: ["bên", "chỗ", "cái", "cấy", "nhà", "hôm", "bựa", "đằng", "phía", "ngoài", "trong", "người", "xóm", "thôn", "ông", "bà"]),
        "tề": Entry(standard: "kia", keepAfter: ["chỉnh"]),
        "ni": Entry(standard: "này", keepAfter: ["cô", "tơ", "lông", "mét"]),
        "chừ": Entry(standard: "bây giờ"),
        "nớ": Entry(standard: "đó"),
        "ri": Entry(standard: "thế này"),
        "chộ": Entry(standard: "thấy"),
        "ưng": Entry(standard: "thích", keepAfter: ["ý", "thuận"]),
        "mần": Entry(standard: "làm"),
        "ngái": Entry(standard: "xa"),
        "bựa": Entry(standard: "hôm"),
        "tau": Entry(standard: "tao"),
        "eng": Entry(standard: "anh"),
        "hấn": Entry(standard: "hắn"),
        "nác": Entry(standard: "nước"),
        "cươi": Entry(standard: "sân"),
        "trốc": Entry(standard: "đầu"),
        "đọi": Entry(standard: "bát"),
        "nhởi": Entry(standard: "chơi"),
    ]

    /// Two-word expressions, read before single words.
    static let pairs: [String: String] = [
        "khi mô": "bao giờ", "bựa ni": "hôm nay", "bựa tê": "hôm kia", "bầy tui": "chúng tôi", "răng rứa": "sao thế",
        "làm chi": "làm gì", "có chi": "có gì", "cái chi": "cái gì", "chi rứa": "gì thế", "mô có": "đâu có", "ở mô": "ở đâu",
        "đi mô": "đi đâu", "rứa thì": "thế thì", "cấy ni": "cái này", "cấy nớ": "cái đó", "cấy tê": "cái kia",
    ]

    /// The hashes of every word that can start a replacement, for a pass that builds nothing.
    static let triggers: HashSet = {
        // Every pair holds one of these, so the common words in pairs ("làm", "có") trigger nothing.
        let words = Set(single.keys).union(["chi", "bầy", "cấy"])
        return HashSet(words.map { Syllables.hashes($0).hashes[0] })
    }()

    /// `text` with Nghệ Tĩnh words in their standard form; anything else as it is.
    public static func standardize(_ text: String) -> String {
        let text = Folding.nfc(text)  // the words' ranges are in NFC
        var hit = false
        _ = Syllables.forEach(text) { buffer, n in if !hit, triggers.contains(Syllables.hash(buffer, n)) { hit = true } }
        guard hit else { return text }
        let words = DiacriticRestorer.words(in: text)
        let lower = words.map(\.lower)
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var cursor = text.startIndex
        var i = 0
        while i < words.count {
            var replacement: String?
            var span = 1
            if i + 1 < words.count, !words[i + 1].afterBreak, let pair = pairs[lower[i] + " " + lower[i + 1]] {
                replacement = pair
                span = 2
            } else if let entry = single[lower[i]] {
                let before = i > 0 && !words[i].afterBreak ? lower[i - 1] : ""
                let after = i + 1 < words.count && !words[i + 1].afterBreak ? lower[i + 1] : ""
                var allowed = !entry.keepBefore.contains(before) && !entry.keepAfter.contains(after) && !words[i].technical
                if let only = entry.onlyAfter, !(after.isEmpty || only.contains(before)) { allowed = false }
                if let only = entry.onlyBefore, !(only.contains(after) || after.isEmpty) { allowed = false }
                if allowed { replacement = entry.standard }
            }
            if let replacement {
                out += text[cursor..<words[i].range.lowerBound]
                out += DiacriticRestorer.cased(replacement, like: text[words[i].range])
                cursor = words[i + span - 1].range.upperBound
            }
            i += span
        }
        out += text[cursor...]
        return out
    }
}
