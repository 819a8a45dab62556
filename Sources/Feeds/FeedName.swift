/// The names under which followers keep their cursors, one per feed: a name that drifted would
/// start that feed over from its beginning.
public enum FeedName {
    /// report-intake's change feed.
    public static let intakeChanges = "intake"
    /// analytics' spikes.
    public static let analyticsSpikes = "spikes"
}
