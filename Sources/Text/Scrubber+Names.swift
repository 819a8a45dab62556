/// Names of people in free text: what a report quotes is what an area thinks, never who said it.
///
/// A name is found where Vietnamese writes one: after a form of address or a word that
/// introduces a person ("ông Nguyễn Văn Hùng", "chị Hà", "mệ Lài", "công dân Trương Thị Ngọc",
/// "họ tên: Hoàng Thị Thơm"), or as a full name of three or four capitalised syllables that
/// begins with a common family name and a middle name ("Lê Thị Hồng Nhung phản ánh"), or,
/// typed without diacritics in lower case, as a family name and middle name after a form of
/// address ("ba nguyen thi lanh"). The form of address stays ("ông [họ tên]"). Kept: titles
/// after a form of address ("ông Chủ tịch UBND xã"), places ("huyện Anh Sơn", "đường Trần
/// Phú", "Bà Rịa"), and the people public places and campaigns are named after ("Nguyễn Du",
/// "Hồ Chí Minh", "Bác Hồ").
extension Scrubber {
    enum Names {
        struct Word {
            var start: Int
            var end: Int
            /// Its letters folded to lowercase ASCII without marks, packed eight to a number
            /// (0 for a longer word); what the word lists below are compared with.
            var key: UInt64
            var capitalised: Bool
            /// More than one capital: an acronym (UBND, HĐND), never a name.
            var acronym: Bool
            var lettersOnly: Bool
            /// Typed without diacritics (every byte ASCII).
            var ascii: Bool
        }

        /// The byte ranges of the names in `b`, in order.
        static func find(in b: UnsafeBufferPointer<UInt8>) -> [(start: Int, end: Int)] {
            var words: [Word] = []
            words.reserveCapacity(b.count / 5)
            var i = 0
            while i < b.count {
                let c = b[i]
                if c < 0x80 && !isASCIIAlnum(c) {
                    i += 1
                    continue
                }
                if let word = readWord(b, &i) { words.append(word) }
            }
            // Whether the writer uses diacritics at all: then an unmarked "o" is the dialect's "o".
            let accented = words.contains { !$0.ascii }
            var found: [(start: Int, end: Int)] = []
            var w = 0
            while w < words.count {
                // Most words are neither capitalised nor a family name: one multiply and a mask tell.
                let word = words[w]
                if !word.capitalised && !Bloom.surnames.mayContain(word.key) {
                    w += 1
                    continue
                }
                if let (from, to) = name(at: w, words, b, accented: accented) {
                    found.append((words[from].start, words[to].end))
                    w = to + 1
                } else {
                    w += 1
                }
            }
            return found
        }

        /// Reads the word at `i` (a run of letters, digits and marks) and moves `i` past it;
        /// nil when what starts there is not a word character.
        @inline(__always)
        static func readWord(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Word? {
            let start = i
            var key: UInt64 = 0
            var count = 0
            var capitals = 0
            var firstCapital = false
            var lettersOnly = true
            var ascii = true
            while i < b.count {
                let c = b[i]
                var folded: UInt8
                var upper: Bool
                if c < 0x80 {
                    // ASCII: the common case, without a call.
                    if c >= 0x61 && c <= 0x7A {
                        folded = c
                        upper = false
                    } else if c >= 0x41 && c <= 0x5A {
                        folded = c | 0x20
                        upper = true
                    } else if c >= 0x30 && c <= 0x39 {
                        folded = c
                        upper = false
                        lettersOnly = false
                    } else {
                        break
                    }
                    i += 1
                } else {
                    let v = scalar(b, at: i)
                    let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                    guard let f = Context.fold(v) else {
                        if isWordScalar(v) {
                            // A letter of another script: part of the word, but no Vietnamese name.
                            lettersOnly = false
                            ascii = false
                            i += length
                            continue
                        }
                        break
                    }
                    i += length
                    ascii = false
                    if f == 0 { continue }  // a combining mark
                    folded = f
                    upper = isUppercase(v)
                }
                if upper {
                    if count == 0 { firstCapital = true }
                    capitals += 1
                }
                if count < 8 { key |= UInt64(folded) << (8 &* UInt64(count)) }
                count += 1
            }
            if i == start {
                i += 1
                return nil
            }
            return Word(start: start, end: i, key: count <= 8 ? key : 0, capitalised: firstCapital, acronym: capitals > 1, lettersOnly: lettersOnly, ascii: ascii)
        }

        /// Uppercase among the Latin letters Vietnamese uses (Latin-1, Extended-A and -B, and the
        /// Extended Additional block, where capitals are the even code points).
        @inline(__always)
        static func isUppercase(_ v: UInt32) -> Bool {
            switch v {
            case 0x00C0...0x00DE: return v != 0x00D7
            case 0x0100...0x017F: return v & 1 == 0
            case 0x01A0, 0x01AF: return true
            case 0x1E00...0x1EFF: return v & 1 == 0
            case 0x0370...: return Unicode.Scalar(v)?.properties.isUppercase ?? false
            default: return false
            }
        }

        /// A quick test before a set lookup: a bit per key's hash, in 1,024 bits.
        struct Bloom: Sendable {
            private var bits = [UInt64](repeating: 0, count: 16)
            init(_ keys: Set<UInt64>) {
                for key in keys {
                    let h = Bloom.hash(key)
                    bits[Int(h >> 6)] |= 1 << (h & 63)
                }
            }
            @inline(__always) static func hash(_ key: UInt64) -> UInt64 { (key &* 0x9E37_79B9_7F4A_7C15) >> 54 }
            @inline(__always) func mayContain(_ key: UInt64) -> Bool {
                let h = Bloom.hash(key)
                return bits.withUnsafeBufferPointer { $0[Int(h >> 6)] & (1 << (h & 63)) != 0 }
            }
            static let surnames = Bloom(Names.surnames)
        }

        /// A word that may be part of a name: capitalised, letters only, not an acronym.
        static func proper(_ word: Word) -> Bool { word.capitalised && !word.acronym && word.lettersOnly }

        /// Whether only white space (any, the no-break space too) and a colon, as in "họ tên: …",
        /// separate two words.
        static func adjacent(_ a: Word, _ b: Word, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard a.end < b.start, b.start - a.end <= 8 else { return false }
            var j = a.end
            while j < b.start {
                let c = bytes[j]
                if c == 0x20 || c == 0x09 || c == UInt8(ascii: ":") {
                    j += 1
                } else if c == 0xC2, j + 1 < b.start, bytes[j + 1] == 0xA0 {
                    j += 2  // U+00A0
                } else if c == 0xE2, j + 2 < b.start, bytes[j + 1] == 0x80, bytes[j + 2] == 0xAF || (bytes[j + 2] >= 0x80 && bytes[j + 2] <= 0x8A) {
                    j += 3  // U+202F, U+2000–U+200A
                } else {
                    return false
                }
            }
            return true
        }

        /// The word as written, in lower case.
        static func written(_ word: Word, _ b: UnsafeBufferPointer<UInt8>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: b[word.start..<word.end]), as: UTF8.self).lowercased()
        }

        /// The words `from...to` of a name that starts at word `w`, or nil.
        static func name(at w: Int, _ words: [Word], _ b: UnsafeBufferPointer<UInt8>, accented: Bool) -> (Int, Int)? {
            let word = words[w]
            let previous = w > 0 && adjacent(words[w - 1], word, b) ? words[w - 1] : nil
            let beforePrevious = w > 1 && previous != nil && adjacent(words[w - 2], words[w - 1], b) ? words[w - 2] : nil
            // Typed without diacritics in lower case: a form of address, a family name, a middle
            // name and a given name ("ba nguyen thi lanh"). Text with diacritics writes names
            // with capitals, and "ông phản ánh" is not one.
            if !word.capitalised, let previous, isAddress(previous, b), surnames.contains(word.key), word.ascii,
                w + 1 < words.count, adjacent(word, words[w + 1], b), middleNames.contains(words[w + 1].key), words[w + 1].ascii
            {
                var last = w + 1
                while last + 1 < words.count, last - w < 3, adjacent(words[last], words[last + 1], b), middleNames.contains(words[last + 1].key), words[last + 1].ascii { last += 1 }
                guard last + 1 < words.count, adjacent(words[last], words[last + 1], b), words[last + 1].lettersOnly, words[last + 1].ascii,
                    !functionWords.contains(words[last + 1].key), !isAddress(words[last + 1], b)
                else { return nil }
                return (w, last + 1)
            }
            guard proper(word) || (word.capitalised && word.lettersOnly && isAddress(word, b)) else { return nil }
            // All capitals after a form of address in capitals ("ÔNG NGUYỄN VĂN HÙNG").
            let shouting = word.acronym && isAddress(word, b)
            var last = w
            while last + 1 < words.count, last - w < 4, adjacent(words[last], words[last + 1], b) {
                let next = words[last + 1]
                guard proper(next) || (shouting && next.capitalised && next.lettersOnly) else { break }
                // A form of address inside the run opens a name of its own ("Hộ Bà Trần Thị Lan").
                if isAddress(next, b) && !next.ascii { break }
                last += 1
            }
            // A capitalised form of address opens the run ("Ông Nguyễn Văn Hùng", "Bác Hồ").
            if isAddress(word, b) {
                if let previous, isPlace(previous, b) { return nil }  // huyện Anh Sơn
                guard last > w else { return nil }
                if kept(words, w, last, b) || titled(words, w + 1, last, b) { return nil }
                if ambiguousWithoutMarks(word, b, accented: accented) && !surnames.contains(words[w + 1].key) { return nil }
                return (w + 1, last)
            }
            if let previous, isIntroduction(previous, beforePrevious, b) {
                if kept(words, w, last, b) || titled(words, w, last, b) { return nil }
                if previous.capitalised, let beforePrevious, isPlace(beforePrevious, b) { return nil }
                // After a word such as "công dân", two or more capitals are a name only from a
                // family name on ("công dân Việt Nam" stays).
                if last > w && !surnames.contains(word.key) && !isAddress(previous, b) { return nil }
                if isAddress(previous, b) && ambiguousWithoutMarks(previous, b, accented: accented) && !surnames.contains(word.key) { return nil }
                return (w, last)
            }
            // A full name on its own: three or four syllables, a family name and a middle name first.
            guard last - w >= 2, surnames.contains(word.key), middleNames.contains(words[w + 1].key) else { return nil }
            if let previous, isPlace(previous, b) { return nil }
            if kept(words, w, last, b) || titled(words, w, last, b) { return nil }
            return (w, last)
        }

        /// A form of address, or a word that introduces a person.
        static func isIntroduction(_ previous: Word, _ beforePrevious: Word?, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            if isAddress(previous, b) { return true }
            guard let beforePrevious else { return false }
            return introductions.contains(Pair(beforePrevious.key, previous.key))
        }

        /// Forms of address. Words with marks are compared as written, so that "có" (has), "chi"
        /// (to spend) or "hồ" (a lake) are not "cô", "chị" and "hộ"; words typed without marks
        /// are compared folded.
        static func isAddress(_ word: Word, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            guard addressKeys.contains(word.key) else { return false }
            if word.ascii { return asciiAddressKeys.contains(word.key) }
            return addresses.contains(written(word, b))
        }

        /// In text typed without diacritics, "o", "co", "ba", "di", "me" … are more often "ở",
        /// "có", "ba" (three), "đi", "mẹ": after one of them, capitals are a name only from a
        /// family name on ("o Thach Ha" stays).
        static func ambiguousWithoutMarks(_ word: Word, _ b: UnsafeBufferPointer<UInt8>, accented: Bool) -> Bool {
            !accented && word.ascii && ambiguousAddressKeys.contains(word.key)
        }

        /// Words after which capitalised words are a place: compared as written when they carry
        /// marks ("chợ", not "cho"; "viện", not "viên"), folded when typed without.
        static func isPlace(_ word: Word, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            if word.ascii { return asciiPlaces.contains(word.key) }
            guard places.contains(word.key) else { return false }
            return placesWritten.contains(written(word, b))
        }

        /// Whether the words `from...to` (with the one before, for "Bác Hồ") are a public name.
        static func kept(_ words: [Word], _ from: Int, _ to: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            let keys = words[from...to].map(\.key)
            if publicNames.contains(keys) { return true }
            if from > 0, publicNames.contains([words[from - 1].key] + keys) { return true }
            // A public name followed by more capitals ("Nguyễn Du Hà Tĩnh"): its first words.
            for n in stride(from: keys.count - 1, through: 2, by: -1) where publicNames.contains(Array(keys.prefix(n))) { return true }
            return false
        }

        /// Whether the name's first word is a title ("Chủ tịch", "Bí thư", "Trưởng thôn") or
        /// its last word and the next make one ("ong Chu tich").
        /// Whether the name's first word is a title ("Chủ tịch", "Bí thư", "Trưởng thôn") or a
        /// place word ("Xã Kỳ Anh"), or its words and the next make one ("Công an", "ong Chu tich").
        static func titled(_ words: [Word], _ from: Int, _ to: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            let first = written(words[from], b)
            if titles.contains(first) || placesWritten.contains(first) { return true }
            if to + 1 < words.count, adjacent(words[to], words[to + 1], b), titlePairs.contains(Pair(words[to].key, words[to + 1].key)) { return true }
            if from + 1 <= to, titlePairs.contains(Pair(words[from].key, words[from + 1].key)) { return true }
            return false
        }

        struct Pair: Hashable {
            var first: UInt64
            var second: UInt64
            init(_ first: UInt64, _ second: UInt64) {
                self.first = first
                self.second = second
            }
        }

        static func key(_ word: String) -> UInt64 {
            var key: UInt64 = 0
            for (n, c) in word.utf8.enumerated() where n < 8 { key |= UInt64(c) << (8 * UInt64(n)) }
            return key
        }

        static func keys(_ words: String) -> Set<UInt64> { Set(words.split(separator: " ").map { key(String($0)) }) }

        static let addresses: Set<String> = [
            "ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "em", "cháu", "bé", "cậu", "dì", "mợ", "thím", "dượng", "o", "mệ", "ôn",
            "thầy", "chồng", "vợ", "tên", "cu", "mụ", "lão", "hộ", "thằng", "bọ", "mạ", "eng",
        ]
        /// Every form of address, folded: the first test, before the written form is read.
        static let addressKeys = keys("ong ba anh chi co chu bac cu em chau be cau di mo thim duong o me on thay chong vo ten mu lao ho thang bo ma eng")
        /// Those that count when typed without diacritics ("hộ" does not: "Ho" is Hồ, a family name).
        static let asciiAddressKeys = keys("ong ba anh chi co chu bac cu em chau be cau di mo thim duong o me on thay chong vo ten mu lao thang eng")
        static let ambiguousAddressKeys = keys("o co ba di me on be cu mo ten vo chong mu lao bo ma cau chu")
        /// Words that end a lower-case run rather than being its given name ("ong phan anh rang …").
        static let functionWords = keys(
            "rang la va thi da dang se khong co bi duoc cua voi cho o ve tai nhu ma nen vi de den tu trong ngoai len xuong di lai con van roi nua cung"
        )

        /// Two words that introduce a person: "công dân", "họ tên", "bệnh nhân", folded.
        static let introductions: Set<Pair> = Set(
            [
                "cong dan", "duong su", "benh nhan", "nan nhan", "nguoi benh", "hoc sinh", "sinh vien", "co giao", "thay giao", "chu ho", "ho ten",
                "ten la", "con trai", "con gai", "cu ba", "cu ong", "bac si", "y ta", "doi tuong", "nguoi viet", "chau be", "em be",
            ].map { pair in
                let words = pair.split(separator: " ").map { key(String($0)) }
                return Pair(words[0], words[1])
            })

        /// Common family names, folded (Nguyễn, Trần, Lê …, and their variants).
        static let surnames = keys(
            "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly ha truong dinh mai cao luong lam trinh dao doan thai chu ta kieu hua lai khuc la quach to tang ton vuong phung nghiem luu tong thieu cu mac lo bach dam giap khong kim lieu au han tu"
        )

        /// Middle names and the syllables that follow a family name in most full names.
        /// Middle names and the syllables that follow a family name in most full names.
        static let middleNames = keys(
            "van thi huu dinh duc minh ngoc quang xuan thanh cong sy si duy trong quoc the ba khac viet hong kim thu anh hoai manh tien nhat phuong dang hai trung tuan huy gia thuy thao bao khanh hoang tan my dieu cam kha thai phuc bich nhu yen nam phuoc tat phu tri ngan tuyet hieu tu tuong chi le ha lan mai"
        )

        /// Words after which capitalised words are a place, not a person: "huyện Anh Sơn", "đường
        /// Trần Phú", as written (folded, to test first) and as typed without diacritics.
        static let placesWritten: Set<String> = [
            "xã", "phường", "huyện", "tỉnh", "thôn", "xóm", "đường", "phố", "trường", "chợ", "sông", "núi", "khu", "tp", "quận", "bản", "làng",
            "hóa", "hoá", "niệm", "gương", "cách", "thpt", "thcs", "viện", "đảo", "đèo", "cảng", "ga", "ấp", "tổ", "cụm", "trấn",
        ]
        static let places = Set(placesWritten.map { word in key(Folding.fold(word)) })
        static let asciiPlaces = keys("xa phuong huyen tinh thon xom duong pho truong khu tp quan lang thpt thcs")

        /// Titles that may follow a form of address, as written.
        static let titles: Set<String> = [
            "chủ", "bí", "trưởng", "phó", "giám", "tổng", "thủ", "cán", "chánh", "hiệu", "kiểm", "ủy", "uỷ",
        ]

        /// Two words that make a title or a body: "Chủ tịch", "Công an", "Đại tá", "Hội Nông dân".
        static let titlePairs: Set<Pair> = Set(
            [
                "chu tich", "bi thu", "truong thon", "truong ban", "giam doc", "pho chu", "can bo", "cong an", "thanh tra", "hieu truong", "truong phong",
                "to truong", "bac si", "dai ta", "thuong ta", "trung ta", "thieu ta", "dai uy", "thuong uy", "trung uy", "thieu uy", "hoi nong", "hoi phu",
                "hoi cuu", "chi hoi", "chi bo", "doan thanh", "dang uy", "dang bo", "bo truong", "thu tuong", "ban quan", "so tai", "phong giao", "to dan",
                "mat tran", "uy ban", "hoi dong", "tong bi", "ban chi", "doan the", "cong doan", "chu nhiem",
            ].map { pair in
                let words = pair.split(separator: " ").map { key(String($0)) }
                return Pair(words[0], words[1])
            })

        /// People whom places, schools and campaigns are named after; places that begin with a
        /// form of address; and the provinces and Hà Tĩnh's units, old and new, whose names begin
        /// with a family name (from the unit lists Pulse ships).
        static let publicNames: Set<[UInt64]> = Set(
            [
                "ho chi minh", "bac ho", "nguyen du", "tran phu", "ha huy tap", "phan dinh phung", "nguyen cong tru", "le huu trac", "hai thuong lan ong",
                "mai thuc loan", "vo nguyen giap", "le duan", "nguyen thi minh khai", "tran hung dao", "le loi", "nguyen trai", "phan boi chau",
                "ton duc thang", "pham van dong", "nguyen ai quoc", "ly tu trong", "vo thi sau", "le hong phong", "tran quoc toan", "nguyen tat thanh",
                "ham nghi", "nguyen hue", "quang trung", "le thanh tong", "ly thuong kiet", "nguyen van troi", "nguyen bieu", "dang dung", "dang tat",
                "nguyen huy tu", "nguyen thiep", "hoang xuan han", "ba ria", "ba trieu", "ba den", "ba chua kho", "anh son", "co to", "doan thanh nien",
                "nguyen xi", "xuan dieu", "huy can", "nguyen van linh", "truong chinh", "le van huu", "phan huy chu", "phan huy ich", "le ninh",
                "viet nam", "bui la nhan", "cao bang", "dinh ban", "ha linh", "ha noi", "ha tinh", "ho do", "kim hoa", "kim song truong", "lai chau",
                "lam dong", "lam hop", "lam trung thuy", "luu vinh son", "mai hoa", "mai phu", "thai nguyen", "truong luu", "truong son", "tu my",
                "vu quang", "vuong loc", "ha nam", "ha giang", "tran quoc tuan", "ho xuan huong", "nguyen dinh chieu", "tran nhan tong", "ly thai to",
                "ngo quyen", "dinh bo linh", "hai ba trung", "nguyen thi dinh", "vo van kiet", "phan chu trinh", "huynh thuc khang", "nguyen khuyen",
                "to huu", "nam cao", "xuan quynh", "hoang dieu", "cao ba quat", "chu van an", "nguyen binh khiem", "le quy don", "nguyen cong hoan",
                "le van tam", "kim dong", "vo thi thang", "nguyen van cu", "le hong son", "phan dang luu", "nguyen thi minh khai",
            ].map { $0.split(separator: " ").map { key(String($0)) } })
    }
}
