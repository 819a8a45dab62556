import Foundation
import Mail
import Spawn

/// Hands each notice to the local MTA's `sendmail -t -i` (Postfix, Exim and the like).
public struct SendmailChannel: DeliveryChannel {
    public let executable: String
    public let from: String
    public var name: String { "sendmail" }
    public var sender: String? { from }
    public var needsAddress: Bool { true }

    public init(executable: String, from: String) {
        self.executable = executable
        self.from = from
    }

    public func deliver(_ batch: [OutgoingNotice], now: Date, report: (Int, DeliveryOutcome) throws -> Void) throws {
        for notice in batch {
            let message = notice.mail(from: from, date: now).rendered(eightBit: true).replacingOccurrences(of: "\r\n", with: "\n")
            do {
                let result = try ChildProcess.collect(executable: executable, arguments: ["-t", "-i", "-f", from], input: Array(message.utf8), timeout: .seconds(60))
                try report(notice.id, SendmailChannel.outcome(result, executable))
            } catch let error as SpawnError {
                try report(notice.id, .temporary(error.description))
            }
        }
    }

    /// Exit 0 delivered; sysexits' EX_TEMPFAIL (75) and a signal are temporary; any other is not.
    static func outcome(_ result: Collected, _ executable: String) -> DeliveryOutcome {
        let said = String(decoding: result.standardError.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let detail = "\(executable) \(result.termination)" + (said.isEmpty ? "" : ": \(said)")
        switch result.termination {
        case .exited(0): return .sent(detail)
        case .exited(75), .killed, .unknown: return .temporary(detail)
        case .exited: return .permanent(detail)
        }
    }
}
