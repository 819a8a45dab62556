import Arguments
import Foundation
import Text

/// Text tools that run offline, with no service: one input line per output line.
enum TextCommands {
    static func lines() -> AnyIterator<String> {
        AnyIterator { readLine(strippingNewline: true) }
    }

    static var text: Command {
        Command(
            "text", "Vietnamese text tools that work offline, one input line per output line.",
            subcommands: [
                Command("scrub", "Remove personal identifiers (IDs, phones, e-mails, profile links, @handles) from each line.", options: [.flag("json", help: "Add the kinds and spans removed.")]) { inv in
                    for line in lines() {
                        let result = Scrubber.scrub(line)
                        if inv.output.format == .json {
                            struct Line: Encodable { var text: String; var removed: [Scrubber.Removal] }
                            print(Output.json(Line(text: result.text, removed: result.removals), pretty: false))
                        } else {
                            print(result.text)
                        }
                    }
                },
                Command("normalize", "Print each line in NFC.") { _ in
                    for line in lines() { print(Folding.nfc(line)) }
                },
                Command("fold", "Print each line folded for matching: lowercase, no diacritics, đ → d.") { _ in
                    for line in lines() { print(Folding.fold(line)) }
                },
            ])
    }
}
