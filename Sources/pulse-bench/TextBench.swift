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
        // Two mixes of the same sentences, a quarter of each in NFD: as reports are written (one
        // sentence in eleven typed without diacritics), and with a third typed without them.
        func mix(strippedEvery: Int?) -> (texts: [String], bytes: Int) {
            var texts: [String] = []
            var bytes = 0
            var i = 0
            while bytes < megabytes << 20 {
                var s = sentences[i % sentences.count]
                if i % 4 == 1 { s = s.decomposedStringWithCanonicalMapping }
                if let every = strippedEvery, i % every == 2 { s = Folding.withoutDiacritics(s) }
                texts.append(s)
                bytes += s.utf8.count
                i += 1
            }
            return (texts, bytes)
        }
        let analyzer = SentimentAnalyzer.shared
        // The models are counted and trained on first use: not part of the rates.
        _ = DiacriticRestorer.shared.restore("khoi dong")
        _ = TopicClassifier.shared.suggest("khởi động")
        print("normalise + tokenise + teencode + restore diacritics + dialect + sentiment + topic (TextAnalysis, one pass), one core:")
        var corpus: [String] = []
        var bytes = 0
        for (label, every) in [("as reports are written", nil), ("a third typed without diacritics", 3)] as [(String, Int?)] {
            (corpus, bytes) = mix(strippedEvery: every)
            var checksum = 0.0
            var tokens = 0
            var topics = 0
            let start = ContinuousClock.now
            for text in corpus {
                // One scan: the tokens (syllables, and their pairs for the topic model) serve every stage.
                let result = TextAnalysis.analyze(text, topics: 1)
                tokens += result.syllables
                checksum += result.sentiment
                topics += result.topics.count
            }
            let elapsed = (ContinuousClock.now - start).inSeconds
            let rate = Double(bytes) / 1_048_576 / elapsed
            let unaccented = corpus.filter { DiacriticRestorer.mayNeedRestoring($0) }.count
            print("  \(label): \(corpus.count) texts, \(format(Double(bytes) / 1_048_576)) MB (\(unaccented * 100 / corpus.count)% to restore; 3 in 11 with identifiers and figures), \(tokens) tokens, \(topics) topics")
            print("    \(format(elapsed, decimals: 2)) s: \(format(rate)) MB/s (target ≥ 20) \(rate >= 20 ? "ok" : "MISSED")   [checksum \(format(checksum, decimals: 1))]")
        }
        let unaccented = corpus.filter { DiacriticRestorer.mayNeedRestoring($0) }

        // Each stage on its own, over the second mix.
        var stages: [[String]] = []
        func stage(_ name: String, _ body: (String) -> Int) {
            var sink = 0
            let t0 = ContinuousClock.now
            for text in corpus { sink &+= body(text) }
            let s = (ContinuousClock.now - t0).inSeconds
            stages.append([name, format(Double(bytes) / 1_048_576 / s), String(sink % 10)])
        }
        let standards = corpus.map { StandardVietnamese.from($0) }
        var index = 0
        stage("normalise (NFC, tone marks)") { Vietnamese.normalize($0).utf8.count }
        stage("teencode and held keys") { Informal.normalize($0).utf8.count }
        stage("restore diacritics") { DiacriticRestorer.shared.restore($0).utf8.count }
        stage("Nghệ Tĩnh words") { Dialect.standardize($0).utf8.count }
        index = 0
        stage("sentiment (standard text)") { _ in defer { index += 1 }; return Int(analyzer.score(standard: standards[index]) * 100) }
        index = 0
        stage("topic (standard text)") { _ in defer { index += 1 }; return TopicClassifier.shared.suggest(standard: standards[index], limit: 1).count }
        print("\nthe stages alone, MB/s of the second mix:")
        printTable(["stage", "MB/s", ""], stages)

        let unaccentedBytes = unaccented.reduce(0) { $0 + $1.utf8.count }
        let restoreStart = ContinuousClock.now
        var restoredLength = 0
        for text in unaccented { restoredLength += DiacriticRestorer.shared.restore(text).utf8.count }
        let restoreElapsed = (ContinuousClock.now - restoreStart).inSeconds
        print("\ndiacritic restoration alone, on the texts without diacritics (\(format(Double(unaccentedBytes) / 1_048_576)) MB):")
        print("  \(format(restoreElapsed, decimals: 2)) s: \(format(Double(unaccentedBytes) / 1_048_576 / restoreElapsed)) MB/s   [\(restoredLength) bytes out]")

        var removed = 0
        let scrubStart = ContinuousClock.now
        for text in corpus { removed += Scrubber.scrub(text).removals.count }
        let scrubElapsed = (ContinuousClock.now - scrubStart).inSeconds
        let scrubRate = Double(bytes) / 1_048_576 / scrubElapsed
        print("\nthe scrubber alone, one core, same texts:")
        print("  \(format(scrubElapsed, decimals: 2)) s: \(format(scrubRate)) MB/s (target ≥ 50) \(scrubRate >= 50 ? "ok" : "MISSED"), \(removed) identifiers removed")
    }
}
