import Foundation

extension Scrubber {
    /// The words around a number, folded to lowercase ASCII without diacritics ("Số tài khoản"
    /// → "so tai khoan"), read for labels ("STK", "CCCD", "biển số") and for money and
    /// population words ("đồng", "dân số") that say what the number is.
    enum Context {
        enum Cue: Equatable {
            case label(Kind)
            /// Money, population, counts: a figure, unless it starts with 0.
            case money
            /// A serial number or a product code: a thing's, never a person's.
            case serial
            /// A public hotline or switchboard: its landlines and short numbers are the office's.
            case hotline
        }

        /// Labels and money words as the words that end them, nearest first when read backwards.
        /// A label names the kind of the number after it; a money word before it keeps it.
        static let cues: [(words: [[UInt8]], cue: Cue)] = {
            let labels: [(String, Cue)] = [
                ("nhan dan so", .label(.citizenID)), ("cong dan so", .label(.citizenID)), ("minh nhan dan", .label(.citizenID)), ("so dinh danh", .label(.citizenID)), ("dinh danh", .label(.citizenID)), ("can cuoc", .label(.citizenID)),
                ("chung minh", .label(.citizenID)), ("cccd", .label(.citizenID)), ("cmnd", .label(.citizenID)),
                ("cmt", .label(.citizenID)), ("cmtnd", .label(.citizenID)), ("cc", .label(.citizenID)), ("id", .label(.citizenID)),
                ("ho chieu", .label(.passport)), ("passport", .label(.passport)), ("hc", .label(.passport)),
                ("ma so thue", .label(.taxCode)), ("ma thue", .label(.taxCode)), ("ma so doanh nghiep", .label(.taxCode)),
                ("mst", .label(.taxCode)), ("mstcn", .label(.taxCode)),
                ("bao hiem xa hoi", .label(.socialInsurance)), ("bao hiem y te", .label(.socialInsurance)),
                ("bao hiem", .label(.socialInsurance)), ("bhxh", .label(.socialInsurance)), ("bh", .label(.socialInsurance)), ("bhyt", .label(.socialInsurance)), ("so bhxh", .label(.socialInsurance)),
                ("so tai khoan", .label(.bankAccount)), ("tai khoan", .label(.bankAccount)), ("stk", .label(.bankAccount)),
                ("tk", .label(.bankAccount)), ("chuyen khoan", .label(.bankAccount)), ("ck", .label(.bankAccount)), ("account", .label(.bankAccount)), ("ngan hang", .label(.bankAccount)),
                ("vietcombank", .label(.bankAccount)), ("vcb", .label(.bankAccount)), ("agribank", .label(.bankAccount)),
                ("bidv", .label(.bankAccount)), ("vietinbank", .label(.bankAccount)), ("techcombank", .label(.bankAccount)),
                ("tcb", .label(.bankAccount)), ("mbbank", .label(.bankAccount)), ("mb", .label(.bankAccount)),
                ("tpbank", .label(.bankAccount)), ("sacombank", .label(.bankAccount)), ("acb", .label(.bankAccount)),
                ("vpbank", .label(.bankAccount)), ("shb", .label(.bankAccount)), ("hdbank", .label(.bankAccount)),
                ("ocb", .label(.bankAccount)), ("seabank", .label(.bankAccount)), ("lpbank", .label(.bankAccount)),
                ("lienvietpostbank", .label(.bankAccount)), ("vib", .label(.bankAccount)), ("msb", .label(.bankAccount)),
                ("bien kiem soat", .label(.licencePlate)), ("bien so", .label(.licencePlate)), ("bks", .label(.licencePlate)),
                ("bsx", .label(.licencePlate)), ("bs", .label(.licencePlate)), ("bien", .label(.licencePlate)),
                ("xe", .label(.licencePlate)), ("o to", .label(.licencePlate)), ("oto", .label(.licencePlate)), ("mo to", .label(.licencePlate)),
                ("uid", .label(.profileLink)), ("id facebook", .label(.profileLink)), ("facebook id", .label(.profileLink)),
                ("fb id", .label(.profileLink)), ("id fb", .label(.profileLink)), ("id zalo", .label(.profileLink)),
                ("so dien thoai", .label(.phone)), ("dien thoai", .label(.phone)), ("sdt", .label(.phone)), ("dt", .label(.phone)),
                ("dtdd", .label(.phone)), ("di dong", .label(.phone)), ("dd", .label(.phone)), ("zalo", .label(.phone)),
                ("hotline", .label(.phone)), ("tel", .label(.phone)), ("lh", .label(.phone)), ("phone", .label(.phone)), ("mobile", .label(.phone)),
                ("lien he", .label(.phone)), ("goi", .label(.phone)), ("nhan tin", .label(.phone)), ("sms", .label(.phone)),
                ("viber", .label(.phone)), ("whatsapp", .label(.phone)),
                ("dan so", .money), ("so dan", .money), ("nhan khau", .money), ("so tien", .money), ("tien", .money),
                ("kinh phi", .money), ("chi phi", .money), ("ngan sach", .money), ("tong", .money), ("gia tri", .money),
                ("tri gia", .money), ("gia", .money), ("thiet hai", .money), ("von", .money), ("doanh thu", .money),
                ("thu nhap", .money), ("quy", .money), ("luong", .money), ("ho tro", .money), ("dau tu", .money),
                ("boi thuong", .money), ("den bu", .money), ("phat", .money), ("khoang", .money), ("hon", .money),
                ("tren", .money), ("gan", .money), ("dien tich", .money), ("san luong", .money), ("vnd", .money), ("usd", .money),
                ("so seri", .serial), ("seri", .serial), ("serial", .serial), ("sn", .serial), ("ma vach", .serial),
                ("barcode", .serial), ("ma san pham", .serial), ("so lo", .serial), ("so khung", .serial), ("se ri", .serial),
                ("ma don", .serial), ("don hang", .serial), ("van don", .serial), ("hoa don", .serial), ("so hieu", .serial),
                ("buu gui", .serial), ("buu pham", .serial), ("ma phan anh", .serial), ("ma ho so", .serial), ("so ho so", .serial), ("ma giao dich", .serial),
                ("tracking", .serial), ("duong day nong", .hotline), ("tong dai", .hotline),
                ("truc ban", .hotline), ("van phong", .hotline), ("ubnd", .hotline),
                ("tham chieu", .serial), ("ma gd", .serial), ("but toan", .serial), ("bien nhan", .serial), ("ma qr", .serial), ("van ban", .serial), ("chi tieu", .serial),
                ("j t", .serial), ("ghtk", .serial), ("ghn", .serial), ("viettel post", .serial), ("vnpost", .serial),
                ("spx", .serial), ("ems", .serial), ("shopee", .serial), ("lazada", .serial),
            ]
            return labels.map { text, cue in (text.split(separator: " ").reversed().map { Array($0.utf8) }, cue) }
        }()

        /// Words after a number that make it an amount or a count, never an identifier.
        static let moneyAfter: Set<[UInt8]> = Set([
            // Words that are also common names or particles ("là", "Hà", "Tân", "do") are left out.
            "d", "dong", "vnd", "nghin", "ngan", "trieu", "ty", "ti", "usd", "euro", "%",
            "nguoi", "khau", "luot", "m2", "m3", "km", "hecta", "kg", "lit", "cay", "chiec", "phieu",
        ].map { Array($0.utf8) })

        /// Whether `word` (lowercase ASCII) is a label of a person's number written glued to it
        /// ("SĐT0912…", "CCCD042…", "LH0963…"), not a code's prefix ("FT2408…", "SPXVN…").
        static func isPersonalLabel(_ word: [UInt8]) -> Bool {
            cues.contains { entry in
                guard entry.words.count == 1, entry.words[0] == word, case .label(let kind) = entry.cue else { return false }
                return kind != .bankAccount && kind != .licencePlate
            }
        }

        /// "đồng" that starts another word ("đồng ý", "đồng thời", "đồng bào"), not the currency.
        static func notMoney(_ first: [UInt8], _ second: [UInt8]?) -> Bool {
            guard first == Array("dong".utf8), let second else { return false }
            return ["y", "thoi", "chi", "bao", "tinh", "nghiep", "doi", "hanh", "ho", "loat", "long", "thuan", "bang", "ruong", "dang", "vien", "minh", "nhat", "tam", "cam"].contains(String(decoding: second, as: UTF8.self))
        }

        /// Banks whose name after a number makes it an account number.
        static let banks: Set<[UInt8]> = Set(cues.filter { $0.cue == .label(.bankAccount) && $0.words.count == 1 && $0.words[0].count > 3 }.map { $0.words[0] })

        /// The nearest cue among the six words before `i`, within the sentence. Money words are
        /// passed over for a number that cannot be an amount (one that starts with 0).
        static func cue(before i: Int, _ b: UnsafeBufferPointer<UInt8>, amount: Bool = true) -> Cue? {
            let words = wordsBefore(i, b, limit: 10)
            for k in words.indices {
                // Labels and money words name the number right after them; a hotline's name may
                // come further ahead ("Đường dây nóng Sở Y tế Hà Tĩnh: 0239 …").
                for (sequence, cue) in cues where k + sequence.count <= words.count && (amount || cue != .money) && (k < 6 || cue == .hotline) {
                    var matches = true
                    for m in sequence.indices where words[k + m] != sequence[m] {
                        matches = false
                        break
                    }
                    if matches { return cue }
                }
            }
            return nil
        }

        /// Up to `limit` words before `i`, nearest first, stopping at the end of a sentence.
        static func wordsBefore(_ i: Int, _ b: UnsafeBufferPointer<UInt8>, limit: Int) -> [[UInt8]] {
            var words: [[UInt8]] = []
            var word: [UInt8] = []  // backwards
            var j = i
            var scalars = 0
            var spaceAfter = false
            while j > 0, words.count < limit, scalars < 80 {
                let s = scalarStart(before: j, b)
                let v = scalar(b, at: s)
                j = s
                scalars += 1
                if let f = fold(v) {
                    if f != 0 { word.append(f) }
                    spaceAfter = false
                    continue
                }
                if !word.isEmpty {
                    words.append(word.reversed())
                    word.removeAll(keepingCapacity: true)
                }
                let space = v == 0x20 || v == 0x0A || v == 0x09
                if spaceAfter, v == 0x21 || v == 0x3F || v == 0x3B { break }  // "! " "? " "; "
                // ". " ends a sentence, unless it ends an abbreviation ("Passport no. ", "TK. ").
                if spaceAfter, v == 0x2E, !abbreviationBefore(s, b) { break }
                if v == 0x0A { break }
                spaceAfter = space
            }
            if !word.isEmpty, words.count < limit { words.append(word.reversed()) }
            return words
        }

        /// Whether the word before the dot at `dot` is short enough to be an abbreviation.
        static func abbreviationBefore(_ dot: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            var j = dot
            var letters = 0
            while j > 0, letters <= 3 {
                let s = scalarStart(before: j, b)
                guard fold(scalar(b, at: s)) != nil else { break }
                letters += 1
                j = s
            }
            return letters > 0 && letters <= 3
        }

        /// The two words after `i`, the first past at most two spaces.
        static func wordsAfter(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> ([UInt8]?, [UInt8]?) {
            guard let first = wordAfter(b, i) else { return (nil, nil) }
            var j = i
            while j < b.count, b[j] == 0x20 { j += 1 }
            while j < b.count, fold(scalar(b, at: j)) != nil {
                j += 1
                while j < b.count, b[j] & 0xC0 == 0x80 { j += 1 }
            }
            return (first, j < b.count && b[j] == 0x20 ? wordAfter(b, j) : nil)
        }

        /// The word right after `i`, past at most two spaces.
        static func wordAfter(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> [UInt8]? {
            var j = i
            var spaces = 0
            while j < b.count, b[j] == 0x20, spaces < 2 {
                j += 1
                spaces += 1
            }
            if j < b.count, b[j] == UInt8(ascii: "(") { j += 1 }  // "3700205123456 (Agribank)"
            var word: [UInt8] = []
            while j < b.count, word.count < 24 {
                let v = scalar(b, at: j)
                j += 1
                while j < b.count, b[j] & 0xC0 == 0x80 { j += 1 }
                guard let f = fold(v) else { break }
                if f != 0 { word.append(f) }
            }
            return word.isEmpty ? nil : word
        }

        /// A scalar as a lowercase ASCII letter or digit without its marks; 0 for a combining
        /// mark (part of the word, nothing to add); nil for anything that separates words.
        @inline(__always) static func fold(_ v: UInt32) -> UInt8? {
            if v < 0x80 {
                let c = UInt8(v)
                if isDigit(c) || c == UInt8(ascii: "%") { return c }
                return isASCIILetter(c) ? c | 0x20 : nil
            }
            if (0x0300...0x036F).contains(v) { return 0 }
            if v == 0x0110 || v == 0x0111 { return UInt8(ascii: "d") }
            if (0x00C0...0x024F).contains(v) { let f = baseLetters[Int(v - 0x00C0)]; return f == 0 ? nil : f }
            if (0x1E00...0x1EFF).contains(v) { let f = baseLetters[Int(v - 0x1E00) + 0x190]; return f == 0 ? nil : f }
            return nil
        }

        /// The base letter of each Latin letter with marks in U+00C0–U+024F and U+1E00–U+1EFF.
        static let baseLetters: [UInt8] = {
            var table = [UInt8](repeating: 0, count: 0x190 + 0x100)
            for (offset, range) in [(0, 0x00C0...0x024F), (0x190, 0x1E00...0x1EFF)] {
                for v in range {
                    guard let scalar = Unicode.Scalar(UInt32(v)),
                        let base = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars.first,
                        base.isASCII, isASCIILetter(UInt8(base.value))
                    else { continue }
                    table[offset + v - range.lowerBound] = UInt8(base.value) | 0x20
                }
            }
            return table
        }()
    }
}
