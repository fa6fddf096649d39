import CLinearAlgebra

/// Thin, typed wrappers over the LAPACK routines the core needs, on a column-major
/// p × p symmetric matrix whose upper triangle is authoritative.
struct SymmetricMatrix: Sendable {
    let order: Int
    var values: [Double]

    init(order: Int) {
        self.order = order
        self.values = [Double](repeating: 0, count: order * order)
    }

    init(order: Int, values: [Double]) {
        precondition(values.count == order * order)
        self.order = order
        self.values = values
    }

    subscript(row: Int, column: Int) -> Double {
        get { row <= column ? values[row + column * order] : values[column + row * order] }
        set {
            if row <= column { values[row + column * order] = newValue } else { values[column + row * order] = newValue }
        }
    }

    /// Copies the upper triangle into the lower one.
    mutating func symmetrize() {
        for column in 0..<order {
            for row in (column + 1)..<max(column + 1, order) {
                values[row + column * order] = values[column + row * order]
            }
        }
    }

    /// Cholesky factor (upper) in place with `dpotrf`; false if not positive definite.
    mutating func choleskyInPlace() -> Bool {
        let n = Int32(order)
        let info = values.withUnsafeMutableBufferPointer { a in
            LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), n, a.baseAddress, max(1, n))
        }
        return info == 0
    }

    /// Solves `A x = b` given the factor from ``choleskyInPlace()`` (`dpotrs`).
    func solveWithFactor(_ rhs: [Double]) -> [Double] {
        var x = rhs
        let n = Int32(order)
        var factor = values
        _ = factor.withUnsafeMutableBufferPointer { a in
            x.withUnsafeMutableBufferPointer { b in
                LAPACKE_dpotrs_work(
                    LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), n, 1, a.baseAddress, max(1, n),
                    b.baseAddress, max(1, n))
            }
        }
        return x
    }

    /// The inverse from the factor (`dpotri`), symmetrised; nil if singular.
    func inverseFromFactor() -> SymmetricMatrix? {
        var inverse = self
        let n = Int32(order)
        let info = inverse.values.withUnsafeMutableBufferPointer { a in
            LAPACKE_dpotri_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), n, a.baseAddress, max(1, n))
        }
        guard info == 0 else { return nil }
        inverse.symmetrize()
        return inverse
    }

    /// Pivoted Cholesky (`dpstrf`) of a copy: the permutation (0-based) and the numerical rank.
    func pivotedCholesky(tolerance: Double) -> (factor: [Double], pivot: [Int], rank: Int) {
        var a = values
        var pivot = [Int32](repeating: 0, count: order)
        var rank: Int32 = 0
        var work = [Double](repeating: 0, count: 2 * max(1, order))
        let n = Int32(order)
        _ = a.withUnsafeMutableBufferPointer { ap in
            pivot.withUnsafeMutableBufferPointer { pp in
                work.withUnsafeMutableBufferPointer { wp in
                    LAPACKE_dpstrf_work(
                        LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), n, ap.baseAddress, max(1, n),
                        pp.baseAddress, &rank, tolerance, wp.baseAddress)
                }
            }
        }
        return (a, pivot.map { Int($0) - 1 }, Int(rank))
    }
}
