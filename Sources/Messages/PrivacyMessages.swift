import Wire

/// What `Rescrub` changed in one service's store: the rows it rewrote, per table, and the
/// identifiers it removed, per kind. Nothing of what was removed is returned.
public struct RescrubResult: Codable, Sendable, Hashable {
    public struct Table: Codable, Sendable, Hashable {
        public var name: String
        public var rows: Int
        public var changed: Int
        public init(name: String, rows: Int, changed: Int) {
            self.name = name
            self.rows = rows
            self.changed = changed
        }
    }

    public var service: String
    public var tables: [Table]
    public var removed: [ScrubCount]
    /// The file was rewritten without its free pages and its write-ahead log emptied.
    public var compacted: Bool

    public init(service: String, tables: [Table], removed: [ScrubCount], compacted: Bool) {
        self.service = service
        self.tables = tables
        self.removed = removed
        self.compacted = compacted
    }
}
