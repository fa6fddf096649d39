import Foundation

/// The one comparison every numeric test uses: `|actual - expected| <= absolute + relative * |expected|`,
/// or the reference convention `|a - b| <= tolerance * max(1, |b|)` through ``isClose(_:_:mixed:)``.
public func isClose(_ actual: Double, _ expected: Double, absolute: Double = 0, relative: Double = 0) -> Bool {
    guard actual.isFinite, expected.isFinite else { return actual == expected }
    return abs(actual - expected) <= absolute + relative * abs(expected)
}

/// The reference files' mixed tolerance: `|a - b| <= tolerance * max(1, |b|)`.
public func isClose(_ actual: Double, _ expected: Double, mixed tolerance: Double) -> Bool {
    guard actual.isFinite, expected.isFinite else { return actual == expected }
    return abs(actual - expected) <= tolerance * max(1, abs(expected))
}

/// Named tolerances from `../shared/reference/README.md`.
public enum ReferenceTolerance {
    /// Coefficients: `1e-6 * max(1, |b|)`.
    public static let coefficient = 1e-6
    /// Standard errors: 1e-5.
    public static let standardError = 1e-5
    /// Log-likelihood: 1e-6 relative.
    public static let logLikelihood = 1e-6
}
