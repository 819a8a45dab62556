import Arguments
import Foundation
import Localization
import Testing
@testable import PulseCLI

/// Issue 14, item 10: a report file's mistakes in words its writer can act on.
@Suite("Report files: mistakes named by field, with what the field may hold")
struct ReportFileCheckTests {
    func file(prevalence: String = "\"some\"", submitter: String = "1", sentiment: String = "-1", unit: String = "\"18775\"") -> String {
        """
        {"unit": \(unit), "period": "2026-11", "submitter": \(submitter), "assessment": "Ổn định.",
         "items": [{"topic": "dat-dai", "summary": "Người dân quan tâm bồi thường.", "prevalence": \(prevalence), "trend": "stable",
                    "sentiment": \(sentiment), "channels": ["meetings"], "localities": []}]}
        """
    }

    @Test("a sound file has no problems")
    func sound() { #expect(ReportFileCheck.problems(file()).isEmpty) }

    @Test("each mistake names its field, what it holds and what it may hold")
    func mistakes() {
        Language.$current.withValue(.en) { mistakesInEnglish() }
        #expect(ReportFileCheck.problems(file(prevalence: "\"nhiều\"")) == ["items[0].prevalence: \"nhiều\" không phải một trong isolated, some, widespread"])
        #expect(ReportFileCheck.problems(file(sentiment: "3")) == ["items[0].sentiment: 3 không phải một số nguyên từ -2 (rất tiêu cực) đến 2 (rất tích cực)"])
    }

    func mistakesInEnglish() {
        #expect(ReportFileCheck.problems(file(prevalence: "\"nhiều\"")) == ["items[0].prevalence: \"nhiều\" is not one of isolated, some, widespread"])
        #expect(ReportFileCheck.problems(file(submitter: "\"một\"")) == ["submitter: \"một\" is not a person's number (a whole number from `pulse people list`)"])
        #expect(ReportFileCheck.problems(file(sentiment: "1.5")) == ["items[0].sentiment: 1.5 is not a whole number from -2 (very negative) to 2 (very positive)"])
        #expect(ReportFileCheck.problems(file(sentiment: "3")) == ["items[0].sentiment: 3 is not a whole number from -2 (very negative) to 2 (very positive)"])
        #expect(ReportFileCheck.problems(file(unit: "\"\"")) == ["unit: empty; give the unit's code, such as 18775"])
    }

    @Test("a syntax error is placed by line and column")
    func syntax() {
        Language.$current.withValue(.en) { syntaxInEnglish() }
        #expect(ReportFileCheck.problems("{\"unit\": 18775") == ["dòng 1, cột 15: tệp kết thúc trong { … }; thiếu dấu }"])
    }

    @Test("a template's «…» text left in a field, or an empty assessment, is refused by the field's name")
    func unfilledTemplate() {
        let unfilled = file().replacingOccurrences(of: "\"Người dân quan tâm bồi thường.\"", with: "\"«người dân nói gì»\"")
        #expect(unfilled != file())
        #expect(ReportFileCheck.problems(unfilled) == ["items[0].summary: vẫn là chữ của tệp mẫu (\"«người dân nói gì»\"); hãy viết nội dung thật"])
        let empty = file().replacingOccurrences(of: "\"assessment\": \"Ổn định.\"", with: "\"assessment\": \"  \"")
        #expect(empty != file())
        #expect(ReportFileCheck.problems(empty) == ["assessment: trống; hãy viết đánh giá chung tình hình của đơn vị trong tháng"])
    }

    func syntaxInEnglish() {
        #expect(ReportFileCheck.problems("{\"unit\": \"18775\",\n \"period\": \"2026-11\",\n \"submitter\": 1 x\n}") == ["line 3, column 17: expected , or } after a field"])
        #expect(ReportFileCheck.problems("{\"unit\": 18775") == ["line 1, column 15: the file ends inside { … }; a } is missing"])
        #expect(ReportFileCheck.problems("{\"unit\": tám}") == ["line 1, column 10: unexpected tám}; text must be in quotes"])
    }
}

@Suite("Arguments that look like options")
struct NegativeNumberArgumentTests {
    @Test("a negative number is a positional the command can refuse with its own words, not an unknown option")
    func negative() throws {
        let parsed = try ArgumentParser.parse(["ward", "-2"], options: [])
        #expect(parsed.positionals == ["ward", "-2"])
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["ward", "-x"], options: []) }
    }
}

@Suite("Tables")
struct TableCellTests {
    @Test("a long cell is cut with … for display only")
    func cut() {
        #expect(Output.cut(String(repeating: "ư", count: 500), 120) == String(repeating: "ư", count: 119) + "…")
        #expect(Output.cut("Xã Kỳ Anh", 120) == "Xã Kỳ Anh")
        #expect(Output.trimmingTrailingSpaces("a b   ") == "a b")
    }
}
