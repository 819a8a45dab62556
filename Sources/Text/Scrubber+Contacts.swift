extension Scrubber {
    static let socialHosts: [[UInt8]] = [
        "facebook.com", "fb.com", "fb.me", "fb.watch", "messenger.com", "m.me", "zalo.me", "tiktok.com", "youtube.com",
        "youtu.be", "instagram.com", "instagr.am", "threads.net", "threads.com", "t.me", "telegram.me", "x.com",
        "twitter.com", "linkedin.com",
    ].map { Array($0.utf8) }

    static let schemes: [[UInt8]] = ["https://", "http://"].map { Array($0.utf8) }

    /// A link to a profile on a social network, with or without a scheme, on the network's host
    /// or any subdomain of it (www., m., vn., web.).
    static func matchLink(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var end = start
        var slash = -1
        while end < b.count {
            if isURLByte(b[end]) {
                if slash < 0, b[end] == UInt8(ascii: "/") { slash = end }
                end += 1
            } else if slash >= 0, b[end] >= 0x80, isWordScalar(scalar(b, at: end)) {
                // A path may hold Vietnamese letters (facebook.com/people/Trần-Văn-Hùng/…).
                end += 1
                while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
            } else {
                break
            }
        }
        guard slash >= 0 else { return nil }  // every profile link has a path
        while end > start, isIn(b[end - 1], trailingBytes) { end -= 1 }
        var host = start
        for scheme in schemes where hasPrefix(b, host, end, scheme) {
            host += scheme.count
            slash = host
            while slash < end, b[slash] != UInt8(ascii: "/") { slash += 1 }
            break
        }
        guard slash < end - 1 else { return nil }  // a path after the host
        for name in socialHosts where slash - host >= name.count && hasPrefix(b, slash - name.count, slash, name) {
            if slash - host == name.count || b[slash - name.count - 1] == UInt8(ascii: ".") { return end }
        }
        return nil
    }

    /// A passport number (one capital letter and seven digits) or a health-insurance card
    /// number (two letters and thirteen digits), standing as a word of its own.
    static func matchCode(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> (Int, Kind)? {
        var letters = 0
        var j = start
        while j < b.count, isASCIILetter(b[j]), letters < 3 {
            letters += 1
            j += 1
        }
        var digits = 0
        while j < b.count, isDigit(b[j]) {
            digits += 1
            j += 1
        }
        // A health-insurance card in its printed groups: "HT 3 42 4207316825", "GD4 42 42 07 915 364".
        if letters == 2 {
            var k = j, spaced = digits
            while k + 1 < b.count, spaced < 13 {
                if isDigit(b[k]) {
                    spaced += 1
                    k += 1
                } else if b[k] == 0x20, isDigit(b[k + 1]) {
                    k += 1
                } else {
                    break
                }
            }
            if k < b.count, isDigit(b[k]), spaced < 13 { spaced += 1; k += 1 }
            if spaced == 13, k == b.count || !isDigit(b[k]), !wordCharAt(b, k) { return (k, .socialInsurance) }
        }
        guard !wordCharAt(b, j), !(j + 1 < b.count && (b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: "-")) && isASCIIAlnum(b[j + 1])) else { return nil }
        // Inside a path, a file name or a code ("/tmp/x-A1623531/", "A1234567.pdf"): not a document number.
        func joiner(_ c: UInt8) -> Bool { c == UInt8(ascii: "/") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "\\") }
        if start > 0, joiner(b[start - 1]) { return nil }
        if j < b.count, b[j] == UInt8(ascii: "/") || b[j] == UInt8(ascii: "_") || b[j] == UInt8(ascii: "\\") { return nil }
        if letters == 1, digits == 7, b[start] <= UInt8(ascii: "Z"), Context.cue(before: start, b) != .serial { return (j, .passport) }
        if letters == 1, digits == 7 || digits == 8, Context.cue(before: start, b) == .label(.passport) { return (j, .passport) }
        if letters == 2, digits == 13 { return (j, .socialInsurance) }
        return nil
    }

    /// A Vietnamese licence plate ("38A-123.45", "38F1 234.56", "38-B1 567.89", "38A12345"):
    /// two digits, one or two letters and perhaps a digit, then four or five digits.
    static func matchPlate(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var j = start
        guard j + 1 < b.count, isDigit(b[j]), isDigit(b[j + 1]) else { return nil }
        j += 2
        if j < b.count, b[j] == UInt8(ascii: "-") || b[j] == 0x20 { j += 1 }
        var letters = 0
        while j < b.count, isASCIILetter(b[j]), letters < 2 {
            letters += 1
            j += 1
        }
        guard letters > 0 else { return nil }
        // Then four to six digits (a series digit, 38F1, and five), with one separator after the
        // series digit or the letters ("-", " ", ".", " - ") and one dot among the last five.
        if j + 2 < b.count, b[j] == 0x20, b[j + 1] == UInt8(ascii: "-"), b[j + 2] == 0x20 {
            j += 3
        } else if j < b.count, b[j] == UInt8(ascii: "-") || b[j] == 0x20 || b[j] == UInt8(ascii: ".") {
            j += 1
        }
        var digits = 0
        var separators = 0
        while j < b.count {
            if isDigit(b[j]) {
                digits += 1
                j += 1
            } else if j + 3 < b.count, b[j] == 0x20, b[j + 1] == UInt8(ascii: "-"), b[j + 2] == 0x20, separators < 2, digits > 0, isDigit(b[j + 3]) {
                separators += 1
                j += 3
            } else if b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: "-") || b[j] == 0x20, separators < 2, digits > 0, j + 1 < b.count, isDigit(b[j + 1]) {
                separators += 1
                j += 1
            } else {
                break
            }
        }
        guard (4...6).contains(digits), !wordCharAt(b, j) else { return nil }
        return j
    }

    /// Spelled-out "@" and "." (matched with ASCII letters in any case; "cÒng" and "chẤm" are
    /// the capitals of the Vietnamese letters).
    static let atWords: [[UInt8]] = ["at", "@", "a còng", "a cÒng", "a cong", "acong"].map { Array($0.utf8) }
    static let dotWords: [[UInt8]] = ["dot", "chấm", "chẤm", "cham", "."].map { Array($0.utf8) }
    /// Only in parentheses: "(a)".
    static let bracketedAtWords: [[UInt8]] = ["a"].map { Array($0.utf8) }
    /// Mail providers written without their domain ("abc@gmail").
    static let providers: Set<[UInt8]> = Set(["gmail", "yahoo", "hotmail", "outlook", "icloud", "ymail"].map { Array($0.utf8) })
    static let domainEnds: Set<[UInt8]> = Set(["com", "vn", "net", "org", "edu", "gov", "info", "biz", "io", "me", "co", "us", "uk"].map { Array($0.utf8) })

    /// An e-mail address whose "@" (or a spelled-out one: " at ", "[at]", " a còng ") is at `i`:
    /// the local part before it, which may hold Vietnamese letters, is read backwards, never
    /// further back than `notBefore`. A spelled-out address must end in a common domain.
    static func matchEmail(_ b: UnsafeBufferPointer<UInt8>, at i: Int, notBefore: Int) -> (Int, Int)? {
        guard i > notBefore else { return nil }
        guard var (j, spelled) = separator(b, i, bare: UInt8(ascii: "@"), words: atWords) else { return nil }
        // The local part.
        var start = i
        while start > notBefore {
            let s = scalarStart(before: start, b)
            let v = scalar(b, at: s)
            guard v < 0x80 ? isIn(UInt8(v), localPartBytes) : isWordScalar(v) else { break }
            start = s
        }
        while start < i, b[start] == UInt8(ascii: ".") { start += 1 }
        guard start < i else { return nil }
        // The domain: labels joined by dots, plain or spelled out.
        var labels = 0
        var end = j
        var last = j..<j
        while true {
            let label = j
            while j < b.count, isASCIIAlnum(b[j]) || b[j] == UInt8(ascii: "-") { j += 1 }
            guard j > label else { break }
            labels += 1
            end = j
            last = label..<j
            guard let (next, spelledDot) = separator(b, j, bare: UInt8(ascii: "."), words: dotWords) else { break }
            spelled = spelled || spelledDot
            j = next
        }
        // "abc@gmail,com": a comma typed for the dot before a common domain.
        if labels == 1, end + 1 < b.count, b[end] == UInt8(ascii: ","), providers.contains(b[last].map { $0 | 0x20 }) {
            var k = end + 1
            while k < b.count, isASCIILetter(b[k]) { k += 1 }
            if domainEnds.contains(b[(end + 1)..<k].map { $0 | 0x20 }) { return (start, k) }
        }
        // "abc@gmail": a known provider needs no domain.
        if labels == 1, !spelled, providers.contains(b[last].map { $0 | 0x20 }), !(end < b.count && b[end] == UInt8(ascii: "/")) { return (start, end) }
        guard labels >= 2, last.count >= 2, b[last].allSatisfy(isASCIILetter) else { return nil }
        if spelled, !domainEnds.contains(b[last].map { $0 | 0x20 }) { return nil }
        return (start, end)
    }

    /// One of `words` at `i`: bare ("@", "."), bracketed ("[at]", "(dot)"), or between spaces
    /// (" at ", " chấm "). Returns where what follows starts, and whether it was spelled out.
    static func separator(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, bare: UInt8, words: [[UInt8]]) -> (Int, Bool)? {
        guard i < b.count else { return nil }
        // Full-width "＠" and "．" (U+FF20, U+FF0E), as phones type them.
        if b[i] == 0xEF, i + 3 < b.count, b[i + 1] == 0xBC, b[i + 2] == (bare == UInt8(ascii: "@") ? 0xA0 : 0x8E), isASCIIAlnum(b[i + 3]) {
            return (i + 3, false)
        }
        if b[i] == bare {
            if i + 1 < b.count, isASCIIAlnum(b[i + 1]) { return (i + 1, false) }
            // "x@ gmail.com": a space after the sign.
            if bare == UInt8(ascii: "@"), i + 2 < b.count, b[i + 1] == 0x20, isASCIIAlnum(b[i + 2]) { return (i + 2, true) }
            return nil
        }
        var j = i
        let spaced = b[j] == 0x20
        if spaced { j += 1 }
        guard j < b.count else { return nil }
        let open = b[j]
        let close: UInt8? = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : open == UInt8(ascii: "(") ? UInt8(ascii: ")") : open == UInt8(ascii: "{") ? UInt8(ascii: "}") : nil
        if close != nil { j += 1 }
        guard close != nil || spaced, j < b.count else { return nil }
        // Every spelled-out word starts with one of these: most spaces in a text end here.
        let first = b[j] | (isASCIILetter(b[j]) ? 0x20 : 0)
        guard first == bare || first == UInt8(ascii: "a") || first == UInt8(ascii: "d") || first == UInt8(ascii: "c") || first == UInt8(ascii: "@") || first == UInt8(ascii: ".") else { return nil }
        let parenthesizedA = open == UInt8(ascii: "(") && bare == UInt8(ascii: "@")
        for index in 0..<(words.count + (parenthesizedA ? bracketedAtWords.count : 0)) {
            let word = index < words.count ? words[index] : bracketedAtWords[index - words.count]
            guard hasPrefix(b, j, b.count, word) else { continue }
            var k = j + word.count
            if let close {
                guard k < b.count, b[k] == close else { continue }
                k += 1
                if k < b.count, b[k] == 0x20 { k += 1 }
            } else if word.count > 1 || word[0] != bare {
                guard k < b.count, b[k] == 0x20 else { continue }
                k += 1
            } else if k < b.count, b[k] == 0x20 {
                k += 1  // " @ " and " . ", or " @" and " ." glued to what follows
            }
            guard k < b.count, isASCIIAlnum(b[k]) else { continue }
            return (k, true)
        }
        return nil
    }

    static func matchHandle(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var end = start + 1
        while end < b.count {
            if isASCIIAlnum(b[end]) || b[end] == UInt8(ascii: "_") || b[end] == UInt8(ascii: ".") {
                end += 1
            } else if b[end] >= 0x80, isWordScalar(scalar(b, at: end)) {
                // "@Nguyễn_Thị_Hoa": Vietnamese letters in a handle.
                end += 1
                while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
            } else {
                break
            }
        }
        while end > start + 1, b[end - 1] == UInt8(ascii: ".") { end -= 1 }
        return end - start >= 3 ? end : nil
    }
}
