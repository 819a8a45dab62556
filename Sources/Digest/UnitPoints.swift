import Foundation

/// Where each commune and ward lies: a representative point, for the dot map.
public struct UnitPoints: Sendable {
    public struct Point: Sendable, Hashable {
        public var code: String
        public var name: String
        public var latitude: Double
        public var longitude: Double
    }

    public let points: [Point]

    /// The shipped points of Hà Tĩnh's communes and wards.
    public static let haTinh: UnitPoints = {
        guard let url = Bundle.module.url(forResource: "ha-tinh-units-geo", withExtension: "csv", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "ha-tinh-units-geo", withExtension: "csv"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return UnitPoints(points: []) }
        return UnitPoints(csv: text)
    }()

    public init(points: [Point]) { self.points = points }

    /// code,name,kind,lat,lon,area_km2 (the shared data's columns); rows that do not parse are left out.
    public init(csv: String) {
        var out: [Point] = []
        for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5, let lat = Double(f[3]), let lon = Double(f[4]) else { continue }
            out.append(Point(code: f[0], name: f[1], latitude: lat, longitude: lon))
        }
        points = out
    }
}
