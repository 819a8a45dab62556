extension Scrubber {
    /// Numbers written one after another with single spaces between them ("0912 345 678",
    /// "(0239) 3855 123", "042 095 012 345"): chunks of digit groups joined by dots or hyphens,
    /// the first perhaps after "+" or in parentheses. Which consecutive chunks form an
    /// identifier is decided by their digits, their shape and the words around them.
    struct NumberRun {
        struct Chunk {
            var start: Int  // bytes, from "(" or "+" if there is one
            var end: Int
            var digits: Range<Int>  // into `digits`
            var plus = false
            var parenthesized = false
            /// Touches a "/": part of a date or a document number ("123/2024/NĐ-CP").
            var slashed = false
        }

        var chunks: [Chunk] = []
        var digits: [UInt8] = []
        /// Where reading stopped.
        var end: Int
        /// Written as one number grouped in thousands ("150.000.000", "186 123 456", "84 912
        /// 345 678"): a first group of one to three digits, then groups of three, one kind of
        /// separator. Such a run is judged whole, never split.
        var thousands = false

        init(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) {
            var j = start
            var groups: [Int] = []
            var separators: UInt8 = 0  // bit 0 space, bit 1 dot, bit 2 hyphen
            while j < b.count, chunks.count < 16 {
                var chunk = Chunk(start: j, end: j, digits: digits.count..<digits.count)
                if b[j] == UInt8(ascii: "(") {
                    chunk.parenthesized = true
                    j += 1
                }
                if j < b.count, b[j] == UInt8(ascii: "+") {
                    chunk.plus = true
                    j += 1
                }
                var open = chunk.parenthesized
                var group = 0
                while j < b.count {
                    if let d = Scrubber.digit(b, j) {
                        digits.append(d.value)
                        group += 1
                        j += d.length
                        continue
                    }
                    if open, b[j] == UInt8(ascii: ")"), group > 0 {
                        open = false
                        j += 1
                        groups.append(group)
                        group = 0
                        separators |= 8
                        if j + 1 < b.count, b[j] == 0x20, Scrubber.digit(b, j + 1) != nil { break }
                        continue
                    }
                    if group > 0, let (dot, length) = Scrubber.groupSeparator(b, j), j + length < b.count, Scrubber.digit(b, j + length) != nil {
                        separators |= dot ? 2 : 4
                        groups.append(group)
                        group = 0
                        j += length
                        continue
                    }
                    break
                }
                if group > 0 { groups.append(group) }
                chunk.digits = chunk.digits.lowerBound..<digits.count
                if open {
                    // "(" that no ")" closes is not part of the number.
                    chunk.parenthesized = false
                    chunk.start += 1
                }
                guard !chunk.digits.isEmpty else {
                    j = chunk.start
                    break
                }
                chunk.end = j
                chunk.slashed = (chunk.start > 0 && b[chunk.start - 1] == UInt8(ascii: "/")) || (j < b.count && b[j] == UInt8(ascii: "/"))
                chunks.append(chunk)
                // One space (or " - ", " . "), then another number: the same run.
                if j + 3 < b.count, b[j] == 0x20, b[j + 1] == UInt8(ascii: "-") || b[j + 1] == UInt8(ascii: "."), b[j + 2] == 0x20, Scrubber.startsChunk(b, j + 3) {
                    separators |= 4
                    j += 3
                    continue
                }
                // Spaces as text pasted from a document has them: no-break and thin spaces, two
                // spaces, a tab.
                let space = Scrubber.spaceLength(b, j)
                guard space > 0, j + space < b.count, Scrubber.startsChunk(b, j + space) else { break }
                separators |= 1
                j += space
            }
            end = chunks.last?.end ?? start
            let first = chunks.first
            thousands = first.map { !$0.plus && !$0.parenthesized } ?? false
                && groups.count >= 2 && (1...3).contains(groups[0]) && groups.dropFirst().allSatisfy { $0 == 3 }
                && (separators == 1 || separators == 2)
        }

        /// The identifiers in this run: the longest span of chunks that is one, from the left.
        func identifiers(_ b: UnsafeBufferPointer<UInt8>) -> [(start: Int, end: Int, kind: Kind)] {
            // Years side by side ("2023 2024 2025") are years.
            if chunks.count > 1, chunks.allSatisfy({ $0.digits.count == 4 && [1, 2].contains(digits[$0.digits.lowerBound]) && [9, 0].contains(digits[$0.digits.lowerBound + 1]) }) { return [] }
            if thousands {
                var cue: Context.Cue?? = nil
                guard let kind = classify(0, chunks.count - 1, b, cue: &cue) else { return [] }
                return [(chunks[0].start, end, kind)]
            }
            var found: [(start: Int, end: Int, kind: Kind)] = []
            var s = 0
            while s < chunks.count {
                // Up to six chunks; more only when every one is a single digit ("0 9 1 2 …").
                var single = s
                while single < chunks.count, chunks[single].digits.count == 1 { single += 1 }
                var e = max(min(chunks.count - 1, s + 5), single - 1)
                let spelled = single - s >= 6  // "8 0 6 1 4 2 7 5 3 9": one number, never split
                if let hotline = hotlineEnd(from: s) {
                    s = hotline + 1  // "1900 545 413": the whole number is the hotline's
                    continue
                }
                // The words before chunk s are read once for every span that starts there.
                var cue: Context.Cue?? = nil
                while e >= s {
                    if let kind = classify(s, e, b, cue: &cue) {
                        found.append((chunks[s].start, chunks[e].end, kind))
                        break
                    }
                    if spelled {
                        // Nine digits or more read out one by one are someone's number being dictated.
                        if single - s >= 9 { found.append((chunks[s].start, chunks[single - 1].end, .citizenID)) }
                        e = single - 1
                        break
                    }
                    e -= 1
                }
                s = max(e, s) + 1
            }
            return found
        }

        /// The last chunk of a 1800 or 1900 number (8 to 10 digits) that starts at chunk `s`.
        func hotlineEnd(from s: Int) -> Int? {
            let d = digits[chunks[s].digits.lowerBound...]
            guard d.starts(with: [1, 8, 0, 0]) || d.starts(with: [1, 9, 0, 0]) else { return nil }
            var e = s
            var n = chunks[s].digits.count
            while n < 8, e + 1 < chunks.count {
                e += 1
                n += chunks[e].digits.count
            }
            return (8...10).contains(n) ? e : nil
        }

        /// What chunks `s...e` are, read as one number. `cachedCue` holds the cue before chunk s
        /// once read (nil: not read yet).
        func classify(_ s: Int, _ e: Int, _ b: UnsafeBufferPointer<UInt8>, cue cachedCue: inout Context.Cue??) -> Kind? {
            var slashed = false
            for k in s...e {
                slashed = slashed || chunks[k].slashed
                // "+84 (0) 912…": the national 0 in parentheses after the country code.
                let nationalZero = k == s + 1 && chunks[k].parenthesized && chunks[k].digits.count == 1 && digits[chunks[k].digits.lowerBound] == 0
                if k > s, chunks[k].plus || chunks[k].parenthesized && !nationalZero { return nil }
            }
            var d = digits[chunks[s].digits.lowerBound..<chunks[e].digits.upperBound]
            // "0084 …": the international prefix.
            if d.count > 4, d[d.startIndex] == 0, d[d.startIndex + 1] == 0, d[d.startIndex + 2] == 8, d[d.startIndex + 3] == 4 {
                d = d.dropFirst(2)
            }
            // "+84 0912…": the national 0 written after the country code.
            if d.count > 3, d[d.startIndex] == 8, d[d.startIndex + 1] == 4, d[d.startIndex + 2] == 0 {
                d = ArraySlice(Array(d.prefix(2)) + Array(d.dropFirst(3)))
            }
            let n = d.count
            // 1800 and 1900 numbers are public hotlines.
            if (d.starts(with: [1, 8, 0, 0]) || d.starts(with: [1, 9, 0, 0])) && n <= 10 { return nil }
            guard n >= 6, n <= 19 else { return nil }
            let first = d[d.startIndex], second = d[d.startIndex + 1], third = d[d.startIndex + 2]
            let international = chunks[s].plus || (first == 8 && second == 4)
            let phone: Bool
            if international {
                // +84 and a mobile (9 digits), or a landline or pre-2018 mobile (10 digits, 2… or 1…);
                // another country's number as E.164 writes it ("+82 10 5372 8146"), 8 to 15 digits.
                phone = first == 8 && second == 4 ? (n == 11 && third != 0 || n == 12 && (third == 1 || third == 2)) : chunks[s].plus && (8...15).contains(n)
            } else {
                // 0 and a mobile (10 digits), or 01… and 02… (11 digits: old mobiles, landlines).
                phone = first == 0 && (n == 10 && second != 0 || n == 11 && (second == 1 || second == 2))
            }
            if chunks[s].plus && !phone { return nil }
            let cue = cachedCue ?? Context.cue(before: chunks[s].start, b, amount: first != 0)
            cachedCue = .some(cue)
            // Next to a "/", a number is part of a date or a document's number; only a phone's
            // shape or a label is unmistakable there ("0915.222.333/0975.444.555", "CCCD/CMND: …/…").
            if slashed && !phone {
                guard case .label(.citizenID)? = cue, Scrubber.labelAccepts(.citizenID, digits: n) else { return nil }
            }
            // An amount ends in zeros ("185000000", "1.500.000.000"); an ID or an account rarely does.
            if !phone, first != 0, n >= 6, d.suffix(5).allSatisfy({ $0 == 0 }) { return nil }
            // A range of years ("2022–2025").
            if n == 8, Scrubber.isYear(d.prefix(4)), Scrubber.isYear(d.suffix(4)) { return nil }
            // No amount or count starts with 0.
            let mayBeAmount = first != 0
            let (after, secondAfter) = Context.wordsAfter(b, chunks[e].end)
            let bankAfter = after.map { Context.banks.contains($0) || $0 == Array("ngan".utf8) && secondAfter == Array("hang".utf8) } ?? false
            if bankAfter, Scrubber.labelAccepts(.bankAccount, digits: n) { return .bankAccount }
            // A label of a person's number names it, whatever word follows ("CMND 183456789 đồng ý");
            // a bank's does not outweigh "đồng" after (accounts and amounts go together).
            if case .label(let kind)? = cue, kind != .licencePlate && kind != .bankAccount, Scrubber.labelAccepts(kind, digits: n) { return kind }
            if !phone, mayBeAmount, let after, Context.moneyAfter.contains(after), !Context.notMoney(after, secondAfter) { return nil }
            switch cue {
            case .label(let kind)?:
                if Scrubber.labelAccepts(kind, digits: n) { return kind }
            case .money?:
                if mayBeAmount { return phone ? .phone : nil }
            case .serial?:
                return nil
            case .hotline?:
                // An office's switchboard or landline; a mobile is a person's, whatever it is called.
                let mobile = !international && n == 10 && [3, 5, 7, 8, 9].contains(second) || international && n == 11
                if !mobile { return nil }
            case nil:
                break
            }
            if phone { return .phone }
            // A payment card: 13 to 19 digits that pass the Luhn check.
            if (13...19).contains(n), Scrubber.luhn(d) { return .bankAccount }
            guard n == 9 || n == 12 else { return nil }
            // An amount grouped in thousands that ends in 000 (150.000.000) is money, not an ID.
            if s == 0 && e == chunks.count - 1 && thousands && d.suffix(3).allSatisfy({ $0 == 0 }) { return nil }
            return .citizenID
        }
    }

    /// Whether a chunk of a number run starts at `i`: a digit, "+" and a digit, or "(" and either.
    static func startsChunk(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        if b[i] == UInt8(ascii: "(") { return startsNumber(b, i + 1) }
        return startsNumber(b, i)
    }

    /// The length of the space at `j` between two groups of a number: one or two ASCII spaces,
    /// a no-break space (U+00A0), a thin or narrow no-break space (U+2009, U+202F); 0 if none.
    @inline(__always) static func spaceLength(_ b: UnsafeBufferPointer<UInt8>, _ j: Int) -> Int {
        guard j < b.count else { return 0 }
        let c = b[j]
        if c == 0x20 { return j + 1 < b.count && b[j + 1] == 0x20 ? 2 : 1 }
        if c == 0xC2, j + 1 < b.count, b[j + 1] == 0xA0 { return 2 }
        if c == 0xE2, j + 2 < b.count, b[j + 1] == 0x80, b[j + 2] == 0x89 || b[j + 2] == 0xAF { return 3 }
        return 0
    }

    /// A dot or hyphen between digit groups, ASCII or full-width: whether it is a dot, and its length.
    @inline(__always) static func groupSeparator(_ b: UnsafeBufferPointer<UInt8>, _ j: Int) -> (Bool, Int)? {
        let c = b[j]
        if c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") { return (c == UInt8(ascii: "."), 1) }
        // "·" (U+00B7), en and em dashes (U+2013, U+2014), a non-breaking hyphen (U+2011).
        if c == 0xC2, j + 1 < b.count, b[j + 1] == 0xB7 { return (false, 2) }
        if c == 0xE2, j + 2 < b.count, b[j + 1] == 0x80, b[j + 2] == 0x93 || b[j + 2] == 0x94 || b[j + 2] == 0x91 { return (false, 3) }
        // A comma only between groups of three ("3,500,000", "042,086,010,245"), never in "12,5".
        if c == UInt8(ascii: ","), j + 4 <= b.count, isDigit(b[j + 1]), isDigit(b[j + 2]), isDigit(b[j + 3]), j + 4 == b.count || !isDigit(b[j + 4]) { return (true, 1) }
        if c == 0xEF, j + 2 < b.count, b[j + 1] == 0xBC, b[j + 2] == 0x8E || b[j + 2] == 0x8D { return (b[j + 2] == 0x8E, 3) }
        return nil
    }

    /// Whether four digits are a year from 1900 to 2099.
    static func isYear(_ d: ArraySlice<UInt8>) -> Bool {
        d.count == 4 && (d[d.startIndex] == 1 && d[d.startIndex + 1] == 9 || d[d.startIndex] == 2 && d[d.startIndex + 1] == 0)
    }

    /// The Luhn checksum of payment card numbers.
    static func luhn(_ d: ArraySlice<UInt8>) -> Bool {
        var sum = 0
        for (i, digit) in d.reversed().enumerated() {
            let v = Int(digit) * (i % 2 == 1 ? 2 : 1)
            sum += v > 9 ? v - 9 : v
        }
        return sum % 10 == 0
    }

    /// How many digits each labelled kind has.
    static func labelAccepts(_ kind: Kind, digits n: Int) -> Bool {
        switch kind {
        case .citizenID: return n == 9 || n == 12
        case .taxCode: return n == 10 || n == 12 || n == 13
        case .socialInsurance: return n == 10 || n == 13 || n == 15
        case .bankAccount: return (6...19).contains(n)
        case .phone: return (9...12).contains(n)
        case .profileLink: return (8...20).contains(n)  // a numeric profile id ("uid facebook 1000…")
        case .passport: return n == 7 || n == 8 || n == 9
        case .licencePlate, .email, .handle, .personName: return false
        }
    }
}
