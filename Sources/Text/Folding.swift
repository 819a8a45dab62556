import Foundation

/// Vietnamese text as users type it: composed (NFC) or decomposed (NFD), with or without
/// diacritics, in any case. These functions make those spellings compare equal where a user
/// would expect them to.
public enum Folding {
    /// NFC, the form Pulse stores.
    public static func nfc(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
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
}
