/// One page of a feed: its events in order, the cursor just past the last of them, and
/// whether the source has more after it.
public struct FeedPage<Event: Sendable>: Sendable {
    public var events: [Event]
    public var cursor: UInt64
    public var more: Bool

    public init(events: [Event], cursor: UInt64, more: Bool) {
        self.events = events
        self.cursor = cursor
        self.more = more
    }
}
