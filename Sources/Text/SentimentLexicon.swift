/// The polarity lexicon of everyday and administrative Vietnamese, written by the Pulse team.
/// Values run from −2 (strongly negative) to +2 (strongly positive). Entries are syllables or
/// phrases in NFC with old-style tone placement (see `Vietnamese.canonicalSyllable`); the
/// matcher also builds a diacritic-free copy for text typed without diacritics.
enum SentimentLexicon {
    static let entries: [(String, Double)] = [
        // Satisfaction, support, agreement
        ("hài lòng", 2), ("rất hài lòng", 2), ("phấn khởi", 2), ("vui mừng", 2), ("vui", 1), ("mừng", 1), ("tin tưởng", 2),
        ("đồng tình", 2), ("ủng hộ", 2), ("đồng thuận", 2), ("nhất trí", 1.5), ("hoan nghênh", 2), ("đánh giá cao", 2),
        ("cảm ơn", 1.5), ("biết ơn", 1.5), ("yên tâm", 1.5), ("an tâm", 1.5), ("phấn đấu", 1), ("tự hào", 2), ("hăng hái", 1.5),
        ("tích cực", 1.5), ("tốt", 1.5), ("tốt đẹp", 2), ("khá", 0.5), ("ổn định", 1), ("ổn", 1), ("thuận lợi", 1.5),
        ("thuận tiện", 1.5), ("nhanh chóng", 1.5), ("nhanh gọn", 1.5), ("kịp thời", 1.5), ("hiệu quả", 1.5), ("thiết thực", 1.5),
        ("minh bạch", 1.5), ("công bằng", 1.5), ("chu đáo", 1.5), ("tận tình", 2), ("tận tâm", 2),
        ("nhiệt tình", 1.5), ("niềm nở", 1.5), ("văn minh", 1), ("sạch đẹp", 1.5), ("khang trang", 1.5), ("an toàn", 1),
        ("cải thiện", 1.5), ("được cải thiện", 1.5), ("nâng cao", 1), ("tiến bộ", 1.5), ("phát triển", 1), ("khởi sắc", 2),
        ("đổi mới", 1), ("thành công", 2), ("hoàn thành", 1), ("vượt", 1), ("tăng trưởng", 1), ("ấm no", 2), ("no ấm", 2),
        ("khấm khá", 1.5), ("sung túc", 1.5), ("đầy đủ", 1), ("được hỗ trợ", 1.5), ("quan tâm chăm lo", 1.5),
        ("chăm lo", 1.5), ("giúp đỡ", 1.5), ("kịp thời hỗ trợ", 2), ("giải quyết", 1), ("được giải quyết", 1.5),
        ("giải quyết dứt điểm", 2), ("đáp ứng", 1), ("đáp ứng tốt", 2), ("hợp lý", 1), ("hợp tình", 1.5), ("thỏa đáng", 1.5),
        ("đúng đắn", 1.5), ("sáng suốt", 1.5), ("thuận", 0.5), ("bình yên", 1.5), ("yên bình", 1.5), ("đoàn kết", 1.5),
        ("gắn bó", 1), ("đồng lòng", 1.5), ("dễ dàng", 1), ("tiện lợi", 1.5), ("rẻ", 0.5), ("giảm giá", 1), ("hạ nhiệt", 1),
        ("khen", 1.5), ("khen ngợi", 2), ("ghi nhận", 1), ("lạc quan", 1.5), ("hy vọng", 1), ("kỳ vọng", 0.5), ("mong đợi", 0.5),
        ("trong sạch", 1.5), ("liêm chính", 1.5), ("gương mẫu", 1.5), ("tuyệt vời", 2), ("xuất sắc", 2), ("ấn tượng", 1.5),
        ("hấp dẫn", 1), ("thân thiện", 1.5), ("chất lượng", 1), ("đảm bảo", 1), ("bảo đảm", 1), ("được đảm bảo", 1.5),
        ("thông suốt", 1.5), ("khắc phục", 1), ("được khắc phục", 1.5), ("phục hồi", 1), ("hồi phục", 1),
        ("thích", 1), ("thích thú", 1.5), ("đẹp", 1), ("sướng", 1.5), ("ấm cúng", 1.5), ("đầm ấm", 1.5), ("tiện", 1), ("nhanh", 1),
        ("cảm động", 1.5), ("xúc động", 1), ("thoát nghèo", 2), ("bền vững", 1), ("tìm được việc làm", 1.5), ("đón nhận", 1.5),
        ("tăng thu nhập", 1.5), ("có lãi", 1), ("lãi", 0.5), ("mặn mà", 1), ("xử lý nghiêm", 1.5), ("chất lượng tốt", 2),
        ("năng suất tăng", 1.5), ("được mùa", 2), ("trúng mùa", 2), ("bội thu", 2),
        // Neutral words that contain a polar syllable: matched first, worth nothing.
        ("thiếu nhi", 0), ("hộ nghèo", 0), ("hộ cận nghèo", 0), ("chất lượng", 0), ("đề nghị", 0), ("kiến nghị", 0),

        // Discontent, worry, opposition
        ("bức xúc", -2), ("bất bình", -2), ("phẫn nộ", -2), ("bức bối", -1.5), ("bực bội", -1.5), ("bực", -1), ("khó chịu", -1.5),
        ("không hài lòng", -2), ("phàn nàn", -1.5), ("kêu ca", -1.5), ("than phiền", -1.5), ("khiếu nại", -1), ("khiếu kiện", -1.5),
        ("tố cáo", -1.5), ("phản đối", -2), ("không đồng tình", -2), ("không đồng thuận", -2), ("chưa đồng thuận", -1.5),
        ("lo lắng", -1.5), ("lo ngại", -1.5), ("lo", -1), ("băn khoăn", -1), ("hoang mang", -1.5), ("lo âu", -1.5), ("bất an", -1.5),
        ("sợ", -1), ("e ngại", -1), ("hoài nghi", -1.5), ("nghi ngờ", -1.5), ("mất niềm tin", -2), ("giảm niềm tin", -1.5),
        ("thất vọng", -2), ("chán nản", -1.5), ("mệt mỏi", -1), ("buồn", -1), ("bi quan", -1.5), ("căng thẳng", -1.5),
        ("khó khăn", -1.5), ("vất vả", -1), ("thiếu thốn", -1.5), ("nghèo", -1), ("túng thiếu", -1.5), ("đói", -1.5),
        ("chậm", -1), ("chậm trễ", -1.5), ("chậm chạp", -1.5), ("kéo dài", -1), ("ách tắc", -1.5), ("tắc", -1), ("trì trệ", -1.5),
        ("rườm rà", -1.5), ("phức tạp", -1), ("phiền hà", -1.5), ("gây khó dễ", -2), ("nhũng nhiễu", -2), ("hạch sách", -2),
        ("tham nhũng", -2), ("tiêu cực", -1.5), ("sai phạm", -2), ("vi phạm", -1.5), ("lãng phí", -1.5), ("thất thoát", -1.5),
        ("lạm dụng", -1.5), ("trục lợi", -2), ("thiếu minh bạch", -2), ("không minh bạch", -2), ("khuất tất", -2), ("mờ ám", -2),
        ("bất công", -2), ("thiệt thòi", -1.5), ("thiệt hại", -1.5), ("tổn thất", -1.5), ("mất mùa", -1.5), ("mất trắng", -2),
        ("tăng giá", -1.5), ("tăng cao", -1), ("đắt đỏ", -1.5), ("đắt", -1), ("leo thang", -1.5), ("thất nghiệp", -1.5),
        ("mất việc", -1.5), ("nợ lương", -2), ("chậm lương", -1.5), ("giảm thu nhập", -1.5), ("thu nhập thấp", -1.5),
        ("ô nhiễm", -2), ("hôi thối", -2), ("mùi hôi", -1.5), ("bụi bặm", -1), ("ngập", -1), ("ngập úng", -1.5), ("sạt lở", -1.5),
        ("xuống cấp", -1.5), ("hư hỏng", -1.5), ("hư hại", -1.5), ("lầy lội", -1.5), ("nguy hiểm", -1.5), ("mất an toàn", -2),
        ("tai nạn", -1.5), ("trộm cắp", -1.5), ("cướp", -1.5), ("lừa đảo", -2), ("tệ nạn", -1.5), ("ma túy", -1.5), ("cờ bạc", -1.5),
        ("gây rối", -1.5), ("mất trật tự", -1.5), ("xô xát", -1.5), ("tụ tập đông người", -1.5), ("quá tải", -1.5),
        ("thiếu", -1), ("thiếu hụt", -1.5), ("yếu kém", -1.5), ("yếu", -1), ("kém", -1), ("hạn chế", -1), ("bất cập", -1.5),
        ("vướng mắc", -1), ("khó", -0.5), ("tồn tại", -0.5), ("xấu", -1.5), ("tệ", -1.5), ("tồi", -1.5), ("kém chất lượng", -2),
        ("thờ ơ", -1.5), ("vô cảm", -2), ("hách dịch", -2), ("cửa quyền", -2), ("đùn đẩy", -1.5), ("né tránh", -1.5),
        ("chưa thỏa đáng", -1.5), ("không thỏa đáng", -2), ("không hợp lý", -1.5), ("bất hợp lý", -1.5), ("ép giá", -1.5),
        ("áp đặt", -1.5), ("dọa", -1.5), ("đe dọa", -1.5), ("chèn ép", -1.5), ("tranh chấp", -1.5), ("mâu thuẫn", -1.5),
        ("phiền", -1), ("vô lý", -1.5), ("tùy tiện", -1.5), ("gian lận", -2), ("sai", -1), ("sai sót", -1), ("nhầm lẫn", -1),
        ("dịch bệnh", -1.5), ("bệnh", -0.5), ("quá đông", -1), ("chen lấn", -1), ("đợi lâu", -1.5), ("chờ đợi", -1), ("lâu", -0.5),
        ("xuống", -0.5), ("chất lượng kém", -2), ("mùi lạ", -1), ("quá cao", -1.5), ("gánh nặng", -1.5), ("không muốn", -1), ("cày nát", -1.5), ("nát", -1), ("giảm sút", -1.5), ("sụt giảm", -1.5), ("thua lỗ", -1.5), ("phá sản", -2), ("đình trệ", -1.5),
        ("bỏ hoang", -1), ("không được giải quyết", -2), ("chưa được giải quyết", -1.5), ("dư luận xấu", -2), ("tin đồn", -1),
        ("tin giả", -1.5), ("xuyên tạc", -2), ("kích động", -2),
    ]

    static let negators: [[String]] = [
        ["không"], ["chưa"], ["chẳng"], ["chả"], ["đâu", "có"], ["không", "hề"], ["chưa", "hề"], ["chẳng", "hề"], ["không", "còn"],
        ["chưa", "từng"], ["đỡ"], ["hết"], ["bớt"],
    ]
    /// Words that begin with a negator but are not negations: "không khí" (air), "không chỉ" (not only).
    static let notNegations: Set<String> = ["không khí", "không gian", "không quân", "không chỉ", "không những", "chưa kể", "hết sức", "đỡ đầu"]
    /// Before the word: "rất tốt", "cực kỳ bức xúc". The value is the multiplier.
    static let intensifiersBefore: [([String], Double)] = [
        (["rất"], 1.5), (["quá"], 1.5), (["cực", "kỳ"], 1.8), (["vô", "cùng"], 1.8), (["hết", "sức"], 1.6), (["khá"], 1.2),
        (["hơi"], 0.7), (["đặc", "biệt"], 1.5), (["thật", "sự"], 1.3), (["càng"], 1.2), (["ngày", "càng"], 1.3),
    ]
    /// After the word: "tốt lắm", "đắt quá".
    static let intensifiersAfter: [([String], Double)] = [(["lắm"], 1.5), (["quá"], 1.5), (["cực"], 1.5), (["vô", "cùng"], 1.8), (["hơn"], 1.2)]
}
