/// Removes personal identifiers from free text before it is stored: citizen ID numbers (12
/// and 9 digits, in any grouping, in ASCII or full-width digits), passports, tax codes,
/// social-insurance and bank account numbers and licence plates where the text labels them,
/// Vietnamese phone numbers in their written forms (+84, 84 or 0; mobiles of 10 and the old 11
/// digits; landlines with their area code, in parentheses or not), e-mail addresses (Unicode
/// local parts, and the usual obfuscations: "[at]", "(at)", " a còng ", "[dot]", " chấm "),
/// links to social-media profiles with or without a scheme, and @handles. Each is replaced by
/// a marker, and the result says how many of each kind it removed and where.
///
/// It keeps what a report needs: amounts of money, population and counts, dates and times,
/// legal document numbers, unit codes, public hotlines (113, 1800/1900 numbers), official
/// sites and hashtags. A bare 9- or 12-digit number is judged by its context: a money or
/// population word before or after it keeps it; otherwise it is taken for an ID.
///
/// The scrubber scans UTF-8 bytes; the patterns are ASCII, so Vietnamese letters count as word
/// characters (a match never starts or ends inside a word) and Unicode punctuation does not.
/// The words around a number (labels such as "STK", money words such as "đồng") are read only
/// when a number is long enough to need them.
public enum Scrubber {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case citizenID = "citizen-id"
        case passport
        case taxCode = "tax-code"
        case socialInsurance = "social-insurance"
        case bankAccount = "bank-account"
        case licencePlate = "licence-plate"
        case phone
        case email
        case profileLink = "profile-link"
        case handle
        /// A member of the public's name (``Names``); found by `scrub`, not by `find`, since
        /// stores rightly hold the network's own officials' names.
        case personName = "person-name"

        /// The marker left in the text, in Vietnamese.
        public var marker: String {
            switch self {
            case .citizenID: return "[số định danh]"
            case .passport: return "[số hộ chiếu]"
            case .taxCode: return "[mã số thuế]"
            case .socialInsurance: return "[số bảo hiểm]"
            case .bankAccount: return "[số tài khoản]"
            case .licencePlate: return "[biển số]"
            case .phone: return "[số điện thoại]"
            case .email: return "[email]"
            case .profileLink: return "[liên kết cá nhân]"
            case .handle: return "[tài khoản]"
            case .personName: return "[họ tên]"
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

        public var counts: [(kind: Kind, count: Int)] { Scrubber.counts(removals) }
    }

    /// How many of each kind, in the order of `Kind`, kinds with none left out.
    public static func counts(_ removals: [Removal]) -> [(kind: Kind, count: Int)] {
        Kind.allCases.compactMap { kind in
            let n = removals.filter { $0.kind == kind }.count
            return n > 0 ? (kind, n) : nil
        }
    }

    public static func scrub(_ input: String) -> Result {
        var input = input
        return input.withUTF8 { scrub(bytes: $0) }
    }

    static func scrub(bytes b: UnsafeBufferPointer<UInt8>) -> Result {
        var out = [UInt8]()
        var removals: [Removal] = []
        var copied = 0  // bytes of `b` already in `out`
        var scalarsBefore = 0  // Unicode scalars in b[0..<counted]
        var counted = 0
        func scalarOffset(_ index: Int) -> Int {
            while counted < index {
                if b[counted] & 0xC0 != 0x80 { scalarsBefore += 1 }
                counted += 1
            }
            return scalarsBefore
        }
        func remove(_ start: Int, _ end: Int, _ kind: Kind) {
            if out.isEmpty { out.reserveCapacity(b.count + 16) }
            let from = scalarOffset(start)
            removals.append(Removal(kind: kind, start: from, length: scalarOffset(end) - from))
            out.append(contentsOf: b[copied..<start])
            out.append(contentsOf: kind.marker.utf8)
            copied = end
        }
        // Identifiers and names, in order; a name that overlaps an identifier goes with it.
        let names = Names.find(in: b)
        var next = 0
        find(in: b) { start, end, kind in
            while next < names.count, names[next].start < start {
                if names[next].end <= start { remove(names[next].start, names[next].end, .personName) }
                next += 1
            }
            while next < names.count, names[next].start < end { next += 1 }
            remove(start, end, kind)
        }
        for name in names[next...] where name.start >= copied { remove(name.start, name.end, .personName) }
        if removals.isEmpty { return Result(text: String(decoding: b, as: UTF8.self), removals: []) }
        out.append(contentsOf: b[copied..<b.count])
        return Result(text: String(decoding: out, as: UTF8.self), removals: removals)
    }

    /// Finds the identifiers in `b`, in order and without overlap, as byte ranges. Bytes that
    /// are not UTF-8 text (a database page, say) separate words like punctuation does.
    public static func find(in b: UnsafeBufferPointer<UInt8>, _ found: (_ start: Int, _ end: Int, _ kind: Kind) -> Void) {
        var copied = 0  // the end of the last identifier found
        func remove(_ start: Int, _ end: Int, _ kind: Kind) {
            found(start, end, kind)
            copied = end
        }
        var i = 0
        while i < b.count {
            let c = b[i]
            // E-mail addresses are found at their "@" (or a spelled-out one) and read backwards
            // for the local part, which may hold Vietnamese letters.
            if c == UInt8(ascii: "@") || c == UInt8(ascii: " ") || c == UInt8(ascii: "[") || c == UInt8(ascii: "(") || c == UInt8(ascii: "{") || c == 0xEF {
                if let (start, end) = matchEmail(b, at: i, notBefore: copied) {
                    remove(start, end, .email)
                    i = end
                    continue
                }
                if c == UInt8(ascii: "@"), !wordCharBefore(b, i), let end = matchHandle(b, i) {
                    remove(i, end, .handle)
                    i = end
                    continue
                }
                // A parenthesis may open a phone number ("(0239) 3855 123"), and 0xEF a full-width
                // digit; the rest start nothing.
                if !(c == UInt8(ascii: "(") && startsNumber(b, i + 1)) && digit(b, i) == nil {
                    i += 1
                    continue
                }
            }
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "(") || digit(b, i) != nil {
                // Numbers glued to letters ("SĐT0912345678") still count; a number never starts
                // inside another one.
                guard !digitBefore(b, i), !(c == UInt8(ascii: "+") && wordCharBefore(b, i)) else {
                    i += 1
                    continue
                }
                let plate = c == UInt8(ascii: "(") ? i + 1 : i  // "(38B-012.34)"
                if let end = matchPlate(b, plate), Context.cue(before: plate, b) == .label(.licencePlate) {
                    remove(plate, end, .licencePlate)
                    i = end
                    continue
                }
                let run = NumberRun(b, i)
                guard !run.chunks.isEmpty else {
                    i += 1
                    continue
                }
                // Digits inside a code such as "000.00.25.H42-261203-0007" are not an identifier.
                if !insideCode(b, i, end: run.end) {
                    for found in run.identifiers(b) {
                        let (start, end) = widened(b, found.start, found.end, found.kind)
                        if start >= copied { remove(start, end, found.kind) }
                    }
                }
                i = max(run.end, copied)
                continue
            }
            if isASCIILetter(c), !wordCharBefore(b, i) {
                if let end = matchLink(b, i) {
                    remove(i, end, .profileLink)
                    i = end
                    continue
                }
                if let (end, kind) = matchCode(b, i) {
                    remove(i, end, kind)
                    i = end
                    continue
                }
                // Skip the rest of this run of letters: a match never starts inside one.
                i += 1
                while i < b.count, isASCIILetter(b[i]) { i += 1 }
                continue
            }
            i += 1
        }
    }

    /// Whether the number at `i` is glued to letters that follow digits or code punctuation
    /// ("25.H42…", "A1-B42…"), not to a label ("SĐT0912…").
    static func insideCode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, end: Int) -> Bool {
        // A run followed at once by capital letters is a code or a tracking number ("EB…VN").
        if end + 1 < b.count, b[end] >= UInt8(ascii: "A"), b[end] <= UInt8(ascii: "Z"), b[end + 1] >= UInt8(ascii: "A"), b[end + 1] <= UInt8(ascii: "Z") { return true }
        // "PA-2024…", "BIDV-7382…", "#12345…": a code's prefix, unless it is a label ("SĐT-…").
        if i >= 1, b[i - 1] == UInt8(ascii: "#") { return true }  // an order's or a case's number
        if i >= 2, b[i - 1] == UInt8(ascii: "-"), isASCIIAlnum(b[i - 2]) {
            return !Context.isPersonalLabel(gluedWord(b, before: i - 1))
        }
        // Capital letters glued in front that are no label ("FT2408…", "SPXVN…", but not "CCCD…").
        var capitals = i
        while capitals > 0, b[capitals - 1] >= UInt8(ascii: "A"), b[capitals - 1] <= UInt8(ascii: "Z") { capitals -= 1 }
        if i - capitals >= 2, !wordCharBefore(b, capitals), !Context.isPersonalLabel(b[capitals..<i].map { $0 | 0x20 }) { return true }
        var j = i
        var letters = 0
        while j > 0 {
            let s = scalarStart(before: j, b)
            let v = scalar(b, at: s)
            guard isWordScalar(v), !(v < 0x80 && isDigit(UInt8(v))) else { break }
            letters += 1
            j = s
        }
        guard letters > 0, j > 0 else { return false }
        let c = b[j - 1]
        return isDigit(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "/") || c == UInt8(ascii: "_")
    }

    /// The ASCII letters and digits right before `i`, folded to lowercase.
    static func gluedWord(_ b: UnsafeBufferPointer<UInt8>, before i: Int) -> [UInt8] {
        var j = i
        while j > 0, isASCIIAlnum(b[j - 1]) { j -= 1 }
        return b[j..<i].map { isASCIILetter($0) ? $0 | 0x20 : $0 }
    }

    /// A found number with what belongs to it around: a passport's letter before its digits
    /// ("C 5902613", full-width "Ｃ５…"), a tax code's branch suffix ("0101234567 - 002").
    static func widened(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ kind: Kind) -> (Int, Int) {
        switch kind {
        case .passport:
            var j = start
            if j > 0, b[j - 1] == 0x20 { j -= 1 }
            guard j > 0 else { return (start, end) }
            let s = scalarStart(before: j, b)
            let v = scalar(b, at: s)
            let letter = (v < 0x80 && isASCIILetter(UInt8(v))) || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v)
            return letter && !wordCharBefore(b, s) ? (s, end) : (start, end)
        case .taxCode:
            var j = end
            if j < b.count, b[j] == 0x20 { j += 1 }
            guard j < b.count, b[j] == UInt8(ascii: "-") else { return (start, end) }
            j += 1
            if j < b.count, b[j] == 0x20 { j += 1 }
            var digits = 0
            while j + digits < b.count, isDigit(b[j + digits]) { digits += 1 }
            return digits == 3 ? (start, j + 3) : (start, end)
        default:
            return (start, end)
        }
    }

    // MARK: Bytes and scalars

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always) static func isASCIIAlnum(_ c: UInt8) -> Bool { isDigit(c) || isASCIILetter(c) }

    /// The digit at `i`, ASCII or full-width (U+FF10–U+FF19), and its length in bytes.
    @inline(__always) static func digit(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt8, length: Int)? {
        let c = b[i]
        if isDigit(c) { return (c &- 0x30, 1) }
        if c == 0xEF, i + 2 < b.count, b[i + 1] == 0xBC, b[i + 2] >= 0x90, b[i + 2] <= 0x99 { return (b[i + 2] &- 0x90, 3) }
        return nil
    }

    static func digitBefore(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i > 0 else { return false }
        if isDigit(b[i - 1]) { return true }
        return i >= 3 && b[i - 3] == 0xEF && b[i - 2] == 0xBC && b[i - 1] >= 0x90 && b[i - 1] <= 0x99
    }

    /// Whether a number (or "+" and a number) starts at `i`.
    static func startsNumber(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "+") { return i + 1 < b.count && digit(b, i + 1) != nil }
        return digit(b, i) != nil
    }

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

    /// The index of the first byte of the scalar that ends just before `i`.
    static func scalarStart(before i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var j = i - 1
        while j > 0, b[j] & 0xC0 == 0x80 { j -= 1 }
        return j
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
        return isWordScalar(scalar(b, at: scalarStart(before: i, b)))
    }

    static func wordCharAt(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i < b.count && isWordScalar(scalar(b, at: i))
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

    /// Whether `b[at...]` starts with `prefix` (lowercase ASCII), ignoring the case of letters.
    static func hasPrefix(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ end: Int, _ prefix: [UInt8]) -> Bool {
        guard at >= 0, end - at >= prefix.count else { return false }
        for k in 0..<prefix.count where b[at + k] | (isASCIILetter(b[at + k]) ? 0x20 : 0) != prefix[k] { return false }
        return true
    }
}
