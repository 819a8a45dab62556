import Foundation

/// Vietnamese text as users type it: composed (NFC) or decomposed (NFD), with or without
/// diacritics, in any case. These functions make those spellings compare equal where a user
/// would expect them to.
public enum Folding {
    /// NFC, the form Pulse stores. Text made only of scalars that NFC leaves alone (ASCII,
    /// Latin-1, Latin Extended, precomposed Vietnamese, common punctuation) is returned as it
    /// is, without the round trip through Foundation.
    public static func nfc(_ text: String) -> String {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let stable = v < 0x0300 || (0x1EA0...0x1EF9).contains(v) || (0x2010...0x206F).contains(v)
            if !stable { return text.precomposedStringWithCanonicalMapping }
        }
        return text
    }

    /// Without white space (any Unicode space or line break) at either end.
    public static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    /// Lowercase, without diacritics, đ → d, runs of white space made one space: the key for
    /// matching "Kỳ Anh", its NFD form and "ky anh" alike.
    ///
    /// Read as UTF-8, a byte at a time for ASCII and through a table for the Latin letters
    /// Vietnamese uses; anything else (another script) goes the long way, through Foundation's
    /// decomposition, with the same result (`foldByDecomposing`, which a test compares).
    public static func fold(_ text: String) -> String {
        var text = text
        return text.withUTF8 { b -> String in
            var out = [UInt8]()
            out.reserveCapacity(b.count)
            var lastWasSpace = true
            var i = 0
            while i < b.count {
                let c = b[i]
                if c < 0x80 {
                    i += 1
                    if c == 0x20 || (c >= 0x09 && c <= 0x0D) {
                        if !lastWasSpace { out.append(0x20) }
                        lastWasSpace = true
                    } else {
                        out.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
                        lastWasSpace = false
                    }
                    continue
                }
                let v = Scrubber.scalar(b, at: i)
                let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                defer { i += length }
                switch v {
                case 0x0300...0x036F: continue
                case 0x0110, 0x0111:
                    out.append(UInt8(ascii: "d"))
                    lastWasSpace = false
                    continue
                case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                    if !lastWasSpace { out.append(0x20) }
                    lastWasSpace = true
                    continue
                case 0x00C0...0x024F, 0x1E00...0x1EFF:
                    let base = v < 0x1E00 ? Scrubber.Context.baseLetters[Int(v - 0x00C0)] : Scrubber.Context.baseLetters[Int(v - 0x1E00) + 0x190]
                    if base != 0 {
                        out.append(base)
                        lastWasSpace = false
                        continue
                    }
                default: break
                }
                // Another script, or a Latin letter that decomposes to no ASCII letter (æ, ß).
                let folded = foldByDecomposing(String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + length)]), as: UTF8.self))
                out.append(contentsOf: folded.utf8)
                lastWasSpace = false
            }
            if out.last == 0x20 { out.removeLast() }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `fold` the long way: every scalar of the canonical decomposition, marks dropped, each
    /// lowercased. The reference the fast path is tested against.
    static func foldByDecomposing(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining diacritical marks
            case 0x0110, 0x0111: out.append("d")  // Đ, đ
                lastWasSpace = false
            default:
                if scalar.properties.isWhitespace {
                    if !lastWasSpace { out.append(" ") }
                    lastWasSpace = true
                } else {
                    out.append(contentsOf: String(scalar).lowercased().unicodeScalars)
                    lastWasSpace = false
                }
            }
        }
        if out.last == " " { out.removeLast() }
        return String(out)
    }

    /// The text without diacritics, đ as d, case kept: as a phone keyboard without Vietnamese
    /// input types it.
    public static func withoutDiacritics(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue
            case 0x0110: out.append("D")
            case 0x0111: out.append("d")
            default: out.append(scalar)
            }
        }
        return String(out).precomposedStringWithCanonicalMapping
    }
}
