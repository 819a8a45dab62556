import Arguments
import Foundation
import Messages
import Localization
import Testing
@testable import PulseCLI

@Suite("Command-line parsing and output")
struct ArgumentsTests {
    let options: [OptionSpec] = [
        .option("socket", short: "s", value: "path", help: ""), .flag("json", help: ""),
        .option("kind", value: "k", help: "", repeatable: true),
    ]

    @Test("p-values as a reader writes them, never 6.7e-04")
    func probabilities() {
        let cases: [(Double, String, String)] = [
            (0.0123, "0,012", "0.012"), (0.001, "0,001", "0.001"), (6.7e-4, "6,7 × 10⁻⁴", "6.7 × 10⁻⁴"), (9.96e-5, "1,0 × 10⁻⁴", "1.0 × 10⁻⁴"),
            (1.2e-12, "1,2 × 10⁻¹²", "1.2 × 10⁻¹²"), (0, "0", "0"), (1, "1,000", "1.000"),
        ]
        for (p, vi, en) in cases {
            #expect(LocalFormat.probability(p, .vi) == vi && LocalFormat.probability(p, .en) == en, "\(p): \(LocalFormat.probability(p, .vi)) / \(LocalFormat.probability(p, .en))")
        }
    }

    @Test("long, short, = and repeated options, flags, positionals and --")
    func parse() throws {
        let p = try ArgumentParser.parse(["a", "--socket=/x", "--json", "--kind", "xã", "--kind", "ward", "--", "--not-an-option"], options: options)
        #expect(p.positionals == ["a", "--not-an-option"])
        #expect(p.value("socket") == "/x")
        #expect(p.has("json"))
        #expect(p.all("kind") == ["xã", "ward"])
        #expect(try ArgumentParser.parse(["-s", "/y"], options: options).value("socket") == "/y")
    }

    @Test("mistakes are usage errors that say what to do")
    func mistakes() {
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--sock", "/x"], options: options) }
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--socket"], options: options) }
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--json=yes"], options: options) }
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["--socket", "a", "--socket", "b"], options: options) }
        Language.$current.withValue(.en) {
            do {
                _ = try ArgumentParser.parse(["--sock", "x"], options: options)
            } catch let error as UsageError {
                #expect(error.message == "unknown option --sock; did you mean --socket?")
            } catch {
                Issue.record("\(error)")
            }
        }
        do {
            _ = try ArgumentParser.parse(["--sock", "x"], options: options)
        } catch {
            #expect(error.message == "không có tùy chọn --sock; có phải ý bạn là --socket?")
        }
    }

    @Test("tables align Vietnamese text whatever its Unicode form")
    func alignment() {
        let nfd = "Kỳ Anh".decomposedStringWithCanonicalMapping
        #expect(Output.width(nfd) == Output.width("Kỳ Anh"))
        #expect(Output.pad(nfd, 8).count == 8)
    }

    @Test("a report as CSV, one item per row")
    func csvReport() throws {
        let csv = """
            unit,period,submitter,assessment,topic,summary,prevalence,trend,sentiment,channels,localities,proposal
            18775,2026-11,1,Ổn định,dat-dai,"Bồi thường, tái định cư",some,rising,-1,inPerson;press,,Đề nghị
            18775,2026-11,1,Ổn định,gia-ca,Giá tăng,widespread,stable,0,,,
            """
        let draft = try ReportCommands.draft(from: csv, path: "r.csv")
        #expect(draft.items.count == 2)
        #expect(draft.items[0].summary == "Bồi thường, tái định cư")
        #expect(draft.items[0].channels == [.inPerson, .press])
        #expect(draft.idempotencyKey.hasPrefix("content-"), "keyed by its content")
        #expect(try ReportCommands.draft(from: csv, path: "r.csv").idempotencyKey == draft.idempotencyKey, "the same file is the same submission")
        #expect(throws: CLIError.self) { try ReportCommands.draft(from: csv.replacingOccurrences(of: "some,", with: "lots,"), path: "r.csv") }
    }
}
