import Messages
import Synchronization

/// Aggregates kept up to date as reports arrive, so queries answer from them instead of
/// rescanning reports. Every unit-level contribution is also added to each ancestor, so a
/// subtree's figures are one lookup per (period, topic).
final class Aggregates: Sendable {
    struct Key: Hashable {
        var unit: Int32
        var period: Int32
        var topic: Int16

        /// One word to hash instead of three: ingest looks cells up millions of times.
        func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(UInt32(bitPattern: unit)) << 32 | UInt64(UInt32(bitPattern: period)) << 16 ^ UInt64(UInt16(bitPattern: topic)))
        }
    }

    struct Cell {
        var items = 0
        var intensity = 0.0
        var assessed = 0.0
        var computed = 0.0
        /// Reports the cell is built from (unit-level cells with items).
        var reports = 0
    }

    /// One report's contribution to its unit's cells, kept to take it back on correction.
    struct Contribution {
        var topic: Int16
        var items: Int
        var intensity: Double
        var assessed: Double
        var computed: Double
    }

    struct State {
        var unitIndex: [String: Int32] = [:]
        var unitCodes: [String] = []
        var parents: [Int32] = []  // -1 for a root
        var topicIndex: [String: Int16] = [:]
        var topicCodes: [String] = []
        /// Each topic's first month with a report: a partner hears of a topic only once that
        /// month has closed, or a topic's first report would name the unit that wrote it.
        var topicFirstMonth: [Int32] = []
        var cells: [Key: Cell] = [:]
        var contributions: [Int64: [Contribution]] = [:]
    }

    let state = Mutex(State())

    static func reportKey(_ unit: Int32, _ period: Int32) -> Int64 { Int64(unit) << 32 | Int64(period) }

    /// Sets the unit tree. Units unknown before are added; known ones keep their index.
    func setUnits(_ units: [(code: String, parent: String?)]) -> Bool {
        state.withLock { s in
            var changed = false
            for u in units where s.unitIndex[u.code] == nil {
                s.unitIndex[u.code] = Int32(s.unitCodes.count)
                s.unitCodes.append(u.code)
                s.parents.append(-1)
                changed = true
            }
            for u in units {
                let i = Int(s.unitIndex[u.code]!)
                let p = u.parent.flatMap { s.unitIndex[$0] } ?? -1
                if s.parents[i] != p {
                    s.parents[i] = p
                    changed = true
                }
            }
            return changed
        }
    }

    static func unit(_ s: inout State, _ code: String) -> Int32 {
        if let i = s.unitIndex[code] { return i }
        let i = Int32(s.unitCodes.count)
        s.unitIndex[code] = i
        s.unitCodes.append(code)
        s.parents.append(-1)
        return i
    }

    static func topic(_ s: inout State, _ code: String) -> Int16 {
        if let i = s.topicIndex[code] { return i }
        let i = Int16(s.topicCodes.count)
        s.topicIndex[code] = i
        s.topicCodes.append(code)
        s.topicFirstMonth.append(Int32.max)
        return i
    }

    static func ancestry(_ s: State, _ unit: Int32) -> [Int32] {
        var chain: [Int32] = []
        var u = unit
        while u >= 0 && chain.count < 64 {
            chain.append(u)
            u = s.parents[Int(u)]
        }
        return chain
    }

    /// Replaces one report's contribution (a correction takes the earlier version's back out).
    /// Returns the cells touched at unit level.
    @discardableResult
    func replace(unit code: String, period: Period, with items: [(topic: String, prevalence: Prevalence, assessed: Double, computed: Double)]) -> [Key] {
        state.withLock { s in
            let unit = Aggregates.unit(&s, code)
            let p = Int32(period.index)
            let key = Aggregates.reportKey(unit, p)
            var byTopic: [Int16: Contribution] = [:]
            for item in items {
                let t = Aggregates.topic(&s, item.topic)
                var c = byTopic[t] ?? Contribution(topic: t, items: 0, intensity: 0, assessed: 0, computed: 0)
                c.items += 1
                c.intensity += item.prevalence.weight
                c.assessed += item.assessed
                c.computed += item.computed
                byTopic[t] = c
            }
            let chain = Aggregates.ancestry(s, unit)
            var touched: [Key] = []
            for old in s.contributions[key] ?? [] {
                Aggregates.add(&s, chain, p, old, sign: -1)
                touched.append(Key(unit: unit, period: p, topic: old.topic))
            }
            let new = Array(byTopic.values)
            for c in new where s.topicFirstMonth[Int(c.topic)] > p { s.topicFirstMonth[Int(c.topic)] = p }
            for c in new {
                Aggregates.add(&s, chain, p, c, sign: 1)
                touched.append(Key(unit: unit, period: p, topic: c.topic))
            }
            s.contributions[key] = new
            return touched
        }
    }

    static func add(_ s: inout State, _ chain: [Int32], _ period: Int32, _ c: Contribution, sign: Double) {
        // When the unit's own cell gains or loses its items, every cell up the chain gains or
        // loses one report.
        let own = Key(unit: chain[0], period: period, topic: c.topic)
        let before = s.cells[own]?.items ?? 0
        let after = before + Int(sign) * c.items
        let reportDelta = before == 0 && after > 0 ? 1 : before > 0 && after == 0 ? -1 : 0
        for u in chain {
            let key = Key(unit: u, period: period, topic: c.topic)
            // Changed in place, one lookup; removed when nothing is left in it.
            func apply(_ cell: inout Cell) -> Bool {
                cell.items += Int(sign) * c.items
                cell.intensity += sign * c.intensity
                cell.assessed += sign * c.assessed
                cell.computed += sign * c.computed
                cell.reports += reportDelta
                return cell.items == 0 && cell.reports == 0
            }
            let empty = apply(&s.cells[key, default: Cell()])
            if empty { s.cells[key] = nil }
        }
    }

    /// Rebuilds every ancestor cell from the unit-level contributions (after the tree changed).
    func rebuildRollups() {
        state.withLock { s in
            let contributions = s.contributions
            s.cells = [:]
            for (key, list) in contributions {
                let unit = Int32(truncatingIfNeeded: key >> 32)
                let period = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)
                let chain = Aggregates.ancestry(s, unit)
                for c in list { Aggregates.add(&s, chain, period, c, sign: 1) }
            }
        }
    }
}
