import Foundation
import Testing
@testable import Text

@Suite("Scrubber: personal identifiers never reach storage")
struct ScrubberTests {
    @Test("phone numbers in their Vietnamese written forms", arguments: [
        "0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "091 234 5678", "+84912345678", "+84 912 345 678",
        "84912345678", "(+84) 912345678".replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: ""), "0239 385 6789", "02393856789",
    ])
    func phones(_ phone: String) {
        let result = Scrubber.scrub("Liên hệ anh ấy qua số \(phone) nhé.")
        #expect(result.text == "Liên hệ anh ấy qua số [số điện thoại] nhé.", "\(phone)")
        #expect(result.removals.map(\.kind) == [.phone])
    }

    @Test("citizen ID numbers, 12 and 9 digits", arguments: ["042095001234", "042 095 001 234", "0420 9500 1234", "186123456", "186 123 456"])
    func citizenIDs(_ id: String) {
        let result = Scrubber.scrub("CCCD số \(id), cấp năm 2021.")
        #expect(result.text == "CCCD số [số định danh], cấp năm 2021.", "\(id)")
        #expect(result.removals.first?.kind == .citizenID)
    }

    @Test("people's names go, their form of address stays; titles, places and public names stay", arguments: [
        ("Ông Nguyễn Văn Hùng, thôn 3, phản ánh giá điện.", "Ông [họ tên], thôn 3, phản ánh giá điện."),
        ("Theo chị Hà và anh Lê Văn Tú thì đường đã xuống cấp.", "Theo chị [họ tên] và anh [họ tên] thì đường đã xuống cấp."),
        ("Mệ Lài nói răng năm ni mất mùa.", "Mệ [họ tên] nói răng năm ni mất mùa."),
        ("ba nguyen thi lanh chua nhan duoc tien.", "ba [họ tên] chua nhan duoc tien."),
        ("Họ tên: Hoàng Thị Thơm, CCCD 042095001234.", "Họ tên: [họ tên], CCCD [số định danh]."),
        ("Lê Thị Hồng Nhung đã nhận đủ tiền.", "[họ tên] đã nhận đủ tiền."),
        ("Ông Chủ tịch UBND xã đối thoại với dân.", "Ông Chủ tịch UBND xã đối thoại với dân."),
        ("Cử tri huyện Anh Sơn và phường Trần Phú đề nghị sửa đường Phan Đình Phùng.", "Cử tri huyện Anh Sơn và phường Trần Phú đề nghị sửa đường Phan Đình Phùng."),
        ("Học tập và làm theo tấm gương Bác Hồ; khu lưu niệm Nguyễn Du đông khách.", "Học tập và làm theo tấm gương Bác Hồ; khu lưu niệm Nguyễn Du đông khách."),
        ("Bà con và ông bà ở Hà Tĩnh đều phấn khởi.", "Bà con và ông bà ở Hà Tĩnh đều phấn khởi."),
    ])
    func names(_ text: String, _ expected: String) {
        #expect(Scrubber.scrub(text).text == expected)
    }

    @Test("fold's fast path gives what the decomposition gives: every scalar below U+3100 alone and between words, and every line of the corpora")
    func foldMatchesDecomposition() throws {
        var mismatches: [String] = []
        for v in UInt32(0)..<0x3100 {
            guard let scalar = Unicode.Scalar(v) else { continue }
            for text in [String(scalar), "Ký " + String(scalar) + "  ANH\t", String(scalar) + "\u{0301}x"] where Folding.fold(text) != Folding.foldByDecomposing(text) {
                mismatches.append(String(format: "U+%04X", v))
            }
        }
        let resources = try #require(Bundle.module.resourceURL)
        var lines = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: resources.path) {
            for line in try String(contentsOf: resources.appendingPathComponent(name), encoding: .utf8).split(separator: "\n") {
                lines += 1
                let text = String(line)
                if Folding.fold(text) != Folding.foldByDecomposing(text) { mismatches.append("\(name): \(text.prefix(60))") }
                let nfd = text.decomposedStringWithCanonicalMapping
                if Folding.fold(nfd) != Folding.foldByDecomposing(nfd) { mismatches.append("\(name) (NFD): \(text.prefix(60))") }
            }
        }
        #expect(lines > 3000, "the corpora were read")
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test("e-mails, profile links and @handles")
    func accounts() {
        let text = "Gửi nguyen.van.a@gmail.com, xem https://www.facebook.com/nguyenvana.123 và tiktok.com/@hoa_dep, zalo.me/0912345678; nhắn @hoang_minh99."
        let result = Scrubber.scrub(text)
        #expect(result.text == "Gửi [email], xem [liên kết cá nhân] và [liên kết cá nhân], [liên kết cá nhân]; nhắn [tài khoản].")
        #expect(result.counts.map { "\($0.kind.rawValue)=\($0.count)" } == ["email=1", "profile-link=3", "handle=1"])
    }

    @Test("what is not personal stays: amounts, years, dates, ordinary links, decree numbers")
    func keeps() {
        for text in [
            "Giá lúa tăng lên 150.000.000 đồng mỗi héc-ta năm 2025.", "Nghị định 178/2024/NĐ-CP và Kế hoạch 387-KH/TU.",
            "Xem bài trên https://vnexpress.net/gia-xang-tang-4801234.html", "Ngày 24/11/2026 có 1.234 hộ dân dự họp.",
            "Hotline tổng đài 1900 1234 của tỉnh.", "Email của xã: không có",
        ] {
            let result = Scrubber.scrub(text)
            #expect(result.text == text)
            #expect(result.removals.isEmpty, "\(text)")
        }
    }

    @Test("numbers glued to letters are still removed; digits inside longer numbers are not")
    func glued() {
        #expect(Scrubber.scrub("SĐT0912345678, gọi nhé").text == "SĐT[số điện thoại], gọi nhé")
        #expect(Scrubber.scrub("“0912345678”").text == "“[số điện thoại]”")
        #expect(Scrubber.scrub("mã 12345678901234567").removals.isEmpty)
    }

    @Test("forms a reviewer found: pasted spaces and dashes, labels before words that look like units, odd e-mails, cards, Unicode handles", arguments: [
        ("Gọi 0912\u{A0}345\u{A0}678 nhé", "Gọi [số điện thoại] nhé"), ("Gọi 0987–654–321 nhé", "Gọi [số điện thoại] nhé"),
        ("Gọi 0913  456  789 nhé", "Gọi [số điện thoại] nhé"), ("CCCD 042\u{202F}095\u{202F}012\u{202F}345", "CCCD [số định danh]"),
        ("CMND 183456789 đồng ý ký", "CMND [số định danh] đồng ý ký"), ("STK 19034567890123 đồng thời", "STK [số tài khoản] đồng thời"),
        ("nộp tiền vào 3700205123456 (Agribank)", "nộp tiền vào [số tài khoản] (Agribank)"), ("thư x@ gmail.com nhé", "thư [email] nhé"),
        ("thư nva@gmail,com nhé", "thư [email] nhé"), ("thư nva@gmail nhé", "thư [email] nhé"), ("NVA A CÒNG GMAIL CHẤM COM", "[email]"),
        ("thư nva (a) gmail.com", "thư [email]"), ("uid facebook 100012345678901", "uid facebook [liên kết cá nhân]"),
        ("thẻ 4111111111111111", "thẻ [số tài khoản]"), ("nhắn @Nguyễn_Thị_Hoa đi", "nhắn [tài khoản] đi"),
        ("2023 2024 2025 2026", "2023 2024 2025 2026"), ("số biên nhận 250312345678", "số biên nhận 250312345678"),
        ("hỗ trợ 150000000 đồng", "hỗ trợ 150000000 đồng"), ("giai đoạn 2022–2025", "giai đoạn 2022–2025"),
    ])
    func reviewed(_ input: String, _ expected: String) {
        #expect(Scrubber.scrub(input).text == expected, "\(input)")
    }

    @Test("any bytes at all, text or not, are scanned without a trap: random buffers dense in digits, separators, @ and UTF-8 lead bytes")
    func anyBytes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("0123456789 .-_,+()[]{}@/#:abcCDxX".utf8) + [0xEF, 0xBC, 0x90, 0x99, 0xA0, 0x8E, 0xC2, 0xA0, 0xE2, 0x80, 0x93, 0xAF, 0x00, 0xFF, 0x0A]
        var found = 0
        for round in 0..<3000 {
            let length = Int.random(in: 0...(round % 10 == 0 ? 400 : 40), using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            bytes.withUnsafeBufferPointer { b in
                Scrubber.find(in: b) { start, end, _ in
                    #expect(start >= 0 && start < end && end <= b.count)
                    found += 1
                }
            }
            _ = Scrubber.scrub(String(decoding: bytes, as: UTF8.self))
        }
        #expect(found > 0, "the random text does hold identifiers now and then")
    }

    @Test("the byte-class masks hold exactly the bytes their definitions name")
    func byteClasses() {
        let notInURLs = Set("\"'<>()[]{}|\\^`,".utf8)
        for byte in 0...255 {
            let c = UInt8(byte)
            let isAlnum = Scrubber.isASCIIAlnum(c)
            #expect(Scrubber.isIn(c, Scrubber.urlBytes) == ((0x21..<0x7F).contains(c) && !notInURLs.contains(c)), "URL byte \(byte)")
            #expect(Scrubber.isIn(c, Scrubber.localPartBytes) == (isAlnum || "._%+-".utf8.contains(c)), "local-part byte \(byte)")
            #expect(Scrubber.isIn(c, Scrubber.trailingBytes) == ".;:!?".utf8.contains(c), "trailing byte \(byte)")
        }
    }

    @Test("spans point at the original characters")
    func spans() {
        let text = "Số: 0912345678 và a@b.vn"
        let result = Scrubber.scrub(text)
        let chars = Array(text)
        #expect(result.removals.map { String(chars[$0.start..<($0.start + $0.length)]) } == ["0912345678", "a@b.vn"])
    }

    @Test("NFD text is scrubbed the same")
    func decomposed() {
        let nfd = "Liên hệ số 0912 345 678".decomposedStringWithCanonicalMapping
        #expect(Folding.nfc(Scrubber.scrub(nfd).text) == "Liên hệ số [số điện thoại]")
    }
}

@Suite("Folding Vietnamese text for matching")
struct FoldingTests {
    @Test("NFC, NFD and diacritic-free spellings fold alike")
    func forms() {
        let nfc = "Kỳ Anh"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(nfd.unicodeScalars.count > nfc.unicodeScalars.count)
        #expect(Folding.fold(nfc) == "ky anh")
        #expect(Folding.fold(nfd) == "ky anh")
        #expect(Folding.fold("KY   ANH ") == "ky anh")
        #expect(Folding.fold("Đất đai") == "dat dai")
        #expect(Folding.fold("ĐỨC THỌ") == "duc tho")
        #expect(Folding.nfc(nfd) == nfc)
    }
}

@Suite("CSV reading")
struct CSVTests {
    @Test("quoted fields, doubled quotes, line breaks in quotes, CRLF, and line numbers")
    func parse() throws {
        let text = "code,name\r\n1,\"Xã \"\"A\"\", B\"\r\n2,\"two\nlines\"\n\n3,plain\n"
        let records = try CSV.parse(text)
        #expect(records.map(\.line) == [1, 2, 3, 6])
        #expect(records[1].fields == ["1", "Xã \"A\", B"])
        #expect(records[2].fields == ["2", "two\nlines"])
        #expect(records[3].fields == ["3", "plain"])
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,\"b\n") }
    }
}
