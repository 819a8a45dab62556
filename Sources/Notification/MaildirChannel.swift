import Foundation
import Localization
import Mail

/// Writes each notice as a message file into a Maildir (tmp, then an atomic rename into new):
/// the default, and what the demo reads.
public struct MaildirChannel: DeliveryChannel {
    public let directory: String
    public let from: String
    public var name: String { "maildir" }
    public var sender: String? { from }
    public var needsAddress: Bool { false }

    public init(directory: String, from: String) throws {
        self.directory = directory
        self.from = from
        for sub in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
    }

    public func deliver(_ batch: [OutgoingNotice], now: Date, report: (Int, DeliveryOutcome) throws -> Void) throws {
        for notice in batch {
            // The notice's id names the file, so a second delivery of one notice replaces, never adds.
            let name = "pulse-notice-\(notice.id).\(ProcessInfo.processInfo.hostName)"
            let message = notice.mail(from: from, date: now).rendered(eightBit: true)
            do {
                let tmp = directory + "/tmp/" + name
                try Data(message.utf8).write(to: URL(fileURLWithPath: tmp), options: .atomic)
                if rename(tmp, directory + "/new/" + name) != 0 { throw CocoaError(.fileWriteUnknown) }
                try report(notice.id, .sent(tr("đã ghi vào Maildir: \(name)", en: "written to the Maildir as \(name)")))
            } catch {
                try report(notice.id, .temporary("cannot write to the Maildir \(directory): \(error.localizedDescription)"))
            }
        }
    }
}
