// swift-tools-version: 6.1
import PackageDescription

// Arrows point inward. Two sides share only the weight-file format:
//
//   the lab       LabTraining → LabNumerics → CLinearAlgebra (BLAS/LAPACK, the fit only)
//                            ↘ LabStatistics, LeadCSV, ScoringModelFormat
//   the hand-off  HandoffServer → HandoffIntegrations → HandoffFlow → HandoffRules → ScoringModelFormat
//                              ↘ HandoffStores → HandoffSQLite | HandoffPostgres → HandoffPersistence
//
// The hand-off side never links the numeric core, the CSV reader or the generators; the store
// protocol (HandoffPersistence) links no database library. README.md, "Where things live", has
// one row per target; scripts/check-architecture.py (run by scripts/test.sh) checks the rules
// and the rows against the resolved graph.
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
        // For teams that embed the hand-off scorer in their own Swift service: load a weight
        // file, score a lead, read its reasons.
        .library(name: "HandoffRules", targets: ["HandoffRules"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.20.0"),
        // SHA-256 of weight files, training data and access tokens (BoringSSL, with the CPU's
        // SHA extensions); postgres-nio already depends on it.
        .package(url: "https://github.com/apple/swift-crypto", "3.9.0"..<"5.0.0"),
        // HTTPS in baton serve (--tls-certificate/--tls-key); hummingbird and postgres-nio already depend on it.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        // Outbound deliveries (webhooks, ntfy, Web Push, CRM write-back) on the service's own
        // SwiftNIO event loops; hummingbird's test client already depends on it. It replaced
        // Foundation's URLSession, whose libcurl brought ~30 shared libraries into every
        // `baton` process (~8 ms of start-up for each command, the batch ones included).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
    ],
    targets: [
        // Shared primitives written once: civil dates, nearest names, XML escaping, huge pages.
        .target(name: "BatonSupport"),

        // MARK: The lab
        .systemLibrary(name: "CLinearAlgebra", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .target(name: "LabNumerics", dependencies: ["CLinearAlgebra", "BatonSupport"]),
        .target(name: "LabStatistics", dependencies: ["BatonSupport"]),
        .target(name: "LeadCSV", dependencies: ["BatonSupport"]),
        .target(name: "ScoringModelFormat", dependencies: ["BatonSupport", yams, crypto]),
        .target(name: "ModelExport", dependencies: ["ScoringModelFormat", "BatonSupport"]),
        .target(name: "ReportRendering", dependencies: ["BatonSupport"]),
        .target(name: "LabTraining", dependencies: ["LabNumerics", "LabStatistics", "ScoringModelFormat", "LeadCSV", "BatonSupport"]),
        .target(
            name: "Recalibration",
            dependencies: ["LabTraining", "LabNumerics", "LabStatistics", "ScoringModelFormat", "LeadCSV", "ReportRendering", "BatonSupport"]
        ),

        // MARK: The hand-off
        .target(name: "HandoffRules", dependencies: ["ScoringModelFormat", "ReportRendering", "Conversations", "BatonSupport", yams]),
        .target(name: "HandoffPersistence", dependencies: ["HandoffRules", "ScoringModelFormat", "BatonSupport"]),
        .target(name: "HandoffSQLite", dependencies: ["HandoffPersistence", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "HandoffPostgres", dependencies: ["HandoffPersistence", "BatonSupport", .product(name: "PostgresNIO", package: "postgres-nio")]),
        .target(name: "HandoffStores", dependencies: ["HandoffPersistence", "HandoffSQLite", "HandoffPostgres"]),
        // What was said: e-mail, mailboxes, transcripts, chats and notes read into utterances;
        // trackers, call measures and the cited digest. Pure: no store, no server, no numeric core.
        .target(name: "Conversations", dependencies: ["BatonSupport"]),
        .target(name: "HandoffFlow", dependencies: ["HandoffRules", "HandoffPersistence", "ScoringModelFormat", "Conversations", "BatonSupport"]),
        // Vendor deliveries (HubSpot, Salesforce, Segment, CloudEvents) verified and mapped to
        // inbound events: pure adapters, no HTTP server and no store.
        .target(
            name: "HandoffIntegrations", dependencies: ["HandoffFlow", "HandoffRules", "ScoringModelFormat", "BatonSupport", crypto, yams]),
        .target(name: "HandoffReviews", dependencies: ["HandoffPersistence", "HandoffRules", "LabStatistics", "ReportRendering", "BatonSupport"]),
        .target(
            name: "HandoffServer",
            dependencies: [
                "HandoffFlow", "HandoffIntegrations", "HandoffStores", "HandoffPersistence", "HandoffRules", "HandoffReviews", "ReportRendering",
                "ScoringModelFormat", "Conversations", "BatonSupport", crypto, yams, .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),

        // MARK: Data: generated and imported
        .target(
            name: "Simulation",
            dependencies: ["HandoffFlow", "HandoffRules", "HandoffPersistence", "HandoffSQLite", "ScoringModelFormat", "BatonSupport"]
        ),
        .target(name: "DatasetImport", dependencies: ["LeadCSV", "HandoffPersistence", "HandoffRules", "BatonSupport"]),

        // MARK: The command line
        .executableTarget(
            name: "baton",
            dependencies: [
                "LabTraining", "LabNumerics", "LabStatistics", "Recalibration", "ModelExport", "LeadCSV", "ScoringModelFormat",
                "HandoffRules", "HandoffPersistence", "HandoffSQLite", "HandoffStores", "HandoffFlow", "HandoffReviews",
                "HandoffServer", "Simulation", "DatasetImport", "Conversations", "BatonSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests, one target per module
        .target(name: "TestSupport", dependencies: ["ScoringModelFormat"], path: "Tests/TestSupport"),
        // A small model, playbook and engine on a scratch SQLite store, for the flow's and the simulator's tests.
        .target(
            name: "PostgresTestSupport",
            dependencies: ["HandoffPostgres", "HandoffPersistence", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/PostgresTestSupport"),
        .target(
            name: "HandoffTestSupport", dependencies: ["HandoffFlow", "HandoffSQLite", "HandoffRules", "ScoringModelFormat"],
            path: "Tests/HandoffTestSupport"),
        .testTarget(name: "BatonSupportTests", dependencies: ["BatonSupport"]),
        .testTarget(name: "LabNumericsTests", dependencies: ["LabNumerics", "TestSupport"]),
        .testTarget(name: "LabStatisticsTests", dependencies: ["LabStatistics", "TestSupport"]),
        .testTarget(name: "LeadCSVTests", dependencies: ["LeadCSV", "TestSupport"]),
        .testTarget(name: "ScoringModelFormatTests", dependencies: ["ScoringModelFormat", "TestSupport"]),
        .testTarget(name: "ModelExportTests", dependencies: ["ModelExport", "ScoringModelFormat", "TestSupport"]),
        .testTarget(name: "ReportRenderingTests", dependencies: ["ReportRendering"]),
        .testTarget(name: "LabTrainingTests", dependencies: ["LabTraining", "TestSupport"]),
        .testTarget(name: "RecalibrationTests", dependencies: ["Recalibration", "Simulation", "TestSupport"]),
        .testTarget(name: "HandoffRulesTests", dependencies: ["HandoffRules", "TestSupport"]),
        .testTarget(
            name: "HandoffStoresTests",
            dependencies: ["HandoffStores", "HandoffPersistence", "HandoffSQLite", "HandoffPostgres", "PostgresTestSupport", "TestSupport"]),
        .testTarget(name: "ConversationsTests", dependencies: ["Conversations", "TestSupport"]),
        .testTarget(
            name: "HandoffFlowTests",
            dependencies: [
                "HandoffFlow", "HandoffSQLite", "HandoffPostgres", "HandoffTestSupport", "PostgresTestSupport", "Conversations", "TestSupport",
            ]
        ),
        .testTarget(name: "HandoffIntegrationsTests", dependencies: ["HandoffIntegrations", "HandoffFlow", "TestSupport"]),
        .testTarget(name: "HandoffReviewsTests", dependencies: ["HandoffReviews", "HandoffSQLite", "ReportRendering", "TestSupport"]),
        .testTarget(
            name: "HandoffServerTests",
            dependencies: [
                "HandoffServer", "HandoffIntegrations", "HandoffSQLite", "HandoffPostgres", "HandoffStores", "PostgresTestSupport", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "SimulationTests",
            dependencies: [
                "Simulation", "LabTraining", "LabNumerics", "ScoringModelFormat", "HandoffSQLite", "HandoffTestSupport", "Conversations",
                "HandoffRules",
                "TestSupport", yams,
            ]),
        .testTarget(name: "DatasetImportTests", dependencies: ["DatasetImport", "LabTraining", "HandoffReviews", "HandoffSQLite", "TestSupport"]),
        .testTarget(
            name: "BatonCLITests",
            dependencies: [
                "baton", "TestSupport", "ScoringModelFormat", "ModelExport", "LabTraining", "HandoffPersistence", "HandoffSQLite", "HandoffStores",
            ]
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
                "LabNumerics", "LabTraining", "LeadCSV", "ScoringModelFormat", "Simulation",
            ],
            path: "Benchmarks/Kernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]))
}
