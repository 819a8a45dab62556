import Foundation

/// The statistics behind Pulse's figures, written out so an analyst can check them.
public enum Stats {
    /// The standard normal quantile (Acklam's rational approximation, refined by one Halley
    /// step; error below 1e-9).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "p must lie in (0, 1)")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// The Student t quantile with `df` degrees of freedom (Hill 1970, Algorithm 396), for
    /// t-intervals of means.
    public static func tQuantile(_ p: Double, df: Double) -> Double {
        precondition(p > 0 && p < 1 && df >= 1)
        if df > 1e6 { return normalQuantile(p) }
        // Two-sided probability for Hill's algorithm.
        let upper = p > 0.5
        let twoSided = 2 * (upper ? 1 - p : p)
        var t: Double
        if df == 1 {
            t = 1 / tan(twoSided * Double.pi / 2)
        } else if df == 2 {
            t = (2 / (twoSided * (2 - twoSided)) - 2).squareRoot()
        } else {
            let a = 1 / (df - 0.5)
            let b = 48 / (a * a)
            var c = ((20700 * a / b - 98) * a - 16) * a + 96.36
            let d = ((94.5 / (b + c) - 3) / b + 1) * (a * Double.pi / 2).squareRoot() * df
            var x = d * twoSided
            var y = pow(x, 2 / df)
            if y > 0.05 + a {
                x = normalQuantile(twoSided / 2)
                y = x * x
                if df < 5 { c += 0.3 * (df - 4.5) * (x + 0.6) }
                c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c
                y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x
                y = expm1(a * y * y)
            } else {
                y = ((1 / (((df + 6) / (df * y) - 0.089 * d - 0.822) * (df + 2) * 3) + 0.5 / (df + 4)) * y - 1) * (df + 1) / (df + 2) + 1 / y
            }
            t = (df * y).squareRoot()
        }
        return upper ? t : -t
    }

    public struct Interval: Sendable, Hashable, Codable {
        public var estimate: Double
        public var low: Double
        public var high: Double
        public init(estimate: Double, low: Double, high: Double) {
            self.estimate = estimate
            self.low = low
            self.high = high
        }
    }

    /// The Wilson score interval for a proportion of `successes` in `n` (n may be an effective,
    /// non-integer sample size).
    public static func wilson(successes: Double, n: Double, confidence: Double = 0.95) -> Interval {
        guard n > 0 else { return Interval(estimate: 0, low: 0, high: 1) }
        let z = normalQuantile(1 - (1 - confidence) / 2)
        let p = successes / n
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return Interval(estimate: p, low: max(0, centre - half), high: min(1, centre + half))
    }

    /// A t-interval for the mean of `values`; with `weights`, the weighted mean and an
    /// interval from the Kish effective sample size.
    public static func meanInterval(_ values: [Double], weights: [Double]? = nil, confidence: Double = 0.95) -> Interval? {
        let n = Double(values.count)
        guard n >= 2 else { return values.first.map { Interval(estimate: $0, low: $0, high: $0) } }
        let w = weights ?? [Double](repeating: 1, count: values.count)
        let sw = w.reduce(0, +)
        let mean = zip(values, w).map { $0 * $1 }.reduce(0, +) / sw
        let variance = zip(values, w).map { $1 * ($0 - mean) * ($0 - mean) }.reduce(0, +) / sw * n / (n - 1)
        let effective = weights == nil ? n : effectiveSampleSize(w)
        let t = tQuantile(1 - (1 - confidence) / 2, df: max(1, effective - 1))
        let half = t * (variance / effective).squareRoot()
        return Interval(estimate: mean, low: mean - half, high: mean + half)
    }

    /// Kish's design effect of unequal weights: n Σw² / (Σw)².
    public static func designEffect(_ weights: [Double]) -> Double {
        let n = Double(weights.count)
        let s = weights.reduce(0, +)
        guard n > 0, s > 0 else { return 1 }
        return n * weights.map { $0 * $0 }.reduce(0, +) / (s * s)
    }

    public static func effectiveSampleSize(_ weights: [Double]) -> Double {
        Double(weights.count) / designEffect(weights)
    }

    /// Post-stratification weights: each stratum's share of the population over its share of
    /// the sample. Strata with no respondents get no weight (and are reported as missing).
    public static func poststratificationWeights(sample: [String: Int], population: [String: Double]) -> [String: Double] {
        let n = Double(sample.values.reduce(0, +))
        let covered = population.filter { (sample[$0.key] ?? 0) > 0 }
        let total = covered.values.reduce(0, +)
        guard n > 0, total > 0 else { return [:] }
        var weights: [String: Double] = [:]
        for (stratum, count) in sample where count > 0 {
            guard let pop = covered[stratum] else { continue }
            weights[stratum] = (pop / total) / (Double(count) / n)
        }
        return weights
    }

    /// The sample size for a proportion with margin `margin` at `confidence`, for the worst
    /// case p = 0.5, with the finite-population correction when `population` is given.
    public static func sampleSize(margin: Double, confidence: Double = 0.95, population: Double? = nil, proportion: Double = 0.5) -> Int {
        let z = normalQuantile(1 - (1 - confidence) / 2)
        let n0 = z * z * proportion * (1 - proportion) / (margin * margin)
        guard let population, population > 0 else { return Int(n0.rounded(.up)) }
        return Int((n0 / (1 + (n0 - 1) / population)).rounded(.up))
    }

    /// P(X ≥ k) for X ~ Poisson(λ), summed from the lower tail for accuracy.
    public static func poissonUpperTail(_ k: Int, mean lambda: Double) -> Double {
        guard k > 0 else { return 1 }
        guard lambda > 0 else { return 0 }
        // P(X ≤ k−1) = Σ e^-λ λ^i / i!
        var term = exp(-lambda)
        var cdf = term
        if k - 1 >= 1 {
            for i in 1...(k - 1) {
                term *= lambda / Double(i)
                cdf += term
            }
        }
        if cdf > 0.999 {
            // Sum the upper tail directly where 1 − cdf would lose precision.
            var t = exp(-lambda + Double(k) * log(lambda) - lgamma(Double(k) + 1))
            var tail = 0.0
            var i = k
            while t > 1e-300 && i < k + 10_000 {
                tail += t
                i += 1
                t *= lambda / Double(i)
                if t < tail * 1e-17 { break }
            }
            return tail
        }
        return max(0, 1 - cdf)
    }
}
