import Foundation
import Wire

public enum ReportState: String, WireEnum { case onTime, late, missing }

public struct CompletenessRequest: Codable, Sendable {
    public var period: Period
    /// The subtree to roll up; the whole province by default.
    public var unit: String?
    /// Figures as they stood at the deadline (corrections after it change nothing) instead of the latest.
    public var asOfDeadline: Bool?
    public init(period: Period, unit: String? = nil, asOfDeadline: Bool? = nil) {
        self.period = period
        self.unit = unit
        self.asOfDeadline = asOfDeadline
    }
}

public struct CompletenessRow: Codable, Sendable, Hashable {
    public var unit: String
    public var name: String
    public var kind: UnitKind
    public var state: ReportState
    public var version: Int?
    public var items: Int?
    public var receivedAt: Date?
    public init(unit: String, name: String, kind: UnitKind, state: ReportState, version: Int? = nil, items: Int? = nil, receivedAt: Date? = nil) {
        self.unit = unit
        self.name = name
        self.kind = kind
        self.state = state
        self.version = version
        self.items = items
        self.receivedAt = receivedAt
    }
}

public struct Completeness: Codable, Sendable {
    public var period: Period
    public var root: String
    public var expected: Int
    public var reported: Int
    public var onTime: Int
    /// reported / expected, 0…1.
    public var reportingRate: Double
    /// on time / expected, 0…1.
    public var timelinessRate: Double
    /// Missing units first.
    public var rows: [CompletenessRow]
    public init(period: Period, root: String, expected: Int, reported: Int, onTime: Int, reportingRate: Double, timelinessRate: Double, rows: [CompletenessRow]) {
        self.period = period
        self.root = root
        self.expected = expected
        self.reported = reported
        self.onTime = onTime
        self.reportingRate = reportingRate
        self.timelinessRate = timelinessRate
        self.rows = rows
    }
}

public struct IngestStatus: Codable, Sendable {
    public var cursor: UInt64
    public var reports: Int
    public var items: Int
    public var units: Int
    public var lastError: String?
    public init(cursor: UInt64, reports: Int, items: Int, units: Int, lastError: String?) {
        self.cursor = cursor
        self.reports = reports
        self.items = items
        self.units = units
        self.lastError = lastError
    }
}

/// Analytics' methods: `pulse.analytics.v1.Analytics/<Method>`.
public enum AnalyticsAPI {
    static let service = "pulse.analytics.v1.Analytics"
    public static let completeness = MethodDescriptor<CompletenessRequest, Completeness>(service: service, method: "Completeness")
    public static let ingestStatus = MethodDescriptor<Empty, IngestStatus>(service: service, method: "IngestStatus")
}
