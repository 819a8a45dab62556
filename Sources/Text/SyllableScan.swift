import Foundation

/// A text's syllables as the restorer needs them, found in one pass over its scalars without
/// making a String per syllable: where each is, its hash as written (lowercase, canonical tone)
/// and its hash folded (no diacritics, đ as d), and what kind of word it is.
struct SyllableScan {
    struct Token {
        /// Scalar offsets in `scalars`.
        var start: Int
        var end: Int
        var hash: UInt64
        var foldedHash: UInt64
        var accented: Bool
        var isNumber: Bool
        /// Letters and digits together ("38A", "QL8"): a code, never restored.
        var hasDigit: Bool
        /// Joined without a space to an address or code by @ / . _ = ? & # % - :
        /// ("www.hatinh.gov.vn", "tin-tuc"): never restored.
        var technical: Bool
        /// Punctuation (not only spaces) stands between it and the token before.
        var afterBreak: Bool
    }

    let scalars: [Unicode.Scalar]
    private(set) var tokens: [Token] = []

    /// Letters without their marks, lowercase (đ → d), for every scalar below U+2000; 0 for
    /// anything that is not a letter or digit.
    static let foldTable: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 0x2000)
        for v in 0..<0x2000 {
            let lower = Syllables.table[v]
            guard lower != 0, let s = Unicode.Scalar(lower) else { continue }
            if lower == 0x111 {
                t[v] = 0x64
                continue
            }
            let base = String(Character(s)).decomposedStringWithCanonicalMapping.unicodeScalars.first!.value
            t[v] = base
        }
        return t
    }()

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var buffer = [UInt32](repeating: 0, count: 64)
        var n = 0
        var start = 0
        var sawBreak = false
        var accented = false
        var digits = true
        var anyDigit = false
        func finish(_ end: Int) {
            guard n > 0 else { return }
            let count = min(n, 64)
            // Old-style tone placement, as `Syllables` does, so hashes match the lexicon's.
            buffer.withUnsafeMutableBufferPointer { Syllables.moveTone($0, count) }
            var h = Syllables.offset
            var f = Syllables.offset
            for i in 0..<count {
                let v = buffer[i]
                h = (h ^ UInt64(v)) &* Syllables.prime
                let folded = v < 0x2000 ? SyllableScan.foldTable[Int(v)] : v
                f = (f ^ UInt64(folded)) &* Syllables.prime
            }
            tokens.append(Token(
                start: start, end: end, hash: h, foldedHash: f, accented: accented, isNumber: digits, hasDigit: anyDigit,
                technical: SyllableScan.joined(scalars, start, end), afterBreak: sawBreak))
            n = 0
            accented = false
            digits = true
            anyDigit = false
            sawBreak = false
        }
        for (i, scalar) in scalars.enumerated() {
            let v = Syllables.lower(scalar.value)
            if v == 0 {
                finish(i)
                if !Syllables.isSpace(scalar.value) { sawBreak = true }
            } else {
                if n == 0 { start = i }
                if v >= 0x80 { accented = true }
                if !(v >= 0x30 && v <= 0x39) { digits = false } else { anyDigit = true }
                if n < 64 { buffer[n] = v }
                n += 1
            }
        }
        finish(scalars.count)
    }

    static let joiners = Set("@/._=?&#%-:".unicodeScalars)

    /// Whether the letters at `start..<end` are joined, without a space, to a code or address.
    static func joined(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> Bool {
        func letterOrDigit(_ i: Int) -> Bool { i >= 0 && i < scalars.count && Syllables.lower(scalars[i].value) != 0 }
        if start >= 1, joiners.contains(scalars[start - 1]), letterOrDigit(start - 2) { return true }
        if end < scalars.count, joiners.contains(scalars[end]), letterOrDigit(end + 1) { return true }
        return false
    }

    /// The token's scalars, lowercase with canonical tone placement: the form the model keeps.
    func canonicalForm(_ token: Token) -> String {
        Vietnamese.canonicalSyllable(String(String.UnicodeScalarView(scalars[token.start..<token.end])))
    }
}
