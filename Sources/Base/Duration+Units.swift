/// A duration as the whole units that system calls, wire fields and log lines take. Negative
/// durations count as zero and very long ones saturate, so no arithmetic here can trap.
extension Duration {
    public var inNanoseconds: UInt64 { whole(unitAttoseconds: 1_000_000_000, perSecond: 1_000_000_000) }
    public var inMicroseconds: UInt64 { whole(unitAttoseconds: 1_000_000_000_000, perSecond: 1_000_000) }
    public var inMilliseconds: UInt64 { whole(unitAttoseconds: 1_000_000_000_000_000, perSecond: 1_000) }

    /// Seconds as a floating-point number, for rates and reports.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private func whole(unitAttoseconds: Int64, perSecond: UInt64) -> UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (scaled, overflow) = UInt64(seconds).multipliedReportingOverflow(by: perSecond)
        if overflow { return .max }
        let (sum, carry) = scaled.addingReportingOverflow(UInt64(attoseconds / unitAttoseconds))
        return carry ? .max : sum
    }
}
