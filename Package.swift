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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
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
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "LabTraining",
            dependencies: ["LabNumerics", "ScoringModelFormat", "LeadTable"]
        ),
        .executableTarget(
            name: "baton",
            dependencies: [
                "LabTraining",
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
        .testTarget(name: "BatonCLITests", dependencies: ["baton", "TestSupport", "ScoringModelFormat"]),
    ]
)
