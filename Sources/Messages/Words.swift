import Localization
import Wire

/// An enum that users read as a word of their language, never as its code.
public protocol Worded {
    var word: String { get }
}

extension UnitKind: Worded {
    public var word: String {
        switch self {
        case .province: return tr("tỉnh", en: "province")
        case .commission: return tr("ban", en: "commission")
        case .subordinateCommittee: return tr("đảng ủy trực thuộc", en: "subordinate party committee")
        case .commune: return tr("xã", en: "commune")
        case .ward: return tr("phường", en: "ward")
        case .front: return tr("mặt trận", en: "Fatherland Front")
        case .massOrganisation: return tr("đoàn thể", en: "mass organisation")
        case .agency: return tr("cơ quan", en: "agency")
        case .district: return tr("huyện (trước 2025)", en: "district (before 2025)")
        case .township: return tr("thị trấn", en: "township")
        }
    }
}

extension Prevalence: Worded {
    public var word: String {
        switch self {
        case .isolated: return tr("cá biệt", en: "isolated")
        case .some: return tr("một bộ phận", en: "some")
        case .widespread: return tr("phổ biến", en: "widespread")
        }
    }
}

extension Trend: Worded {
    public var word: String {
        switch self {
        case .falling: return tr("giảm", en: "falling")
        case .stable: return tr("ổn định", en: "stable")
        case .rising: return tr("tăng", en: "rising")
        }
    }
}

extension Channel: Worded {
    public var word: String {
        switch self {
        case .inPerson: return tr("trực tiếp", en: "in person")
        case .meetings: return tr("hội nghị, cuộc họp", en: "meetings")
        case .socialMedia: return tr("mạng xã hội", en: "social media")
        case .press: return tr("báo chí", en: "press")
        case .petitions: return tr("đơn thư", en: "petitions")
        case .other: return tr("khác", en: "other")
        }
    }
}

extension Timeliness: Worded {
    public var word: String {
        switch self {
        case .onTime: return tr("đúng hạn", en: "on time")
        case .late: return tr("trễ hạn", en: "late")
        }
    }
}

extension ReportState: Worded {
    public var word: String {
        switch self {
        case .onTime: return tr("đúng hạn", en: "on time")
        case .late: return tr("trễ hạn", en: "late")
        case .missing: return tr("chưa báo cáo", en: "missing")
        case .returned: return tr("trả lại để sửa", en: "returned for correction")
        }
    }
}

extension ChangeKind: Worded {
    public var word: String {
        switch self {
        case .report: return tr("báo cáo", en: "report")
        case .surveyOpened: return tr("mở khảo sát", en: "survey opened")
        case .surveyClosed: return tr("đóng khảo sát", en: "survey closed")
        case .surveyResponse: return tr("phiếu khảo sát", en: "survey response")
        case .reportReviewed: return tr("Ban xem xét báo cáo", en: "report reviewed")
        }
    }
}

extension QuestionKind: Worded {
    public var word: String {
        switch self {
        case .singleChoice: return tr("chọn một", en: "single choice")
        case .multipleChoice: return tr("chọn nhiều", en: "multiple choice")
        case .likert: return tr("thang 5 mức", en: "five-point scale")
        case .number: return tr("số", en: "number")
        case .freeText: return tr("trả lời tự do", en: "free text")
        }
    }
}

extension SurveyState: Worded {
    public var word: String {
        switch self {
        case .draft: return tr("bản nháp", en: "draft")
        case .open: return tr("đang mở", en: "open")
        case .closed: return tr("đã đóng", en: "closed")
        }
    }
}

extension NoticeState: Worded {
    public var word: String { Language.current == .en ? rawValue : vietnamese }
}

extension NoticeRule: Worded {
    public var word: String {
        switch self {
        case .reminder: return tr("nhắc hạn", en: "reminder")
        case .escalation: return tr("đôn đốc", en: "escalation")
        case .commissionEscalation: return tr("báo Ban", en: "to the commission")
        case .spike: return tr("tăng đột biến", en: "spike")
        case .surveyClosing: return tr("khảo sát sắp đóng", en: "survey closing")
        case .legacy: return tr("thông báo cũ", en: "legacy")
        case .returned: return tr("trả lại báo cáo", en: "report returned")
        case .digest: return tr("bản tổng hợp", en: "digest")
        }
    }
}

extension PersonRole: Worded {
    public var word: String {
        switch self {
        case .official: return tr("cán bộ phụ trách", en: "official")
        case .collaborator: return tr("cộng tác viên", en: "collaborator")
        case .staff: return tr("cán bộ Ban", en: "commission staff")
        }
    }
}

extension TaskState: Worded {
    public var word: String {
        switch self {
        case .done: return tr("đã xong", en: "done")
        case .doneLate: return tr("xong trễ", en: "done late")
        case .pending: return tr("chưa đến hạn", en: "pending")
        case .overdue: return tr("quá hạn", en: "overdue")
        }
    }
}

extension Day {
    /// 25/11/2026 in Vietnamese, 2026-11-25 in English.
    public var text: String { LocalFormat.date(year: year, month: month, day: day) }

    /// A day the user typed: 25/11/2026 or 2026-11-25.
    public static func typed(_ text: String) -> Day? {
        guard let d = LocalFormat.parseDate(text) else { return nil }
        return Day(year: d.year, month: d.month, day: d.day)
    }
}

extension Period {
    /// 11/2026 in Vietnamese, 2026-11 in English.
    public var text: String { LocalFormat.month(year: year, month: month) }

    /// A month the user typed: 11/2026 or 2026-11.
    public static func typed(_ text: String) -> Period? {
        guard let p = LocalFormat.parseMonth(text) else { return nil }
        return Period(year: p.year, month: p.month)
    }
}

extension Role: Worded {
    public var word: String {
        switch self {
        case .admin: return tr("quản trị", en: "administrator")
        case .analyst: return tr("chuyên viên phân tích", en: "analyst")
        case .official: return tr("cán bộ đơn vị", en: "unit official")
        case .partner: return tr("cơ quan phối hợp", en: "partner agency")
        case .auditor: return tr("người kiểm tra nhật ký", en: "auditor")
        }
    }
}

extension ReviewState: Worded {
    public var word: String {
        switch self {
        case .received: return tr("Ban đã tiếp nhận", en: "received")
        case .returned: return tr("trả lại để sửa", en: "returned for correction")
        }
    }
}
