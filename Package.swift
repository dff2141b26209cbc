// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "passerelle",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Eligibility", targets: ["Eligibility"]),
        .executable(name: "passerelle", targets: ["passerelle"]),
        .executable(name: "eligibility-bench", targets: ["eligibility-bench"]),
        .executable(name: "migration-bench", targets: ["migration-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure eligibility engine: no Vapor, no database.
        .target(
            name: "Eligibility",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Catalog")]
        ),
        .target(
            name: "App",
            dependencies: [
                "Eligibility",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/sql"), .copy("Resources/assets")]
        ),
        .executableTarget(name: "passerelle", dependencies: ["App"]),
        .executableTarget(name: "eligibility-bench", dependencies: ["Eligibility"]),
        .executableTarget(name: "migration-bench", dependencies: ["App", .product(name: "Vapor", package: "vapor")]),
        .testTarget(name: "EligibilityTests", dependencies: ["Eligibility"]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            // Read by path (#filePath), not bundled: an earlier catalog's files.
            exclude: ["Fixtures"]
        ),
    ]
)
