import Base

/// Runs a service's feed round (catch up with each feed it follows, then whatever follows
/// from them) every `interval` until its task is cancelled. While rounds fail, because a
/// source is down or answers with an error, the wait doubles up to `maxBackoff`, and the
/// failure is logged once as a warning, not once a second; the round that succeeds again
/// is logged too, and the interval goes back to normal.
public struct FeedPoller: Sendable {
    public var interval: Duration
    public var maxBackoff: Duration
    public let logger: Logger

    public init(interval: Duration = .seconds(1), maxBackoff: Duration = .seconds(5), logger: Logger) {
        self.interval = interval
        self.maxBackoff = max(interval, maxBackoff)
        self.logger = logger
    }

    /// `onOutcome` hears nil after each round that succeeded and the error's text after each
    /// that failed (for a health or status report).
    public func run(onOutcome: @Sendable (String?) -> Void = { _ in }, _ round: @Sendable () async throws -> Void) async {
        var wait = interval
        var failing: String?
        while !Task.isCancelled {
            do {
                try await round()
                if failing != nil { logger.info("feeds: caught up again") }
                failing = nil
                wait = interval
                onOutcome(nil)
            } catch {
                if Task.isCancelled { return }
                let text = "\(error)"
                if failing == nil {
                    logger.warning("feeds: \(text); retrying with backoff up to \(maxBackoff)")
                } else if failing != text {
                    logger.warning("feeds: \(text)")
                }
                failing = text
                onOutcome(text)
                wait = min(wait * 2, maxBackoff)
            }
            try? await Task.sleep(for: wait)
        }
    }
}
