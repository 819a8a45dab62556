import Testing
@testable import Statistics

@Suite("Statistics against hand-computed cases")
struct StatisticsTests {
    @Test("normal and t quantiles")
    func quantiles() {
        #expect(abs(Stats.normalQuantile(0.975) - 1.959963985) < 1e-8)
        #expect(abs(Stats.normalQuantile(0.5)) < 1e-12)
        #expect(abs(Stats.normalQuantile(0.001) + 3.090232306) < 1e-8)
        // Table values of t(0.975).
        for (df, t) in [(1.0, 12.7062), (2, 4.3027), (5, 2.5706), (10, 2.2281), (30, 2.0423), (120, 1.9799)] {
            #expect(abs(Stats.tQuantile(0.975, df: df) - t) < 2e-3, "df \(df)")
        }
        #expect(abs(Stats.tQuantile(0.025, df: 10) + 2.2281) < 2e-3)
    }

    @Test("Wilson interval: 45 of 100 at 95%")
    func wilson() {
        // p = 0.45, z = 1.959964: centre = (0.45 + 0.0192073)/(1.0384146) = 0.451848…,
        // half = 1.959964/1.0384146 × sqrt(0.002475 + 0.0000960) = 0.095705…
        let i = Stats.wilson(successes: 45, n: 100)
        #expect(abs(i.estimate - 0.45) < 1e-12)
        #expect(abs(i.low - 0.356143) < 1e-5)
        #expect(abs(i.high - 0.547554) < 1e-5)
        let zero = Stats.wilson(successes: 0, n: 20)
        #expect(abs(zero.low) < 1e-12)
        #expect(abs(zero.high - 0.161125) < 1e-5)
    }

    @Test("a weighted estimate with its design effect, by hand")
    func weighted() {
        // Population: A 6,000, B 4,000. Sample: A 20, B 80 — B is over-sampled.
        let w = Stats.poststratificationWeights(sample: ["A": 20, "B": 80], population: ["A": 6000, "B": 4000])
        #expect(abs(w["A"]! - 3.0) < 1e-12)  // 0.6 / 0.2
        #expect(abs(w["B"]! - 0.5) < 1e-12)  // 0.4 / 0.8
        let weights = [Double](repeating: 3, count: 20) + [Double](repeating: 0.5, count: 80)
        // deff = 100 × (20·9 + 80·0.25) / (60 + 40)² = 100 × 200 / 10,000 = 2
        #expect(abs(Stats.designEffect(weights) - 2) < 1e-12)
        #expect(abs(Stats.effectiveSampleSize(weights) - 50) < 1e-12)
        // 10 of A and 20 of B say yes: weighted p = (10·3 + 20·0.5) / 100 = 0.4 (unweighted 0.3).
        let yes = 10.0 * 3 + 20 * 0.5
        #expect(abs(yes / weights.reduce(0, +) - 0.4) < 1e-12)
    }

    @Test("mean with a t-interval")
    func mean() throws {
        let i = try #require(Stats.meanInterval([2, 4, 4, 4, 5, 5, 7, 9]))
        // mean 5, s = sqrt(32/7) = 2.13809, t(0.975, 7) = 2.36462, half = 2.36462 × 2.13809 / sqrt(8) = 1.78749
        #expect(abs(i.estimate - 5) < 1e-12)
        #expect(abs(i.high - 6.78749) < 2e-3)
    }

    @Test("sample-size planner")
    func plan() {
        #expect(Stats.sampleSize(margin: 0.03) == 1068)
        #expect(Stats.sampleSize(margin: 0.05) == 385)
        #expect(Stats.sampleSize(margin: 0.05, population: 1000) == 278)
    }

    @Test("Poisson tail: a spike that must fire and one that must not")
    func poisson() {
        // Baseline 2 a month; 9 this month: P(X ≥ 9 | 2) = 2.374e-4.
        #expect(abs(Stats.poissonUpperTail(9, mean: 2) - 2.3744e-4) < 2e-7)
        // 4 against a baseline of 2: P(X ≥ 4 | 2) = 0.142877 — ordinary.
        #expect(abs(Stats.poissonUpperTail(4, mean: 2) - 0.1428765) < 1e-6)
        #expect(Stats.poissonUpperTail(0, mean: 3) == 1)
        #expect(Stats.poissonUpperTail(60, mean: 2) < 1e-40)
    }
}
