// swift-tools-version: 6.1
import PackageDescription

// Arrows point inward: the CLI and the lab depend on the numeric core and the
// model format; the numeric core depends on CLinearAlgebra alone.
let package = Package(
    name: "Baton",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
        .library(name: "LabNumerics", targets: ["LabNumerics"]),
        .library(name: "ScoringModelFormat", targets: ["ScoringModelFormat"]),
        .library(name: "LeadTable", targets: ["LeadTable"]),
        .library(name: "LabTraining", targets: ["LabTraining"]),
        .library(name: "Recalibration", targets: ["Recalibration"]),
        .library(name: "SVGCharts", targets: ["SVGCharts"]),
        .library(name: "Handoff", targets: ["Handoff"]),
        .library(name: "HandoffStore", targets: ["HandoffStore"]),
        .library(name: "HandoffStorePostgres", targets: ["HandoffStorePostgres"]),
        .library(name: "HandoffEngine", targets: ["HandoffEngine"]),
        .library(name: "HandoffService", targets: ["HandoffService"]),
        .library(name: "ClosedLoopAnalytics", targets: ["ClosedLoopAnalytics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.20.0"),
        // SHA-256 of weight files and training data (BoringSSL, with the CPU's SHA extensions);
        // postgres-nio already depends on it.
        .package(url: "https://github.com/apple/swift-crypto", "3.9.0"..<"5.0.0"),
    ],
    targets: [
        // Public API
        .target(
            name: "LabNumerics",
            dependencies: ["CLinearAlgebra"]
        ),
        .target(name: "LeadTable"),
        .target(
            name: "ScoringModelFormat",
            dependencies: [.product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "LabTraining",
            dependencies: ["LabNumerics", "ScoringModelFormat", "LeadTable"]
        ),
        // The quarterly run: out-of-time split, champion vs challenger, drift, thresholds, report.
        .target(
            name: "Recalibration",
            dependencies: ["LabTraining", "LabNumerics", "ScoringModelFormat", "LeadTable", "SVGCharts"]
        ),
        // Plots written as SVG text by the project (reports, dashboard); depends on nothing.
        .target(name: "SVGCharts"),
        // The hand-off scorer: consumes the weight file only, never the numeric core.
        .target(
            name: "Handoff",
            dependencies: ["ScoringModelFormat", .product(name: "Yams", package: "Yams")]
        ),
        // The embedded store behind a protocol (SQLite via GRDB).
        .target(
            name: "HandoffStore",
            dependencies: ["Handoff", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The same store protocol on PostgreSQL, for several service instances on one database.
        .target(
            name: "HandoffStorePostgres",
            dependencies: ["HandoffStore", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        // Applies inbound events through the whole flow (score, qualify, route, SLA) to a store,
        // one transaction per event; used by `baton handoff replay` and the HTTP service.
        .target(
            name: "HandoffEngine",
            dependencies: ["Handoff", "HandoffStore"]
        ),
        // `baton serve`: the HTTP API (Hummingbird), webhooks in and out, scheduler, dashboard.
        .target(
            name: "HandoffService",
            dependencies: [
                "HandoffEngine", "HandoffStore", "HandoffStorePostgres", "Handoff", "ClosedLoopAnalytics", "SVGCharts",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // Weekly SLA and monthly pipeline measures from the store, with honest uncertainty.
        .target(
            name: "ClosedLoopAnalytics",
            dependencies: ["HandoffStore", "Handoff", "LabNumerics", "SVGCharts", "LabTraining"]
        ),
        .executableTarget(
            name: "baton",
            dependencies: [
                "LabTraining",
                "Recalibration",
                "Handoff",
                "HandoffStore",
                "HandoffStorePostgres",
                "ClosedLoopAnalytics",
                "HandoffEngine",
                "HandoffService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Implementation details
        .systemLibrary(
            name: "CLinearAlgebra",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),

        // Tests
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LabNumericsTests", dependencies: ["LabNumerics", "TestSupport"]),
        .testTarget(name: "LeadTableTests", dependencies: ["LeadTable", "TestSupport"]),
        .testTarget(name: "ScoringModelFormatTests", dependencies: ["ScoringModelFormat", "TestSupport"]),
        .testTarget(name: "LabTrainingTests", dependencies: ["LabTraining", "TestSupport"]),
        .testTarget(name: "RecalibrationTests", dependencies: ["Recalibration", "TestSupport"]),
        .testTarget(name: "SVGChartsTests", dependencies: ["SVGCharts"]),
        .testTarget(name: "HandoffTests", dependencies: ["Handoff", "TestSupport"]),
        .testTarget(name: "HandoffStoreTests", dependencies: ["HandoffStore", "HandoffStorePostgres", "TestSupport"]),
        .testTarget(name: "HandoffEngineTests", dependencies: ["HandoffEngine", "TestSupport"]),
        .testTarget(
            name: "HandoffServiceTests",
            dependencies: ["HandoffService", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(name: "ClosedLoopAnalyticsTests", dependencies: ["ClosedLoopAnalytics", "TestSupport"]),
        .testTarget(
            name: "BatonCLITests",
            dependencies: ["baton", "TestSupport", "ScoringModelFormat", "LabTraining", "HandoffStore", "HandoffStorePostgres"]
        ),
    ]
)

// Micro-benchmarks of the kernels (ordo-one/benchmark), only when BATON_BENCHMARKS is set, so
// normal builds and tests neither fetch nor build them:
//   BATON_BENCHMARKS=1 swift package benchmark --target BatonKernels
if Context.environment["BATON_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]))
    package.targets.append(
        .executableTarget(
            name: "BatonKernels",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "LabNumerics", "LabTraining", "LeadTable", "ScoringModelFormat",
            ],
            path: "Benchmarks/Kernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]))
}
