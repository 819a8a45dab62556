/// A fast pass over Vietnamese text: lowercase, tone-normalised syllables, as strings or as
/// 64-bit hashes, without a String per syllable on the hot path.
enum Syllables {
    /// Lowercase for every scalar up to U+1FFF (Latin, Latin Extended, Vietnamese), or 0 where
    /// the scalar is not a letter or digit.
    static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 0x2000)
        for v in 0..<0x2000 {
            guard let s = Unicode.Scalar(UInt32(v)) else { continue }
            let p = s.properties
            guard p.isAlphabetic || p.numericType != nil, !(0x0300...0x036F).contains(v) else { continue }
            let lower = p.lowercaseMapping.unicodeScalars
            t[v] = lower.count == 1 ? lower.first!.value : UInt32(v)
        }
        return t
    }()

    /// Whether a scalar can end a syllable whose tone moves (a toned a, e or y).
    static let toneMoveEnds: [Bool] = {
        var t = [Bool](repeating: false, count: 0x2000)
        for key in toneMoves.keys { t[Int(key & 0xFFFF_FFFF)] = true }
        return t
    }()

    /// Old-style tone placement: the last two scalars of an open -oa/-oe/-uy syllable.
    static let toneMoves: [UInt64: (UInt32, UInt32)] = {
        var m: [UInt64: (UInt32, UInt32)] = [:]
        for (from, to) in Vietnamese.newToOld {
            let f = Array(from.unicodeScalars).map(\.value)
            let t = Array(to.unicodeScalars).map(\.value)
            m[UInt64(f[0]) << 32 | UInt64(f[1])] = (t[0], t[1])
        }
        return m
    }()

    @inline(__always) static func lower(_ v: UInt32) -> UInt32 {
        if v < 0x80 {
            if v >= 0x41 && v <= 0x5A { return v | 0x20 }
            if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) { return v }
            return 0
        }
        if v < 0x2000 { return table[Int(v)] }
        guard let s = Unicode.Scalar(v), s.properties.isAlphabetic else { return 0 }
        return v
    }

    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    /// Puts the tone of an open -oa/-oe/-uy syllable of `n` scalars in the old-style place
    /// ("hoà" → "hòa"), unless "qu" makes the u a consonant.
    @inline(__always) static func moveTone(_ buffer: UnsafeMutableBufferPointer<UInt32>, _ n: Int) {
        // Only a toned a, e or y can end such a syllable: most syllables stop here.
        guard n >= 2, n < 64, buffer[n - 1] >= 0xE0, buffer[n - 1] < 0x2000, toneMoveEnds[Int(buffer[n - 1])] else { return }
        if let moved = toneMoves[UInt64(buffer[n - 2]) << 32 | UInt64(buffer[n - 1])], !(n >= 3 && buffer[n - 3] == 0x71) {
            buffer[n - 2] = moved.0
            buffer[n - 1] = moved.1
        }
    }

    /// Calls `body` with each syllable's scalars (lowercase, canonical tone), and whether the
    /// text had any non-ASCII letter (diacritics).
    @inline(__always)
    static func forEach(_ text: String, _ body: (UnsafeMutableBufferPointer<UInt32>, Int) -> Void) -> Bool {
        forEach(text, body, separator: { _ in })
    }

    /// `forEach`, also calling `separator` with every scalar between syllables.
    @inline(__always)
    static func forEach(_ text: String, _ body: (UnsafeMutableBufferPointer<UInt32>, Int) -> Void, separator: (Unicode.Scalar) -> Void) -> Bool {
        forEachMarkingCapitals(text, { buffer, n, _ in body(buffer, n) }, separator: separator)
    }

    /// `forEach`, also telling `body` whether the syllable was written with a capital first.
    @inline(__always)
    static func forEachMarkingCapitals(
        _ text: String, _ body: (UnsafeMutableBufferPointer<UInt32>, Int, Bool) -> Void, separator: (Unicode.Scalar) -> Void
    ) -> Bool {
        var accented = false
        let nfc = Folding.nfc(text)
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { buffer in
            var n = 0
            var capital = false
            func flush() {
                guard n > 0 else { return }
                moveTone(buffer, n)
                body(buffer, min(n, 64), capital)
                n = 0
            }
            for scalar in nfc.unicodeScalars {
                let v = lower(scalar.value)
                if v == 0 {
                    flush()
                    separator(scalar)
                } else {
                    if n == 0 { capital = v != scalar.value }
                    if v >= 0x80 { accented = true }
                    if n < 64 { buffer[n] = v }
                    n += 1
                }
            }
            flush()
        }
        return accented
    }

    /// Each clause's syllables as `forEach` reads them, each marked when it is written with a
    /// capital inside a sentence: a proper name (xã Kỳ Anh, Can Lộc) rather than what is said.
    /// A sentence's first syllable is not marked, nor anything in a text mostly in capitals.
    static func clausesMarkingNames(_ text: String) -> [[(syllable: String, name: Bool)]] {
        var clauses: [[(syllable: String, name: Bool)]] = []
        var current: [(syllable: String, name: Bool)] = []
        var capitals = 0, total = 0
        var sentenceStart = true
        func endClause() {
            if !current.isEmpty { clauses.append(current) }
            current = []
        }
        _ = forEachMarkingCapitals(text, { buffer, n, capital in
            var syllable = String.UnicodeScalarView()
            for i in 0..<n { if let scalar = Unicode.Scalar(buffer[i]) { syllable.append(scalar) } }
            total += 1
            if capital { capitals += 1 }
            current.append((String(syllable), capital && !sentenceStart))
            sentenceStart = false
        }) { scalar in
            switch scalar.value {
            case 0x2E, 0x21, 0x3F, 0x2026, 0x0A:  // . ! ? … and a new line end a sentence
                endClause()
                sentenceStart = true
            case 0x2C, 0x3B, 0x3A, 0x28, 0x29, 0x22, 0x201C, 0x201D, 0x2013, 0x2014:  // , ; : ( ) quotes and dashes end a clause
                endClause()
            default: break
            }
        }
        endClause()
        // Headlines and shouting: capitals say nothing about names there.
        guard capitals * 2 <= total else { return clauses.map { $0.map { ($0.syllable, false) } } }
        return clauses
    }

    @inline(__always) static func hash(_ buffer: UnsafeMutableBufferPointer<UInt32>, _ n: Int) -> UInt64 {
        var h = offset
        for i in 0..<n {
            h = (h ^ UInt64(buffer[i])) &* prime
        }
        return h
    }

    /// Hashes of the syllables, and whether the text had diacritics.
    static func hashes(_ text: String) -> (hashes: [UInt64], accented: Bool) {
        var out: [UInt64] = []
        out.reserveCapacity(text.utf8.count / 4)
        let accented = forEach(text) { buffer, n in out.append(hash(buffer, n)) }
        return (out, accented)
    }

    /// A phrase's key from its syllable hashes.
    @inline(__always) static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        (a &* 0x9E37_79B9_7F4A_7C15) ^ (b &+ 0x7F4A_7C15)
    }

    /// The syllable hashes of each clause (punctuation ends one: , . ; : ! ? … and brackets),
    /// and whether the text had diacritics: one pass, nothing but the arrays built.
    static func clauses(_ text: String) -> (clauses: [[UInt64]], accented: Bool) {
        var out: [[UInt64]] = []
        var current: [UInt64] = []
        let accented = forEach(text, { buffer, n in current.append(hash(buffer, n)) }) { scalar in
            switch scalar.value {
            case 0x2C, 0x2E, 0x3B, 0x3A, 0x21, 0x3F, 0x2026, 0x0A, 0x28, 0x29:
                if !current.isEmpty { out.append(current) }
                current = []
            default: break
            }
        }
        if !current.isEmpty { out.append(current) }
        return (out, accented)
    }

    /// Whether the scalar is an uppercase letter, from the table below U+2000.
    @inline(__always) static func isUpper(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 0x41 && v <= 0x5A }
        if v < 0x2000 { let l = table[Int(v)]; return l != 0 && l != v }
        return Unicode.Scalar(v)?.properties.isUppercase ?? false
    }

    /// Whether the scalar is white space: the ASCII ones and the Unicode spaces, without a
    /// property lookup for the common case.
    @inline(__always) static func isSpace(_ v: UInt32) -> Bool {
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return Unicode.Scalar(v)?.properties.isWhitespace ?? false
    }

    /// Whether the scalar is a letter (not a digit), from the table below U+2000.
    @inline(__always) static func isLetter(_ v: UInt32) -> Bool {
        let l = lower(v)
        return l != 0 && !(l >= 0x30 && l <= 0x39)
    }
}
