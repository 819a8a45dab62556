import Base
import Localization

extension RPCError {
    /// A list request's `limit`, or `fallback` when absent; outside `range`, refused naming the
    /// field, before anything is built with it.
    public static func checkedLimit(_ limit: Int?, fallback: Int, range: ClosedRange<Int>) throws(RPCError) -> Int {
        guard let limit else { return fallback }
        guard range.contains(limit) else {
            throw RPCError(.invalidArgument, tr("limit: \(limit) không nằm trong \(range.lowerBound) đến \(range.upperBound)", en: "limit: \(limit) is not from \(range.lowerBound) to \(range.upperBound)"))
        }
        return limit
    }
}
