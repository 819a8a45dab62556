/// Which cells a partner agency may see, decided once for the whole table so that every query
/// agrees (see proto-docs/services.md, "Small cells").
///
/// A cell is one unit's subtree, one month, one topic. It is suppressed when it is built from
/// fewer than k reports (primary suppression), and complementary cells are suppressed so that
/// no suppressed cell is the difference of figures shown: for each parent, its value is the sum
/// of its children's and of its own reports (never shown on its own), so when exactly one of
/// these is unknown and small, the smallest child that cannot be worked out from below is
/// suppressed too, or, if none can, the parent itself (which its own parent then protects in
/// turn). This is τ-ARGUS' secondary suppression for a one-dimensional hierarchy, applied
/// bottom-up.
///
/// Ranges are judged month by month: a cell over several months is shown only when none of its
/// months is suppressed, so widening, nesting or overlapping ranges isolates nothing.
struct Disclosure {
    let k: Int
    let children: [[Int32]]
    /// The partner's own units and those under them: it reads their reports in full, so their
    /// cells protect nothing, and a cell is judged by the reports of everyone else.
    let known: Set<Int32>
    let knownRoots: [Int32]
    /// The last month whose deadline has passed: a month still open changes with each report,
    /// and two looks at it would give the report between them away.
    let lastClosed: Int

    init(_ s: Aggregates.State, k: Int, partnerUnits: [String] = [], lastClosed: Int = Int.max) {
        self.k = k
        self.lastClosed = lastClosed
        var children = [[Int32]](repeating: [], count: s.parents.count)
        for (i, p) in s.parents.enumerated() where p >= 0 && Int(p) < children.count { children[Int(p)].append(Int32(i)) }
        self.children = children
        var known: Set<Int32> = []
        var roots: [Int32] = []
        for code in partnerUnits {
            guard let root = s.unitIndex[code], !known.contains(root) else { continue }
            roots.append(root)
            var stack = [root]
            while let u = stack.popLast() {
                if known.insert(u).inserted { stack += children[Int(u)] }
            }
        }
        self.known = known
        self.knownRoots = roots.filter { r in !roots.contains { $0 != r && Disclosure.isAncestor($0, of: r, s) } }
    }

    static func isAncestor(_ a: Int32, of u: Int32, _ s: Aggregates.State) -> Bool {
        var v = s.parents[Int(u)]
        var steps = 0
        while v >= 0 && steps < 64 {
            if v == a { return true }
            v = s.parents[Int(v)]
            steps += 1
        }
        return false
    }

    /// The suppressed units of one month and topic.
    func suppressed(_ s: Aggregates.State, period: Int32, topic: Int16) -> Set<Int32> {
        func reports(_ u: Int32) -> Int { s.cells[Aggregates.Key(unit: u, period: period, topic: topic)]?.reports ?? 0 }
        /// Reports in u's subtree from units the partner does not know.
        func others(_ u: Int32) -> Int {
            reports(u) - knownRoots.filter { $0 == u || Disclosure.isAncestor(u, of: $0, s) }.reduce(0) { $0 + reports($1) }
        }
        var hidden: Set<Int32> = []
        // Post-order: every child is settled before its parent.
        var order: [Int32] = []
        var stack: [(Int32, Bool)] = s.parents.indices.filter { s.parents[$0] < 0 }.map { (Int32($0), false) }
        var visited = 0
        while let (u, expanded) = stack.popLast(), visited <= 4 * s.parents.count {
            visited += 1
            guard reports(u) > 0 else { continue }
            if expanded {
                order.append(u)
            } else {
                stack.append((u, true))
                for c in children[Int(u)] { stack.append((c, false)) }
            }
        }
        for u in order {
            let r = reports(u)
            if !known.contains(u), others(u) < k { hidden.insert(u) }
            guard !known.contains(u) else { continue }
            let kids = children[Int(u)].filter { reports($0) > 0 }
            let own = r - kids.reduce(0) { $0 + reports($1) }
            // A hidden child all of whose reports are the partner's own is no unknown to it.
            let hiddenKids = kids.filter { hidden.contains($0) && others($0) > 0 }
            // The unknowns of u = Σ children + own: the hidden children and its own reports.
            let unknowns = hiddenKids.count + (own > 0 ? 1 : 0)
            let exposed = unknowns == 1 && (hiddenKids.count == 1 || own < k)
            guard exposed, !hidden.contains(u) else { continue }
            let candidates = kids.filter { !hidden.contains($0) && !known.contains($0) && !derivable($0, reports, hidden) }
            if let partner = candidates.min(by: { (reports($0), $0) < (reports($1), $1) }) {
                hidden.insert(partner)
            } else {
                hidden.insert(u)
            }
        }
        return hidden
    }

    /// Whether a shown unit's value could be worked out from its children: all shown, and no
    /// reports of its own.
    func derivable(_ u: Int32, _ reports: (Int32) -> Int, _ hidden: Set<Int32>) -> Bool {
        let kids = children[Int(u)].filter { reports($0) > 0 }
        guard !kids.isEmpty else { return false }
        let own = reports(u) - kids.reduce(0) { $0 + reports($1) }
        return own == 0 && kids.allSatisfy { !hidden.contains($0) }
    }

    /// Whether `unit`'s cell is shown for every month of `months`: the partner's own units'
    /// always; anyone else's only for closed months in which it holds k reports or more from
    /// others and is no complement (a cell with none is withheld too, so that which units
    /// reported on what stays unsaid).
    func shown(_ s: Aggregates.State, unit: Int32, topic: Int16, months: some Sequence<Int>, cache: inout [Int64: Set<Int32>]) -> Bool {
        if known.contains(unit) { return true }
        for m in months {
            if m > lastClosed { return false }
            guard (s.cells[Aggregates.Key(unit: unit, period: Int32(m), topic: topic)]?.reports ?? 0) > 0 else { continue }
            let key = Int64(m) << 16 | Int64(topic)
            let hidden = cache[key] ?? suppressed(s, period: Int32(m), topic: topic)
            cache[key] = hidden
            if hidden.contains(unit) { return false }
        }
        // No reports at all in these months: nothing to show, and showing zero would say so.
        return months.contains { (s.cells[Aggregates.Key(unit: unit, period: Int32($0), topic: topic)]?.reports ?? 0) > 0 }
    }
}
