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
        // Everyday words of residents and informal writing (from the development sets' misses).
        ("không chịu nổi", -2), ("chịu không nổi", -2), ("ai chịu nổi", -2), ("không sống nổi", -2), ("sống không nổi", -2),
        ("không kham nổi", -2), ("không đủ sống", -2), ("không ngủ được", -1.5), ("khổ", -1.5), ("khổ sở", -2), ("cực khổ", -2),
        ("khốn khó", -2), ("khốn khổ", -2), ("nợ nần", -1.5), ("điêu đứng", -2), ("bị lừa", -2), ("lừa", -1.5), ("nứt", -1),
        ("nứt toác", -1.5), ("kinh khủng", -2), ("khủng khiếp", -2), ("bực mình", -1.5), ("chán", -1.5), ("chán nản", -1.5),
        ("rẻ như cho", -2), ("làm ngơ", -2), ("thiên vị", -2), ("mất thời gian", -1), ("lỗ vốn", -1.5), ("lỗ nặng", -2), ("lỗ", -1),
        ("ồn", -1), ("tiếng ồn", -1), ("gây ồn", -1.5), ("ồn ào", -1), ("thối", -1.5), ("bất mãn", -2), ("mỏi mắt", -1.5),
        ("vắng teo", -1), ("hẹn đi hẹn lại", -2), ("trái phép", -1.5), ("bụi", -0.5), ("bụi mù", -1.5), ("ngán", -1.5),
        ("phát ngán", -2), ("tức", -1), ("tức giận", -2), ("giận", -1.5), ("bực tức", -2), ("ức chế", -1.5), ("bó tay", -1.5),
        ("bỏ bê", -1.5), ("nhếch nhác", -1.5), ("ì ạch", -1.5), ("bê bết", -1.5), ("khó khăn chồng chất", -2), ("lo lắm", -1.5),
        ("thất thu", -1.5), ("mất mùa", -1.5), ("chết", -1), ("cắt xén", -2), ("ăn chặn", -2), ("ăn bớt", -2), ("xà xẻo", -2),
        ("đồng ý", 1.5), ("tán thành", 1.5), ("hào hứng", 1.5), ("niềm tin", 1.5), ("gần dân", 1.5), ("sâu sát", 1.5),
        ("khắc phục triệt để", 2), ("triệt để", 1), ("hết lo", 1.5), ("đỡ lo", 1.5), ("yên lòng", 1.5), ("mừng lắm", 2),
        ("ưng", 1.5), ("ưng ý", 1.5), ("phấn chấn", 1.5), ("hồ hởi", 2), ("vui vẻ", 1.5), ("tiện lợi", 1.5), ("tiện thật", 1.5),
        ("nhanh gọn", 1.5), ("sạch sẽ", 1.5), ("rộng rãi", 1), ("thoáng", 1), ("mát", 0.5), ("ngon", 1), ("đủ ăn", 1), ("no đủ", 1.5),
        ("đỡ gánh nặng", 1.5), ("đỡ vất vả", 1.5), ("giảm hẳn", 1), ("đúng hạn", 1), ("đầy đủ", 1), ("chu đáo", 1.5),
        ("biểu dương", 1.5), ("trân trọng", 1.5), ("tri ân", 1.5), ("xứng đáng", 1.5), ("có hiệu quả", 1.5),
        // Neutral: polar syllables inside words that carry no feeling, and the fight against bad things.
        ("phòng chống", 0), ("phòng, chống", 0), ("chống tham nhũng", 0), ("phòng chống tham nhũng", 0), ("đấu tranh", 0),
        ("trấn áp", 0.5), ("bài trừ", 0.5), ("lo liệu", 0), ("lo toan", 0), ("tồn tại, hạn chế", -1), ("đền bù", 0), ("bồi thường", 0),
        ("thiệt hại do", -0.5), ("bị thiệt hại", -1),
        // Common words of feeling and judgement in everyday and administrative Vietnamese (the team's general list).
        ("ảnh hưởng", -0.5), ("bị ảnh hưởng", -1), ("gây ảnh hưởng", -1), ("thiệt", -1), ("nguy cơ", -1), ("ùn tắc", -1.5),
        ("tắc trách", -2), ("vô trách nhiệm", -2), ("thiếu trách nhiệm", -2), ("bấp bênh", -1.5), ("chật vật", -1.5),
        ("lao đao", -2), ("khốn đốn", -2), ("kiệt quệ", -2), ("mất mát", -1.5), ("đau lòng", -2), ("xót xa", -1.5),
        ("phẫn uất", -2), ("uất ức", -2), ("ấm ức", -1.5), ("oan", -1.5), ("oan ức", -2), ("hoảng sợ", -2), ("lo sợ", -1.5),
        ("ngại", -1), ("nghi ngại", -1.5), ("bê bối", -2), ("bê trễ", -1.5), ("trì hoãn", -1), ("chây ì", -1.5), ("lơ là", -1.5),
        ("buông lỏng", -1.5), ("thả nổi", -1.5), ("bao che", -2), ("dung túng", -2), ("tiếp tay", -1.5), ("o ép", -2),
        ("ép buộc", -1.5), ("cưỡng ép", -2), ("gây khó khăn", -1.5), ("lạnh nhạt", -1.5), ("xuống dốc", -1.5), ("lao dốc", -1.5),
        ("ế", -1.5), ("ế ẩm", -1.5), ("mất giá", -1.5), ("rớt giá", -1.5), ("giảm mạnh", -1), ("ô nhiễm nặng", -2),
        ("độc hại", -1.5), ("nguy hại", -1.5), ("bẩn", -1.5), ("hôi", -1.5), ("nhức nhối", -2), ("nan giải", -1.5),
        ("bế tắc", -1.5), ("túng quẫn", -2), ("vỡ nợ", -2), ("thua thiệt", -1.5), ("tổn hại", -1.5), ("nứt nẻ", -1.5),
        ("sụt lún", -1.5), ("lún", -1), ("mất điện", -1), ("cúp điện", -1), ("mất nước", -1), ("khan hiếm", -1.5),
        ("cắt cổ", -2), ("chặt chém", -2), ("tăng vọt", -1.5), ("bất tiện", -1.5), ("phiền phức", -1.5), ("cơ cực", -2),
        ("nhọc nhằn", -1.5), ("kiệt sức", -1.5), ("bất ổn", -1.5), ("hỗn loạn", -2), ("lộn xộn", -1.5), ("mất vệ sinh", -1.5),
        ("xập xệ", -1.5), ("dột nát", -2), ("tạm bợ", -1.5), ("ọp ẹp", -1.5), ("hư", -1), ("ghét", -1.5), ("sợ hãi", -2),
        ("khiếp sợ", -2), ("hăm dọa", -2), ("trấn lột", -2), ("cưỡng đoạt", -2), ("hành hung", -2), ("bạo lực", -2),
        ("lừa gạt", -2), ("lừa lọc", -2), ("gian dối", -2), ("dối trá", -2), ("giả dối", -2), ("mập mờ", -1.5), ("tham ô", -2),
        ("hối lộ", -2), ("tham lam", -1.5), ("bất lực", -1.5), ("vô vọng", -2), ("tuyệt vọng", -2), ("chán chường", -2),
        ("nản", -1.5), ("nản lòng", -1.5), ("buồn bã", -1.5), ("buồn phiền", -1.5), ("phiền lòng", -1.5), ("đau khổ", -2),
        ("khổ cực", -2), ("tức tối", -2), ("oán trách", -1.5), ("trách móc", -1.5), ("chê", -1), ("chê bai", -1.5),
        ("chỉ trích", -1.5), ("bất đồng", -1), ("không đồng ý", -1.5), ("không ủng hộ", -1.5), ("không tin", -1.5),
        ("mất lòng tin", -2), ("thiếu tin tưởng", -1.5), ("sa sút", -1.5), ("kém cỏi", -1.5), ("lạc hậu", -1), ("cũ kỹ", -0.5),
        ("nghiêm trọng", -1.5), ("trầm trọng", -1.5), ("nặng nề", -1.5), ("thảm hại", -2), ("thê thảm", -2), ("tan hoang", -2),
        ("tan nát", -2), ("trắng tay", -2), ("tiêu điều", -1.5), ("ngột ngạt", -1.5), ("oi bức", -1), ("inh ỏi", -1.5),
        ("nhức đầu", -1.5), ("đau đầu", -1.5), ("mệt", -1), ("hân hoan", 2), ("mừng rỡ", 2), ("hạnh phúc", 2),
        ("tín nhiệm", 1.5), ("hưởng ứng", 1.5), ("ý nghĩa", 1), ("bổ ích", 1.5), ("hữu ích", 1.5), ("hiện đại", 1),
        ("đổi thay", 1), ("tận tụy", 2), ("có trách nhiệm", 1.5), ("công tâm", 1.5), ("dân chủ", 1), ("chung sức", 1),
        ("gắn kết", 1), ("sôi nổi", 1.5), ("vui tươi", 1.5), ("hài hòa", 1), ("hợp lòng dân", 2), ("được lòng dân", 2),
        ("bài bản", 1), ("chuyên nghiệp", 1), ("lịch sự", 1), ("đáng khen", 2), ("vinh dự", 1.5), ("khá giả", 1.5),
        ("đủ đầy", 1.5), ("dư dả", 1.5), ("được giá", 1.5), ("việc làm ổn định", 1.5), ("an cư", 1), ("lạc nghiệp", 1),
        ("thịnh vượng", 1.5), ("giàu đẹp", 1.5), ("xanh sạch đẹp", 1.5), ("sạch", 1), ("trong lành", 1.5), ("mát mẻ", 1),
        ("thoáng mát", 1), ("êm đẹp", 1.5), ("suôn sẻ", 1.5), ("thắng lợi", 1.5), ("hiệu quả cao", 2), ("vượt bậc", 1.5),
        ("vượt trội", 1.5), ("khả quan", 1.5), ("tươi sáng", 1.5), ("rạng rỡ", 1.5), ("tươi vui", 1.5), ("vui sướng", 2),
        ("sung sướng", 2), ("thỏa mãn", 1.5), ("mãn nguyện", 2), ("yên ổn", 1.5), ("bình an", 1.5), ("an lành", 1.5),
        ("thanh bình", 1.5), ("ấm lòng", 2), ("ấm áp", 1.5), ("cảm kích", 1.5), ("cảm phục", 1.5), ("khâm phục", 1.5),
        ("nể phục", 1.5), ("quý trọng", 1.5), ("tôn trọng", 1), ("đồng cảm", 1), ("hỗ trợ kịp thời", 2), ("tiếp sức", 1),
        ("phù hợp", 1), ("đúng đối tượng", 1.5), ("công minh", 1.5), ("nghiêm minh", 1.5), ("liêm khiết", 1.5), ("gần gũi", 1.5),
        ("chăm chỉ", 1), ("cần cù", 1), ("năng động", 1), ("sáng tạo", 1), ("đột phá", 1), ("bứt phá", 1),
        ("phát triển mạnh", 1.5), ("thông thoáng", 1.5), ("gọn nhẹ", 1), ("đơn giản", 0.5), ("dễ", 0.5), ("dễ chịu", 1.5),
        ("tốt hơn", 1.5), ("khá hơn", 1), ("đỡ hơn", 1),
        // Idioms and everyday ways of complaining and praising (from the second development writer's misses).
        ("than thở", -1.5), ("than", -1), ("kêu trời", -2), ("không biết kêu ai", -2), ("biết kêu ai", -2),
        ("ai mà chịu được", -2), ("ai chịu được", -2), ("ai mà tin", -2), ("sống sao nổi", -2), ("thế là sao", -1.5),
        ("vậy là sao", -1.5), ("để làm gì", -1.5), ("tiền đi đâu", -2), ("cứ như rùa bò", -2), ("như rùa bò", -2),
        ("rùa bò", -1.5), ("nằm im", -1), ("nước mắt lưng tròng", -2), ("chưa thấy chuyển biến", -1.5),
        ("không thấy chuyển biến", -1.5), ("chẳng ai đoái hoài", -2), ("không ai đoái hoài", -2), ("tăng vù vù", -2),
        ("vù vù", -1), ("ba cọc ba đồng", -1.5), ("ngồi trên đống lửa", -2), ("rầu rĩ", -2), ("chóng mặt", -1.5),
        ("chứng nào tật nấy", -2), ("ngồi đứng không yên", -2), ("đứng ngồi không yên", -2), ("giậm chân tại chỗ", -1.5),
        ("dậm chân tại chỗ", -1.5), ("bong tróc", -1.5), ("mất ngủ", -1.5), ("sốt ruột", -1.5), ("ngán ngẩm", -2), ("ức", -1.5),
        ("chẳng ăn thua", -1.5), ("không ăn thua", -1.5), ("nói cũng như không", -2), ("như không", -1), ("lận đận", -1.5),
        ("khốn", -1.5), ("khổ quá", -2), ("ho hen", -1), ("ho sù sụ", -1.5), ("ốm đau", -1), ("xoay xở", -1),
        ("không biết xoay xở", -2), ("vàng khè", -1.5), ("tanh", -1), ("tanh rình", -1.5), ("đen kịt", -1.5), ("rầm rầm", -1),
        ("rầm rĩ", -1.5), ("bực dọc", -1.5), ("nhức", -1), ("chán ngán", -2), ("như đánh bạc", -1.5), ("hứa", -0.5),
        ("hứa hẹn", -0.5), ("hứa suông", -2), ("hẹn", -0.5), ("chờ mãi", -1.5), ("báo mãi", -1.5), ("mãi mà", -1),
        ("không ai xử lý", -2), ("không ai trả lời", -2), ("đổ rạp", -1.5), ("chuột phá", -1.5),
        ("phá hoại", -1.5), ("không theo kịp", -1.5), ("bỏ về quê", -1), ("thuê xe ôm", -0.5), ("chỉ biết than", -2),
        ("đâu vào đấy", 2), ("nhẹ cả người", 2), ("nhẹ người", 1.5), ("tâm phục khẩu phục", 2), ("cười tươi", 2),
        ("tươi như hoa", 2), ("tình làng nghĩa xóm", 1.5), ("nhẹ nhõm", 2), ("nhẹ lòng", 2), ("hớn hở", 2), ("thương lắm", 1.5),
        ("mát lòng", 2), ("hả hê", 1.5), ("sướng hẳn", 2), ("háo hức", 1.5), ("tươi rói", 2), ("trúng lớn", 2), ("trúng", 1),
        ("được việc", 1.5), ("được quan tâm", 1.5), ("trơn tru", 1.5), ("hoan hỉ", 2), ("mừng như bắt được vàng", 2),
        ("khen nức nở", 2), ("trôi chảy", 1.5), ("nhanh gọn lẹ", 2), ("khấm khá hơn", 2), ("khởi sắc hơn", 2), ("lãi cao", 1.5),
        ("lợi nhuận cao", 1.5), ("thu nhập tăng", 1.5), ("thanks", 1.5), ("cảm ơn nhiều", 2), ("có chỗ dựa", 1.5),
        ("chỗ dựa", 1), ("đỡ đần", 1.5), ("vui hẳn", 2), ("mừng hẳn", 2), ("phấn khích", 1.5), ("đúng hẹn", 1.5),
        ("trước hạn", 1.5), ("xong sớm", 1.5), ("tận nơi", 1), ("tận nhà", 1),
        ("thiếu thuốc", -1.5), ("chưa đến tay", -1.5), ("không đến tay", -2), ("quá thấp", -1.5), ("nhiễm phèn", -1.5),
        ("chẳng ai quan tâm", -2), ("không ai quan tâm", -2), ("không ai đoái hoài", -2),
        ("đền bù rẻ", -2), ("rẻ như chó", -2), ("sao mà sống được", -2), ("sống sao được", -2), ("sao mà sống", -1.5),
        ("không có thuốc", -1.5), ("không đủ", -1.5), ("không đủ tiền", -2), ("mất trật tự", -1.5), ("không đạt", -1.5),
        ("không đạt chất lượng", -2), ("hỏng", -1.5), ("đủ nước", 1), ("năng suất tăng", 1.5), ("tăng năng suất", 1.5),
    ]

    /// Strong, explicit feelings ("bức xúc", "phấn khởi"): they keep their full weight in a
    /// clause that only reports or requests (see `frames`), where other polar words count for less.
    static let feelings: Set<String> = [
        "bức xúc", "bất bình", "phẫn nộ", "bực", "bực mình", "bực bội", "khó chịu", "không hài lòng", "phàn nàn", "kêu ca", "than phiền",
        "phản đối", "lo lắng", "lo ngại", "lo", "băn khoăn", "hoang mang", "sợ", "hoài nghi", "nghi ngờ", "thất vọng", "chán", "chán nản",
        "buồn", "mệt mỏi", "bất mãn", "tức giận", "hài lòng", "phấn khởi", "vui mừng", "vui", "mừng", "tin tưởng", "đồng tình", "ủng hộ",
        "đồng thuận", "hoan nghênh", "đánh giá cao", "cảm ơn", "yên tâm", "tự hào", "khen", "khen ngợi", "hào hứng", "tán thành",
        "phấn chấn", "hồ hởi", "ưng", "thích", "đồng ý", "biết ơn", "không đồng tình", "không đồng thuận", "chưa đồng thuận",
        "hết lo", "đỡ lo", "yên lòng", "mừng lắm", "ghi nhận", "trân trọng", "biểu dương",
    ]

    /// Words that make a clause a report of facts or a request ("cử tri kiến nghị…", "xã đã
    /// tiếp nhận…"): its polar words other than feelings count for `frameWeight` of their value.
    static let frames: [String] = [
        "kiến nghị", "đề nghị", "đề xuất", "quan tâm đến", "tiếp nhận", "thống kê", "rà soát", "điều tra", "làm rõ", "xác minh", "kiểm tra",
        "báo cáo", "tổ chức", "triển khai", "hướng dẫn", "tuyên truyền", "họp", "lấy ý kiến", "chi trả", "trao", "xảy ra", "phát sinh",
        "phối hợp", "tuần tra", "kiểm kê", "hồ sơ", "quy ước", "đang được",
        "yêu cầu", "thông báo", "kế hoạch", "ban hành", "dự kiến", "danh sách", "kiểm đếm", "biên bản", "phân bổ", "hỏi về",
        "bàn về", "ý kiến về", "luồng ý kiến", "so sánh", "xem xét", "gửi đơn", "diễn tập", "dự báo", "chuẩn bị", "tin báo",
    ]
    static let frameWeight = 0.35

    /// Phrases that say opinions are divided: the sentence's score counts for little.
    static let divided: [String] = [
        "khác nhau", "hai luồng", "luồng ý kiến", "trái chiều", "chia đôi", "người khen người chê", "có người khen có người chê",
        "người đồng ý người chưa", "người ủng hộ người phản đối", "chưa thống nhất", "còn nhiều ý kiến",
    ]

    static let negators: [[String]] = [
        ["không"], ["chưa"], ["chẳng"], ["chả"], ["đâu", "có"], ["không", "hề"], ["chưa", "hề"], ["chẳng", "hề"], ["không", "còn"],
        ["chưa", "từng"], ["đỡ"], ["hết"], ["bớt"], ["thiếu"], ["không", "phải"], ["không", "có"], ["không", "bị"],
    ]
    /// Words that begin with a negator but are not negations: "không khí" (air), "không chỉ" (not only).
    static let notNegations: Set<String> = [
        "không khí", "không gian", "không quân", "không chỉ", "không những", "chưa kể", "hết sức", "đỡ đầu", "không khỏi", "chẳng khác",
    ]
    /// Before the word: "rất tốt", "cực kỳ bức xúc". The value is the multiplier.
    static let intensifiersBefore: [([String], Double)] = [
        (["rất"], 1.5), (["quá"], 1.5), (["cực", "kỳ"], 1.8), (["vô", "cùng"], 1.8), (["hết", "sức"], 1.6), (["khá"], 1.2),
        (["hơi"], 0.7), (["đặc", "biệt"], 1.5), (["thật", "sự"], 1.3), (["càng"], 1.2), (["ngày", "càng"], 1.3),
    ]
    /// After the word: "tốt lắm", "đắt quá".
    static let intensifiersAfter: [([String], Double)] = [(["lắm"], 1.5), (["quá"], 1.5), (["cực"], 1.5), (["vô", "cùng"], 1.8), (["hơn"], 1.2)]
}
