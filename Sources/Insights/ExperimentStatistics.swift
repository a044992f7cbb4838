import Foundation

/// One variant's figures in `GET /v1/admin/experiments/{key}/results` (API.md §21, §24).
public struct VariantResult: Sendable, Equatable {
    public var key: String
    /// Distinct accounts exposed to this variant.
    public var exposed: Int64
    /// Exposed accounts with a paid order (not fully refunded) within 7 days after their first exposure.
    public var converted: Int64
    /// Those orders' totals net of refunds.
    public var revenueCents: Int64

    public var conversionRate: Double { ExperimentStatistics.rate(converted, exposed) }
    /// ⌊revenue ÷ exposed⌋, 0 when nothing was exposed.
    public var revenuePerExposedCents: Int64 { exposed == 0 ? 0 : revenueCents / exposed }
    /// The Wilson score interval (z = 1.96), rounded to 4 decimals; `nil` when nothing was exposed.
    public var conversionCI95: (low: Double, high: Double)? {
        ExperimentStatistics.wilson(successes: converted, trials: exposed).map {
            (ExperimentStatistics.round4($0.low), ExperimentStatistics.round4($0.high))
        }
    }

    public init(key: String, exposed: Int64, converted: Int64, revenueCents: Int64) {
        self.key = key
        self.exposed = exposed
        self.converted = converted
        self.revenueCents = revenueCents
    }
}

/// An experiment's results with the sample-ratio check.
public struct ExperimentResults: Sendable, Equatable {
    public var key: String
    public var variants: [VariantResult]
    /// Pearson's chi-square of the exposed counts against the weights, k − 1 degrees of freedom; not rounded.
    public var srmPValue: Double
    public var srmAlert: Bool { srmPValue < ExperimentStatistics.srmThreshold }
}

/// The statistics of API.md §24, pure: rates, the Wilson interval and the chi-square sample-ratio test.
public enum ExperimentStatistics {
    public static let z95 = 1.96
    /// An SRM alert is raised below this p-value.
    public static let srmThreshold = 0.001

    /// Half away from zero to 4 decimals (API.md §24).
    public static func round4(_ value: Double) -> Double {
        (value * 10_000).rounded(.toNearestOrAwayFromZero) / 10_000
    }

    /// A fraction rounded to 4 decimals; a rate over nothing is 0.
    public static func rate(_ part: Int64, _ whole: Int64) -> Double {
        whole == 0 ? 0 : round4(Double(part) / Double(whole))
    }

    /// The Wilson score interval for `successes` of `trials`, unrounded and clamped to [0, 1].
    /// - Returns: `nil` for no trials.
    public static func wilson(successes: Int64, trials: Int64, z: Double = z95) -> (low: Double, high: Double)? {
        guard trials > 0 else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return (max(0, center - half), min(1, center + half))
    }

    /// Pearson's chi-square statistic of observed counts against the counts the weights expect.
    /// - Returns: 0 when nothing was observed.
    public static func chiSquare(observed: [Int64], weights: [Int64]) -> Double {
        let total = Double(observed.reduce(0, +))
        let weightTotal = Double(weights.reduce(0, +))
        guard total > 0, weightTotal > 0 else { return 0 }
        var statistic = 0.0
        for (count, weight) in zip(observed, weights) {
            let expected = total * Double(weight) / weightTotal
            let difference = Double(count) - expected
            statistic += difference * difference / expected
        }
        return statistic
    }

    /// The sample-ratio p-value: P(χ²(k − 1) ≥ statistic); 1 when nothing was observed.
    public static func srmPValue(observed: [Int64], weights: [Int64]) -> Double {
        guard observed.reduce(0, +) > 0, observed.count > 1 else { return 1 }
        return chiSquareSurvival(chiSquare(observed: observed, weights: weights), degreesOfFreedom: observed.count - 1)
    }

    /// The upper tail of the chi-square distribution: Q(df / 2, x / 2), the regularized upper incomplete gamma.
    public static func chiSquareSurvival(_ x: Double, degreesOfFreedom df: Int) -> Double {
        guard x > 0 else { return 1 }
        return regularizedUpperGamma(Double(df) / 2, x / 2)
    }

    /// Q(a, x) by its series below a + 1 and by Lentz's continued fraction above (Numerical Recipes §6.2).
    static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
        let logPrefix = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            var term = 1 / a
            var sum = term
            var ap = a
            for _ in 0..<1_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<1_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return min(1, exp(logPrefix) * h)
    }
}
