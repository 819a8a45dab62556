import Localization

/// The guides behind `pulse help TOPIC`: how the work goes, in the words of those who do it.
enum HelpTopics {
    static let all = ["chu-ky", "vai-tro", "khao-sat", "rieng-tu"]
    static let english = ["cycle", "roles", "surveys", "privacy-rules"]

    /// The topics' names in the current language.
    static var names: String { (Language.current == .en ? english : all).joined(separator: ", ") }

    /// A topic's page, by its Vietnamese or English name (with or without diacritics).
    static func page(_ name: String) -> String? {
        let key = name.lowercased()
        switch key {
        case "chu-ky", "chu-kỳ", "chu-ki", "cycle", "monthly-cycle", "chuky": return cycle
        case "vai-tro", "vai-trò", "roles", "role": return roles
        case "khao-sat", "khảo-sát", "surveys", "survey": return surveys
        case "rieng-tu", "riêng-tư", "privacy-rules": return privacy
        default: return nil
        }
    }

    static var cycle: String {
        tr(
            """
            Chu kỳ hằng tháng

            1. Trước ngày 25 hằng tháng, mỗi đơn vị (đảng ủy trực thuộc, xã, phường, Mặt trận)
               báo cáo tình hình tư tưởng, dư luận xã hội trên địa bàn.
                 pulse report due                      các tháng đơn vị của bạn chưa báo cáo
                 pulse report template 18775 11/2026   tệp mẫu có chỉ dẫn từng trường
                 pulse report submit baocao.json       gửi báo cáo (gửi lại là bản sửa)
            2. Hệ thống tự động nhắc hạn 5 ngày và 1 ngày trước hạn, đôn đốc từ ngày 26, gửi Ban
               danh sách đơn vị còn thiếu sau 3 ngày (pulse notify list).
            3. Ban tiếp nhận báo cáo (pulse report receive) hoặc trả lại để sửa
               (pulse report return ĐƠN-VỊ THÁNG --reason …). Tháng chỉ tính là đủ khi bản sửa đến.
            4. Ban theo dõi: pulse status (ai đã báo cáo), pulse trends, rising, spikes, phrases.
            5. Cuối năm: pulse ranking --year 2026 xếp loại các đơn vị.

            Ngày viết dd/mm/yyyy (25/11/2026) hoặc 2026-11-25; tháng viết 11/2026 hoặc 2026-11.
            """,
            en: """
            The monthly cycle

            1. Before the 25th of each month every unit (subordinate committees, communes, wards,
               the Front) reports the thinking and public opinion in its area.
                 pulse report due                      the months your units still owe
                 pulse report template 18775 2026-11   a file that guides each field
                 pulse report submit report.json       send the report (sending again corrects it)
            2. Reminders go 5 days and 1 day before the deadline, escalations from the 26th, and the
               commission gets the list of missing units 3 days later (notification; pulse notify list).
            3. The commission marks a report received (pulse report receive) or returns it for
               correction (pulse report return UNIT MONTH --reason …). The month counts as complete
               only once the corrected version arrives.
            4. The commission watches: pulse status (who reported), pulse trends, rising, spikes, phrases.
            5. At the end of the year: pulse ranking --year 2026 ranks the units.

            Dates are written 2026-11-25 or 25/11/2026; months 2026-11 or 11/2026.
            """)
    }

    static var roles: String {
        tr(
            """
            Vai trò

            Gateway nhận diện người gọi theo tài khoản hệ điều hành (uid) và tệp chính sách.
              quản trị                 mọi việc; nhật ký kiểm tra chỉ được đọc
              chuyên viên phân tích    mọi báo cáo và số liệu, khảo sát; không sửa mạng lưới, không xem liên lạc
              cán bộ đơn vị            báo cáo của đơn vị mình, số liệu toàn tỉnh
              cơ quan phối hợp         số liệu tổng hợp theo quy tắc ô nhỏ; báo cáo đầy đủ của đơn vị mình
              người kiểm tra nhật ký   chỉ nhật ký kiểm tra (pulse audit)
            Mỗi phương thức khai báo ai được gọi; phương thức không có quy tắc bị từ chối.
            pulse whoami cho biết gateway nhận bạn là ai.
            """,
            en: """
            Roles

            The gateway knows a caller by their system account (uid) and its policy file.
              administrator   everything; the audit log read-only
              analyst         every report and figure, surveys; no roster writes, no contacts
              unit official   their own units' reports, province-wide figures
              partner agency  aggregates under the small-cell rule; full reports of their own units
              auditor         the audit log only (pulse audit)
            Every method declares who may call it; a method without a rule is refused.
            pulse whoami shows who the gateway takes you for.
            """)
    }

    static var surveys: String {
        tr(
            """
            Điều tra xã hội học

              pulse survey create khaosat.json   bảng hỏi: chọn một, chọn nhiều, thang 5 mức, số, trả lời tự do
              pulse survey open 1                mở nhận phiếu
              pulse survey import 1 phieu.csv    nhập phiếu (CSV UTF-8, có hoặc không BOM, hoặc UTF-16)
              pulse survey results 1             ước lượng với sai số, gia quyền theo dân số đơn vị
              pulse survey close 1
            Phiếu trả lời ẩn danh: không lưu người trả lời. Câu trả lời tự do được lọc thông tin cá nhân.
            """,
            en: """
            Surveys

              pulse survey create survey.json    questionnaire: single, multiple choice, five-point scale, number, free text
              pulse survey open 1                start taking responses
              pulse survey import 1 answers.csv  import responses (CSV in UTF-8 with or without a BOM, or UTF-16)
              pulse survey results 1             estimates with margins of error, weighted by unit population
              pulse survey close 1
            Responses are anonymous: nobody who answered is recorded. Free-text answers are scrubbed.
            """)
    }

    static var privacy: String {
        tr(
            """
            Riêng tư: biết một địa bàn nghĩ gì, không bao giờ biết ai nghĩ gì

            - Pulse không lưu thông tin của người dân cụ thể, không thu thập từ tài khoản mạng xã hội
              cá nhân, không lập danh sách người theo quan điểm.
            - Mọi trường văn bản được lọc khi nhận: họ tên người dân ("ông [họ tên]"), số CCCD, hộ
              chiếu, mã số thuế, số bảo hiểm, số tài khoản, biển số xe, số điện thoại, thư điện tử,
              đường dẫn trang cá nhân, @tên; người gửi được báo những gì đã bị bỏ.
            - Cơ quan phối hợp không bao giờ thấy một ô số liệu nhỏ đến mức chỉ ra được một người.
            - pulse privacy scan kiểm tra lại dữ liệu đã lưu.
            """,
            en: """
            Privacy: what an area thinks, never who thinks it

            - Pulse keeps no record of an identifiable member of the public, collects nothing from
              individual social-media accounts, and keeps no list of people by their views.
            - Every free-text field is scrubbed at intake: people's names ("ông [họ tên]"), citizen
              ID, passport, tax, insurance and bank account numbers, licence plates, phone numbers,
              e-mail addresses, profile links, @handles; the submitter is told what was removed.
            - Partner agencies never see a cell small enough to point at someone.
            - pulse privacy scan checks what is stored.
            """)
    }
}
