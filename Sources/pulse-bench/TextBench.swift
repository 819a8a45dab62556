import Base
import Foundation
import Text

enum TextBench {
    /// Normalise + tokenise + sentiment on one core, over realistic report sentences.
    static func run(megabytes: Int) {
        let sentences = [
            "Người dân phấn khởi khi tuyến đường liên xã được nâng cấp, đi lại thuận tiện hơn nhiều.",
            "Nhiều hộ dân bức xúc vì tiền bồi thường giải phóng mặt bằng quá thấp, chưa thỏa đáng.",
            "Giá phân bón, thức ăn chăn nuôi tăng cao khiến nông dân lo lắng cho vụ đông xuân sắp tới.",
            "Cử tri kiến nghị bố trí thêm điểm thu gom rác thải tại thôn Trung và thôn Đông.",
            "Sau sắp xếp đơn vị hành chính, người dân đánh giá cao việc giải quyết thủ tục nhanh chóng.",
            "Nguoi dan buc xuc vi tinh trang o nhiem tu trai chan nuoi keo dai chua duoc xu ly.",
            "Bà con không hài lòng vì thủ tục cấp giấy chứng nhận quyền sử dụng đất còn rườm rà, phiền hà.",
            "Tình hình an ninh trật tự trên địa bàn cơ bản ổn định, nhân dân yên tâm lao động sản xuất.",
            // Identifiers and figures, as reports quote them.
            "Ông Nguyễn Văn A (CCCD 042 085 017 263, SĐT 0912.345.678) đề nghị hỗ trợ 150.000.000 đồng theo Quyết định 2871/QĐ-UBND.",
            "Bài đăng trên facebook.com/nguyen.van.a kêu gọi chuyển tiền vào STK 3701 2051 23456 Agribank, liên hệ nva [at] gmail [dot] com.",
            "Ngày 15/11/2026 có 1.234 hộ dân dự họp; đường dây nóng 1900 9095 và hatinh.gov.vn tiếp nhận ý kiến về QL8, Km 512+300.",
        ]
        // A mix: half NFC, a quarter NFD, a quarter without diacritics (already in the list).
        var corpus: [String] = []
        var bytes = 0
        var i = 0
        while bytes < megabytes << 20 {
            var s = sentences[i % sentences.count]
            if i % 4 == 1 { s = s.decomposedStringWithCanonicalMapping }
            corpus.append(s)
            bytes += s.utf8.count
            i += 1
        }
        let analyzer = SentimentAnalyzer.shared
        var checksum = 0.0
        var tokens = 0
        let start = ContinuousClock.now
        for text in corpus {
            let normal = Vietnamese.normalize(Scrubber.scrub(text).text)
            let syllables = Vietnamese.syllableHashes(normal)
            tokens += syllables.count + Vietnamese.bigramHashes(syllables).count
            checksum += analyzer.score(normal)
        }
        let elapsed = (ContinuousClock.now - start).inSeconds
        let rate = Double(bytes) / 1_048_576 / elapsed
        print("scrub + normalise + tokenise (syllables and bigrams) + sentiment, one core:")
        print("  \(corpus.count) texts, \(format(Double(bytes) / 1_048_576)) MB of UTF-8 (NFC, NFD and no diacritics; 3 in 11 with identifiers and figures), \(tokens) tokens")
        print("  \(format(elapsed, decimals: 2)) s: \(format(rate)) MB/s (target ≥ 20) \(rate >= 20 ? "ok" : "MISSED")   [checksum \(format(checksum, decimals: 1))]")

        var removed = 0
        let scrubStart = ContinuousClock.now
        for text in corpus { removed += Scrubber.scrub(text).removals.count }
        let scrubElapsed = (ContinuousClock.now - scrubStart).inSeconds
        let scrubRate = Double(bytes) / 1_048_576 / scrubElapsed
        print("\nthe scrubber alone, one core, same texts:")
        print("  \(format(scrubElapsed, decimals: 2)) s: \(format(scrubRate)) MB/s (target ≥ 50) \(scrubRate >= 50 ? "ok" : "MISSED"), \(removed) identifiers removed")
    }
}
