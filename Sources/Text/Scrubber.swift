/// Removes personal identifiers from free text before it is stored: citizen ID numbers (9 and
/// 12 digits), Vietnamese phone numbers in their written forms, e-mail addresses, links to
/// social-media profiles, and @handles. Each is replaced by a marker, and the result says how
/// many of each kind it removed and where.
///
/// Every pattern is ASCII, so the scrubber scans UTF-8 bytes: Vietnamese letters count as word
/// characters (a match never starts or ends inside a word), Unicode punctuation does not.
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
        /// Offset and length in Unicode scalars of the input (characters, for NFC Vietnamese).
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

    static let socialHosts: [[UInt8]] = [
        "facebook.com", "fb.com", "fb.me", "zalo.me", "tiktok.com", "youtube.com", "youtu.be", "x.com", "twitter.com",
        "instagram.com", "threads.net", "t.me", "linkedin.com",
    ].map { Array($0.utf8) }

    public static func scrub(_ input: String) -> Result {
        var input = input
        return input.withUTF8 { scrub(bytes: $0) }
    }

    static func scrub(bytes b: UnsafeBufferPointer<UInt8>) -> Result {
        var out = [UInt8]()
        out.reserveCapacity(b.count + 16)
        var removals: [Removal] = []
        var copied = 0  // bytes of `b` already in `out`
        var scalarsBefore = 0  // Unicode scalars in b[0..<counted]
        var counted = 0
        var i = 0
        func scalarOffset(_ index: Int) -> Int {
            while counted < index {
                if b[counted] & 0xC0 != 0x80 { scalarsBefore += 1 }
                counted += 1
            }
            return scalarsBefore
        }
        while i < b.count {
            let c = b[i]
            let numeric = c == UInt8(ascii: "+") || isDigit(c)
            guard numeric || c == UInt8(ascii: "@") || isASCIILetter(c) else {
                i += 1
                continue
            }
            // Numbers glued to letters ("SĐT0912345678") still count; anything else starts a word.
            let boundary = numeric ? !(i > 0 && isDigit(b[i - 1])) : !wordCharBefore(b, i)
            guard boundary else {
                i += 1
                continue
            }
            var match: (end: Int, kind: Kind)?
            if isASCIILetter(c), let end = matchLink(b, i) { match = (end, .profileLink) }
            if match == nil, c != UInt8(ascii: "+"), c != UInt8(ascii: "@"), !wordCharBefore(b, i), let end = matchEmail(b, i) { match = (end, .email) }
            if match == nil, c == UInt8(ascii: "@"), let end = matchHandle(b, i) { match = (end, .handle) }
            if match == nil, numeric, let found = matchNumber(b, i) { match = found }
            guard let (end, kind) = match else {
                // Skip the rest of this run of letters (or digits): a match never starts inside one.
                i += 1
                while i < b.count, numeric ? isDigit(b[i]) : isASCIILetter(b[i]) { i += 1 }
                continue
            }
            let start = scalarOffset(i)
            let length = scalarOffset(end) - start
            removals.append(Removal(kind: kind, start: start, length: length))
            out.append(contentsOf: b[copied..<i])
            out.append(contentsOf: kind.marker.utf8)
            copied = end
            i = end
        }
        if copied == 0 && removals.isEmpty { return Result(text: String(decoding: b, as: UTF8.self), removals: []) }
        out.append(contentsOf: b[copied..<b.count])
        return Result(text: String(decoding: out, as: UTF8.self), removals: removals)
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always) static func isASCIIAlnum(_ c: UInt8) -> Bool { isDigit(c) || isASCIILetter(c) }

    /// The scalar that starts at `index` (UTF-8), if any.
    static func scalar(_ b: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        let c = b[index]
        if c < 0x80 { return UInt32(c) }
        var value = UInt32(c & (c >= 0xF0 ? 0x07 : c >= 0xE0 ? 0x0F : 0x1F))
        var j = index + 1
        while j < b.count, b[j] & 0xC0 == 0x80 {
            value = value << 6 | UInt32(b[j] & 0x3F)
            j += 1
        }
        return value
    }

    /// Letters of any script are word characters; punctuation and spaces, ASCII or not, are not.
    static func isWordScalar(_ v: UInt32) -> Bool {
        if v < 0x80 { return isASCIIAlnum(UInt8(v)) || v == 0x5F }
        if v < 0xC0 { return false }  // Latin-1 punctuation, no-break space
        if (0x2000...0x206F).contains(v) || (0x3000...0x303F).contains(v) || (0xFF00...0xFF0F).contains(v) { return false }
        return true
    }

    static func wordCharBefore(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i > 0 else { return false }
        var j = i - 1
        while j > 0, b[j] & 0xC0 == 0x80 { j -= 1 }
        return isWordScalar(scalar(b, at: j))
    }

    /// Byte classes as bit masks over ASCII (no byte above 0x7F is in any), so that a test is
    /// a shift and needs no table: URL bytes (printable ASCII but quotes, angle brackets,
    /// parentheses, brackets, braces, the vertical bar, backslash, caret, backquote and comma),
    /// bytes of an e-mail's local part (letters, digits and `._%+-`), and punctuation that may
    /// trail a link without being part of it (`.;:!?`). The scrubber tests check the masks
    /// against these definitions.
    static let urlBytes: (UInt64, UInt64) = (0xAFFF_EC7A_0000_0000, 0x47FF_FFFE_87FF_FFFF)
    static let localPartBytes: (UInt64, UInt64) = (0x03FF_6820_0000_0000, 0x07FF_FFFE_87FF_FFFE)
    static let trailingBytes: (UInt64, UInt64) = (0x8C00_4002_0000_0000, 0)

    @inline(__always) static func isIn(_ c: UInt8, _ mask: (UInt64, UInt64)) -> Bool {
        c < 64 ? (mask.0 >> UInt64(c)) & 1 != 0 : c < 128 ? (mask.1 >> UInt64(c &- 64)) & 1 != 0 : false
    }

    @inline(__always) static func isURLByte(_ c: UInt8) -> Bool { isIn(c, urlBytes) }

    static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ end: Int, _ prefix: [UInt8]) -> Bool {
        guard end - at >= prefix.count else { return false }
        for k in 0..<prefix.count where b[at + k] | (isASCIILetter(b[at + k]) ? 0x20 : 0) != prefix[k] { return false }
        return true
    }

    static let schemes: [[UInt8]] = ["https://", "http://"].map { Array($0.utf8) }
    static let subdomains: [[UInt8]] = ["www.", "m.", "vn."].map { Array($0.utf8) }

    /// A link to a profile on a social network, with or without scheme and www.
    static func matchLink(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var end = start
        var slash = false
        while end < b.count, isURLByte(b[end]) {
            if b[end] == UInt8(ascii: "/") { slash = true }
            end += 1
        }
        guard slash else { return nil }  // every profile link has a path
        while end > start, isIn(b[end - 1], trailingBytes) { end -= 1 }
        var at = start
        for scheme in schemes where hasPrefix(b, at, end, scheme) {
            at += scheme.count
            break
        }
        for sub in subdomains where hasPrefix(b, at, end, sub) {
            at += sub.count
            break
        }
        for host in socialHosts where end - at > host.count + 1 && hasPrefix(b, at, end, host) && b[at + host.count] == UInt8(ascii: "/") {
            return end
        }
        return nil
    }

    static func matchEmail(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var at = start
        while at < b.count, isIn(b[at], localPartBytes) { at += 1 }
        guard at > start, at < b.count, b[at] == UInt8(ascii: "@") else { return nil }
        var end = at + 1
        var lastDot = -1
        while end < b.count, isASCIIAlnum(b[end]) || b[end] == UInt8(ascii: ".") || b[end] == UInt8(ascii: "-") {
            if b[end] == UInt8(ascii: ".") { lastDot = end }
            end += 1
        }
        while end > at + 1, b[end - 1] == UInt8(ascii: ".") {
            end -= 1
            lastDot = -1
            for k in (at + 1)..<end where b[k] == UInt8(ascii: ".") { lastDot = k }
        }
        guard lastDot > at + 1, end - lastDot - 1 >= 2, (lastDot + 1..<end).allSatisfy({ isASCIILetter(b[$0]) }) else { return nil }
        return end
    }

    static func matchHandle(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var end = start + 1
        while end < b.count, isASCIIAlnum(b[end]) || b[end] == UInt8(ascii: "_") || b[end] == UInt8(ascii: ".") { end += 1 }
        while end > start + 1, b[end - 1] == UInt8(ascii: ".") { end -= 1 }
        return end - start >= 3 ? end : nil
    }

    /// A run of digits with single separators between groups, classified by its digits and shape.
    static func matchNumber(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> (Int, Kind)? {
        var i = start
        let plus = b[i] == UInt8(ascii: "+")
        if plus {
            i += 1
            guard i < b.count, isDigit(b[i]) else { return nil }
        }
        var n = 0  // digits
        var leading: (UInt8, UInt8, UInt8) = (0, 0, 0)  // the first three digits
        var separators: UInt8 = 0  // bit 0 space, bit 1 dot, bit 2 hyphen
        var groups = 1
        var groupLength = 0
        var groupsOfThreeOrFour = true
        var end = i
        while i < b.count {
            let c = b[i]
            if isDigit(c) {
                switch n {
                case 0: leading.0 = c
                case 1: leading.1 = c
                case 2: leading.2 = c
                default: break
                }
                n += 1
                groupLength += 1
                i += 1
                end = i
            } else if c == 0x20 || c == UInt8(ascii: ".") || c == UInt8(ascii: "-"), i + 1 < b.count, isDigit(b[i + 1]), n > 0, n < 16 {
                separators |= c == 0x20 ? 1 : c == UInt8(ascii: ".") ? 2 : 4
                if groupLength != 3 && groupLength != 4 { groupsOfThreeOrFour = false }
                groups += 1
                groupLength = 0
                i += 1
            } else {
                break
            }
        }
        if groupLength != 3 && groupLength != 4 { groupsOfThreeOrFour = false }
        let starts84 = n >= 2 && leading.0 == UInt8(ascii: "8") && leading.1 == UInt8(ascii: "4")
        let leadingZero = leading.0 == UInt8(ascii: "0")
        if plus || starts84 {
            if starts84, n == 11 || (n == 12 && leading.2 == UInt8(ascii: "2")) { return (end, .phone) }
            if plus { return nil }
        }
        if leadingZero, n == 10 || (n == 11 && leading.1 == UInt8(ascii: "2")) { return (end, .phone) }
        // Citizen IDs: 12 digits (căn cước) or 9 (old CMND), solid or in groups of 3 or 4 with
        // spaces or hyphens. Amounts written with dots (150.000.000) are not IDs.
        if n == 12 || n == 9 {
            if groups == 1 { return (end, .citizenID) }
            if separators == 1 || separators == 4, groupsOfThreeOrFour { return (end, .citizenID) }
        }
        return nil
    }
}
