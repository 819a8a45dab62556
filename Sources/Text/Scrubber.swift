/// Removes personal identifiers from free text before it is stored: citizen ID numbers (9 and
/// 12 digits), Vietnamese phone numbers in their written forms, e-mail addresses, links to
/// social-media profiles, and @handles. Each is replaced by a marker, and the result says how
/// many of each kind it removed and where (character offsets in the input).
public enum Scrubber {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case citizenID = "citizen-id"
        case phone
        case email
        case profileLink = "profile-link"
        case handle

        /// The marker left in the text, in Vietnamese.
        public var marker: String {
            switch self {
            case .citizenID: return "[số định danh]"
            case .phone: return "[số điện thoại]"
            case .email: return "[email]"
            case .profileLink: return "[liên kết cá nhân]"
            case .handle: return "[tài khoản]"
            }
        }
    }

    public struct Removal: Sendable, Hashable, Codable {
        public var kind: Kind
        /// Offset and length in characters of the original text.
        public var start: Int
        public var length: Int
    }

    public struct Result: Sendable, Hashable {
        public var text: String
        public var removals: [Removal]

        public var counts: [(kind: Kind, count: Int)] {
            Kind.allCases.compactMap { kind in
                let n = removals.filter { $0.kind == kind }.count
                return n > 0 ? (kind, n) : nil
            }
        }
    }

    static let socialHosts = [
        "facebook.com", "fb.com", "fb.me", "m.facebook.com", "zalo.me", "tiktok.com", "youtube.com", "youtu.be", "x.com",
        "twitter.com", "instagram.com", "threads.net", "t.me", "linkedin.com",
    ]

    public static func scrub(_ input: String) -> Result {
        let chars = Array(input)
        var out = ""
        out.reserveCapacity(input.utf8.count)
        var removals: [Removal] = []
        var i = 0
        while i < chars.count {
            let boundaryBefore = i == 0 || !isWordChar(chars[i - 1])
            if boundaryBefore, let end = matchLink(chars, i) {
                removals.append(Removal(kind: .profileLink, start: i, length: end - i))
                out += Kind.profileLink.marker
                i = end
                continue
            }
            if boundaryBefore, let end = matchEmail(chars, i) {
                removals.append(Removal(kind: .email, start: i, length: end - i))
                out += Kind.email.marker
                i = end
                continue
            }
            if chars[i] == "@", boundaryBefore, let end = matchHandle(chars, i) {
                removals.append(Removal(kind: .handle, start: i, length: end - i))
                out += Kind.handle.marker
                i = end
                continue
            }
            if boundaryBefore, chars[i] == "+" || chars[i].isASCIIDigit, let (end, kind) = matchNumber(chars, i) {
                removals.append(Removal(kind: kind, start: i, length: end - i))
                out += kind.marker
                i = end
                continue
            }
            // Copy the rest of a word at once, so a match never starts inside one.
            out.append(chars[i])
            i += 1
            if isWordChar(chars[i - 1]) {
                while i < chars.count, isWordChar(chars[i]) {
                    out.append(chars[i])
                    i += 1
                }
            }
        }
        return Result(text: out, removals: removals)
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    static func isURLChar(_ c: Character) -> Bool {
        c.isASCII && !c.isWhitespace && !"\"'<>()[]{}|\\^`,".contains(c)
    }

    /// A link to a profile on a social network, with or without the scheme.
    static func matchLink(_ c: [Character], _ start: Int) -> Int? {
        var end = start
        while end < c.count, isURLChar(c[end]) { end += 1 }
        while end > start, ".;:!?".contains(c[end - 1]) { end -= 1 }
        guard end > start else { return nil }
        var text = String(c[start..<end]).lowercased()
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
        for sub in ["www.", "m.", "vn."] where text.hasPrefix(sub) { text.removeFirst(sub.count) }
        for host in socialHosts where text.hasPrefix(host + "/") && text.count > host.count + 1 { return end }
        return nil
    }

    static func matchEmail(_ c: [Character], _ start: Int) -> Int? {
        var at = start
        while at < c.count, c[at].isASCII, c[at].isLetter || c[at].isNumber || "._%+-".contains(c[at]) { at += 1 }
        guard at > start, at < c.count, c[at] == "@" else { return nil }
        var end = at + 1
        while end < c.count, c[end].isASCII, c[end].isLetter || c[end].isNumber || c[end] == "." || c[end] == "-" { end += 1 }
        while end > at + 1, c[end - 1] == "." { end -= 1 }
        let domain = String(c[(at + 1)..<end])
        guard domain.contains("."), !domain.hasPrefix("."), let tld = domain.split(separator: ".").last, tld.count >= 2,
            tld.allSatisfy(\.isLetter)
        else { return nil }
        return end
    }

    static func matchHandle(_ c: [Character], _ start: Int) -> Int? {
        var end = start + 1
        while end < c.count, c[end].isASCII, c[end].isLetter || c[end].isNumber || c[end] == "_" || c[end] == "." { end += 1 }
        while end > start + 1, c[end - 1] == "." { end -= 1 }
        return end - start >= 3 ? end : nil
    }

    /// A run of digits with single separators between groups; classified by its digits and shape.
    static func matchNumber(_ c: [Character], _ start: Int) -> (Int, Kind)? {
        var i = start
        var plus = false
        if c[i] == "+" {
            plus = true
            i += 1
            guard i < c.count, c[i].isASCIIDigit else { return nil }
        }
        var digits = ""
        var separators: Set<Character> = []
        var groups: [Int] = [0]
        var end = i
        while i < c.count {
            if c[i].isASCIIDigit {
                digits.append(c[i])
                groups[groups.count - 1] += 1
                i += 1
                end = i
            } else if " .-".contains(c[i]), i + 1 < c.count, c[i + 1].isASCIIDigit, !digits.isEmpty {
                separators.insert(c[i])
                groups.append(0)
                i += 1
            } else {
                break
            }
        }
        // The match must end at a word boundary (no letter or digit glued on).
        if end < c.count, isWordChar(c[end]) { return nil }
        if plus || digits.hasPrefix("84") {
            if digits.hasPrefix("84"), digits.count == 11 || (digits.count == 12 && digits.dropFirst(2).hasPrefix("2")) { return (end, .phone) }
            if plus { return nil }
        }
        if digits.hasPrefix("0"), digits.count == 10 || (digits.count == 11 && digits.hasPrefix("02")) {
            return (end, .phone)
        }
        // Citizen IDs: 12 digits (căn cước) or 9 (old CMND), written solid or in groups of 3 or 4
        // with spaces. Amounts written with dots (150.000.000) are not IDs.
        if digits.count == 12 || digits.count == 9 {
            if groups.count == 1 { return (end, .citizenID) }
            if separators == [" "] || separators == ["-"], groups.allSatisfy({ $0 == 3 || $0 == 4 }) { return (end, .citizenID) }
            if separators == ["."] && groups.allSatisfy({ $0 == 3 }) { return nil }
        }
        if digits.hasPrefix("0") && digits.count == 12 { return (end, .citizenID) }
        return nil
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
