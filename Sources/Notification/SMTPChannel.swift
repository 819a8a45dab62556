import Foundation
import Mail

/// Sends through an SMTP relay, one connection for the whole batch.
public struct SMTPChannel: DeliveryChannel {
    public let configuration: SMTPConfiguration
    public var name: String { "smtp" }
    public var sender: String? { configuration.from }
    public var needsAddress: Bool { true }

    public init(configuration: SMTPConfiguration) { self.configuration = configuration }

    public func deliver(_ batch: [OutgoingNotice], now: Date, report: (Int, DeliveryOutcome) throws -> Void) throws {
        guard !batch.isEmpty else { return }
        let client: SMTPClient
        do {
            client = try SMTPClient(configuration)
        } catch {
            for notice in batch { try report(notice.id, .temporary("\(error)")) }
            return
        }
        defer { client.quit() }
        for (i, notice) in batch.enumerated() {
            do {
                switch try client.send(notice.mail(from: configuration.from, date: now), to: notice.address ?? "") {
                case .accepted(let text): try report(notice.id, .sent(text))
                case .temporary(let text): try report(notice.id, .temporary(text))
                case .permanent(let text): try report(notice.id, .permanent(text))
                }
            } catch let error as MailConnectionError {
                // The connection is gone: this notice and the rest wait for the next attempt.
                for rest in batch[i...] { try report(rest.id, .temporary(error.description)) }
                return
            }
        }
    }
}
