import Foundation
import Spawn

/// Runs an executable for each notice with the notice as JSON on its standard input (for an
/// SMS gateway, say). Exit 0 is delivered, 75 (EX_TEMPFAIL) is tried again, anything else is
/// refused; a hook still running after a minute is killed and tried again later.
public struct HookChannel: DeliveryChannel {
    public let executable: String
    public var name: String { "hook" }
    public var sender: String? { nil }
    public var needsAddress: Bool { false }

    public init(executable: String) { self.executable = executable }

    public func deliver(_ batch: [OutgoingNotice], now: Date, report: (Int, DeliveryOutcome) throws -> Void) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for notice in batch {
            do {
                let json = try encoder.encode(notice)
                let result = try ChildProcess.collect(executable: executable, arguments: [], input: Array(json) + [0x0A], timeout: .seconds(60))
                try report(notice.id, SendmailChannel.outcome(result, executable))
            } catch let error as SpawnError {
                try report(notice.id, .temporary(error.description))
            }
        }
    }
}
