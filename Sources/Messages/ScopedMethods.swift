import Wire

/// The methods whose access rule reads units from the request, by name, so that one who
/// forwards their bodies undecoded (the gateway) can still say which units a call touched.
public enum ScopedMethods {
    /// The units named by a request to `method`, or nil if the method reads none (or the body
    /// does not decode).
    public static func units(method: String, body: [UInt8]) -> [String]? {
        readers[method]?(body)
    }

    /// Whether `method` is listed here.
    public static func covers(_ method: String) -> Bool { readers[method] != nil }

    private static let readers: [String: @Sendable ([UInt8]) -> [String]?] = {
        func reader<Request, Response>(_ method: MethodDescriptor<Request, Response>) -> (String, @Sendable ([UInt8]) -> [String]?) {
            let units = method.access.units
            return (method.fullName, { body in
                guard let units, let request = try? CBORDecoder().decode(Request.self, from: body) else { return nil }
                return units(request)
            })
        }
        return Dictionary(uniqueKeysWithValues: [
            reader(RosterAPI.officialHistory), reader(RosterAPI.currentOfficial), reader(IntakeAPI.submitReport),
            reader(IntakeAPI.getReport), reader(IntakeAPI.reportHistory), reader(IntakeAPI.respond), reader(IntakeAPI.reviews),
        ])
    }()
}
