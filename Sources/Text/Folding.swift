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
    public static func fold(_ text: String) -> String {
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
