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
        /// Punctuation that ends a clause (, . ; : ! ? … newline brackets) stands before it.
        var clauseBreak: Bool = false
    }

    let scalars: [Unicode.Scalar]
    private(set) var tokens: [Token] = []
    /// Words as ``DiacriticRestorer/mayNeedRestoring(_:)`` counts them (runs of letters, a
    /// combining mark inside its word), and how many carry a diacritic: the same answer from
    /// this pass.
    private(set) var letterWords = 0
    private(set) var accentedLetterWords = 0

    /// Whether fewer than half the words carry a diacritic (see `DiacriticRestorer`).
    var mayNeedRestoring: Bool { letterWords > 0 && Double(accentedLetterWords) < Double(letterWords) * DiacriticRestorer.accentedShare }

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
        var all: [Unicode.Scalar] = []
        all.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars { all.append(s) }
        scalars = all
        tokens.reserveCapacity(text.utf8.count / 5)
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { scan($0) }
    }

    private mutating func scan(_ buffer: UnsafeMutableBufferPointer<UInt32>) {
        let scalars = self.scalars
        let capacity = buffer.count
        var inLetterWord = false
        var letterWordAccented = false
        var n = 0
        var start = 0
        var sawBreak = false
        var sawClauseBreak = false
        var accented = false
        var digits = true
        var anyDigit = false
        func finish(_ end: Int) {
            guard n > 0 else { return }
            let count = min(n, capacity)
            // Old-style tone placement, as `Syllables` does, so hashes match the lexicon's.
            Syllables.moveTone(buffer, count)
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
                technical: SyllableScan.joined(scalars, start, end), afterBreak: sawBreak, clauseBreak: sawClauseBreak))
            sawClauseBreak = false
            n = 0
            accented = false
            digits = true
            anyDigit = false
            sawBreak = false
        }
        for (i, scalar) in scalars.enumerated() {
            // Words as mayNeedRestoring counts them.
            let raw = scalar.value
            if raw >= 0x0300 && raw <= 0x036F {
                if inLetterWord && !letterWordAccented {
                    letterWordAccented = true
                    accentedLetterWords += 1
                }
            } else if Syllables.isLetter(raw) {
                if !inLetterWord {
                    inLetterWord = true
                    letterWordAccented = false
                    letterWords += 1
                }
                if raw >= 0x80 && !letterWordAccented {
                    letterWordAccented = true
                    accentedLetterWords += 1
                }
            } else {
                inLetterWord = false
            }
            let v = Syllables.lower(scalar.value)
            if v == 0 {
                finish(i)
                if !Syllables.isSpace(scalar.value) { sawBreak = true }
                switch scalar.value {
                case 0x2C, 0x2E, 0x3B, 0x3A, 0x21, 0x3F, 0x2026, 0x0A, 0x28, 0x29: sawClauseBreak = true
                default: break
                }
            } else {
                if n == 0 { start = i }
                if v >= 0x80 { accented = true }
                if !(v >= 0x30 && v <= 0x39) { digits = false } else { anyDigit = true }
                if n < capacity { buffer[n] = v }
                n += 1
            }
        }
        finish(scalars.count)
    }

    /// Whether anything but white space lies between two scalar offsets.
    static func touches(_ scalars: [Unicode.Scalar], _ from: Int, _ to: Int) -> Bool {
        guard from < to else { return false }
        for i in from..<to where !Syllables.isSpace(scalars[i].value) { return true }
        return false
    }

    /// @ / . _ = ? & # % - :
    @inline(__always) static func isJoiner(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x40, 0x2F, 0x2E, 0x5F, 0x3D, 0x3F, 0x26, 0x23, 0x25, 0x2D, 0x3A: return true
        default: return false
        }
    }

    /// Whether the letters at `start..<end` are joined, without a space, to a code or address.
    static func joined(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> Bool {
        func letterOrDigit(_ i: Int) -> Bool { i >= 0 && i < scalars.count && Syllables.lower(scalars[i].value) != 0 }
        if start >= 1, isJoiner(scalars[start - 1]), letterOrDigit(start - 2) { return true }
        if end < scalars.count, isJoiner(scalars[end]), letterOrDigit(end + 1) { return true }
        return false
    }

    /// The token's scalars, lowercase with canonical tone placement: the form the model keeps.
    func canonicalForm(_ token: Token) -> String {
        Vietnamese.canonicalSyllable(String(String.UnicodeScalarView(scalars[token.start..<token.end])))
    }
}
