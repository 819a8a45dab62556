import Foundation
import Messages

/// A seeded, reproducible year of Hà Tĩnh's records for the demo: which units reported when,
/// what they reported, and a land-compensation surge around Kỳ Anh in the last month.
struct DemoData {
    /// SplitMix64: small, fast and the same on every machine.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    }

    /// Per topic: texts (with the place filled in), and the usual prevalence and sentiment.
    static let templates: [String: [(String, Prevalence, Int)]] = [
        "dat-dai": [
            ("Người dân %@ bức xúc vì giá bồi thường giải phóng mặt bằng thấp hơn giá thị trường.", .some, -2),
            ("Một số hộ ở %@ chưa đồng thuận với phương án tái định cư, đề nghị công khai giá đất.", .some, -1),
            ("Bà con %@ quan tâm tiến độ cấp giấy chứng nhận quyền sử dụng đất sau sáp nhập.", .isolated, 0),
        ],
        "gia-ca": [
            ("Giá thực phẩm, xăng dầu tăng khiến đời sống người dân %@ khó khăn hơn.", .widespread, -1),
            ("Tiểu thương ở %@ lo ngại sức mua giảm, hàng hóa tồn nhiều.", .some, -1),
            ("Giá cả các mặt hàng thiết yếu tại %@ cơ bản ổn định, người dân yên tâm.", .some, 1),
        ],
        "viec-lam": [
            ("Lao động trẻ ở %@ mong có thêm lớp đào tạo nghề gắn với doanh nghiệp.", .some, 0),
            ("Một số công nhân quê %@ mất việc do doanh nghiệp cắt giảm đơn hàng, đời sống khó khăn.", .isolated, -1),
        ],
        "y-te": [
            ("Người dân %@ hài lòng với đợt khám sức khỏe miễn phí cho người cao tuổi.", .some, 2),
            ("Bà con %@ phản ánh trạm y tế thiếu thuốc, phải lên tuyến trên mua.", .isolated, -1),
        ],
        "giao-duc": [
            ("Phụ huynh ở %@ băn khoăn về các khoản thu đầu năm học.", .some, -1),
            ("Trường học ở %@ được đầu tư khang trang, phụ huynh phấn khởi.", .some, 2),
        ],
        "moi-truong": [
            ("Bà con %@ phản ánh mùi hôi từ trại chăn nuôi chưa được xử lý dứt điểm.", .isolated, -2),
            ("Rác thải ở một số điểm tập kết tại %@ chậm được thu gom.", .isolated, -1),
        ],
        "ha-tang": [
            ("Tuyến đường liên thôn ở %@ xuống cấp, đi lại khó khăn vào mùa mưa.", .some, -1),
            ("Người dân %@ phấn khởi khi cầu mới được đưa vào sử dụng.", .some, 2),
        ],
        "cai-cach-hanh-chinh": [
            ("Sau sắp xếp đơn vị hành chính, người dân %@ đánh giá cao việc giải quyết thủ tục nhanh, thuận tiện.", .some, 2),
            ("Một số người dân %@ còn lúng túng khi làm thủ tục trực tuyến.", .isolated, 0),
        ],
        "an-sinh": [
            ("Việc chi trả trợ cấp cho người có công tại %@ kịp thời, đúng đối tượng.", .some, 1),
            ("Bà con %@ đề nghị rà soát lại danh sách hộ cận nghèo cho công bằng.", .isolated, -1),
        ],
        "an-ninh-trat-tu": [
            ("Tình hình an ninh trật tự tại %@ ổn định, người dân yên tâm.", .some, 1),
            ("Người dân %@ lo ngại tình trạng lừa đảo qua điện thoại gia tăng.", .some, -1),
        ],
        "thien-tai": [
            ("Người dân vùng ven biển %@ lo lắng mùa mưa bão, đề nghị gia cố đê kè.", .widespread, -1),
            ("Công tác cứu trợ sau bão tại %@ được triển khai kịp thời, bà con biết ơn.", .some, 2),
        ],
    ]

    /// Topic weights by month: storms in the autumn, prices around Tết.
    static func weights(month: Int) -> [(String, Double)] {
        var w: [(String, Double)] = [
            ("dat-dai", 1.0), ("gia-ca", 1.2), ("viec-lam", 0.8), ("y-te", 0.7), ("giao-duc", 0.6), ("moi-truong", 0.6),
            ("ha-tang", 0.8), ("cai-cach-hanh-chinh", 1.0), ("an-sinh", 0.6), ("an-ninh-trat-tu", 0.7), ("thien-tai", 0.2),
        ]
        if (9...11).contains(month) { w[10].1 = 2.5 }
        if month == 1 || month == 2 { w[1].1 = 2.5 }
        if (8...9).contains(month) { w[4].1 = 1.8 }
        return w
    }

    static func pick(_ weights: [(String, Double)], _ rng: inout Random) -> String {
        let total = weights.map(\.1).reduce(0, +)
        var x = rng.unit() * total
        for (topic, w) in weights {
            x -= w
            if x <= 0 { return topic }
        }
        return weights.last!.0
    }

    /// The archive: every reporting unit's months from `first` to `last`.
    static func archive(units: [(code: String, name: String, submitter: Int)], first: Period, last: Period, surge: Set<String>, skipLastMonth: Set<String>) -> [ArchivedReport] {
        var rng = Random(state: 20_250_701)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.timeZone
        var reports: [ArchivedReport] = []
        // An agency of the province (the police's committee, the Front) writes of the communes
        // where it heard something, not "ở Đảng ủy Công an tỉnh".
        let places = units.map(\.name).filter { $0.hasPrefix("Xã ") || $0.hasPrefix("Phường ") }
        for index in first.index...last.index {
            let period = Period(index: index)
            for unit in units {
                // Some units miss months; a few are often late.
                let diligence = unit.code.hasSuffix("3") ? 0.75 : 0.95
                guard rng.unit() < diligence, !(index == last.index && skipLastMonth.contains(unit.code)) else { continue }
                let late = rng.unit() < (unit.code.hasSuffix("3") ? 0.35 : 0.08)
                let day = late ? rng.int(25...28) : rng.int(3...24)
                let received = calendar.date(from: DateComponents(year: period.year, month: period.month, day: day, hour: rng.int(7...17), minute: rng.int(0...59)))!
                var items: [OpinionItem] = []
                var topics: Set<String> = []
                let surging = index == last.index && surge.contains(unit.code)
                if surging {
                    let surge = [
                        "Nhiều hộ dân \(unit.name) kiến nghị về giá bồi thường dự án mở rộng khu kinh tế Vũng Áng, đề nghị đối thoại trực tiếp.",
                        "Người dân \(unit.name) bức xúc vì phương án bồi thường dự án mở rộng khu kinh tế chưa công khai.",
                        "Bà con \(unit.name) lo lắng về tái định cư khi mở rộng khu kinh tế, chưa rõ vị trí khu tái định cư.",
                        "Một số hộ ở \(unit.name) chưa bàn giao mặt bằng vì giá bồi thường dự án mở rộng khu kinh tế thấp.",
                        "Trên mạng xã hội xuất hiện nhiều bình luận về giá bồi thường dự án mở rộng khu kinh tế, gây hoang mang.",
                    ]
                    for text in surge {
                        items.append(OpinionItem(topic: "dat-dai", summary: text, prevalence: .widespread, trend: .rising, sentiment: -2, channels: [.inPerson, .socialMedia]))
                    }
                    topics.insert("dat-dai")
                }
                for _ in 0..<rng.int(2...4) {
                    let topic = pick(weights(month: period.month), &rng)
                    guard topics.insert(topic).inserted else { continue }
                    let (text, prevalence, sentiment) = rng.pick(templates[topic]!)
                    let trend: Trend = rng.unit() < 0.25 ? .rising : rng.unit() < 0.3 ? .falling : .stable
                    let place = places.isEmpty || places.contains(unit.name) ? unit.name : places[(index + items.count + unit.code.count) % places.count]
                    items.append(OpinionItem(topic: topic, summary: text.replacingOccurrences(of: "%@", with: place), prevalence: prevalence, trend: trend, sentiment: sentiment, channels: [rng.pick([.inPerson, .meetings, .press, .socialMedia])]))
                }
                let draft = ReportDraft(
                    unit: unit.code, period: period, submitter: unit.submitter, assessment: "Tình hình tư tưởng của cán bộ, đảng viên và nhân dân cơ bản ổn định.",
                    items: items, idempotencyKey: "archive-\(unit.code)-\(period)")
                reports.append(ArchivedReport(draft: draft, receivedAt: received))
            }
        }
        return reports
    }
}
