// swift-tools-version:6.2
import PackageDescription

// Dependencies flow one way: PolicyEngine and AWSShapes know nothing of HTTP or
// SQLite; service targets never import Hummingbird. See docs/architecture.md.
let package = Package(
    name: "gatehouse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
        .executable(name: "ShapeGen", targets: ["ShapeGen"]),
    ],
    dependencies: [
        // Empty traits: with the defaults SwiftPM re-plans and rebuilds Hummingbird
        // about half the time (SWIFT-NOTES.md), and swift-configuration is skipped.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenSSL"),
        // The system's SQLite (libsqlite3-dev), which Storage alone talks to.
        .systemLibrary(name: "CSQLite"),
        // seed/'s data sets, compiled into the binary with C23 #embed (DataSets reads them).
        .target(name: "EmbeddedData", exclude: ["build-commit", "state-template"]),
        .target(name: "Hashing", dependencies: ["COpenSSL"]),
        // What full Foundation gave that FoundationEssentials does not: text helpers, plain files.
        .target(name: "Platform"),
        // JSONWriter rounds doubles: libm must be linked where Foundation is not.
        .target(name: "JSON", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "PolicyEngine", dependencies: ["JSON"]),
        // The Service Authorization Reference: every service's actions, resource types and keys.
        .target(name: "ServiceCatalog", dependencies: ["JSON", "PolicyEngine"]),
        .executableTarget(name: "PolicyEngineBenchmark", dependencies: ["JSON", "PolicyEngine", "PolicyValidation", "Platform", "ServiceCatalog"]),
        .target(name: "AWSShapes", dependencies: ["JSON"]),
        .executableTarget(name: "ShapeGen", dependencies: ["JSON"]),
        .target(name: "AWSWire", dependencies: ["AWSShapes", "Hashing", "JSON"]),
        .target(name: "SAML", dependencies: ["Hashing", "COpenSSL", "Platform"]),
        .target(name: "Storage", dependencies: ["CSQLite", "EmbeddedData", "Hashing", "JSON"]),
        .target(name: "PolicyValidation", dependencies: ["JSON", "PolicyEngine", "ServiceCatalog"]),
        .target(name: "PolicyGeneration", dependencies: ["JSON", "PolicyEngine"]),
        .target(
            name: "ServiceKit",
            dependencies: [
                "AWSShapes", "AWSWire", "EmbeddedData", "PolicyEngine", "PolicyGeneration", "Platform", "ServiceCatalog", "Storage", "Hashing",
                "JSON", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "IAM",
            dependencies: [
                "ServiceKit", "AWSShapes", "Hashing", "JSON", "PolicyEngine", "SAML", "ServiceCatalog", "Storage",
            ]),
        .target(
            name: "STS",
            dependencies: [
                "ServiceKit", "AWSShapes", "AWSWire", "PolicyEngine", "Hashing", "JSON", "Storage", "SAML",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "ECR",
            dependencies: [
                "ServiceKit", "AWSShapes", "Hashing", "JSON", "PolicyEngine", "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // IAM Access Analyzer (REST-JSON): ValidatePolicy over PolicyValidation.
        .target(
            name: "AccessAnalyzer",
            dependencies: ["ServiceKit", "AWSShapes", "Hashing", "JSON", "PolicyValidation", "ServiceCatalog"]),
        .target(
            name: "Registry",
            dependencies: [
                "ECR", "ServiceKit", "Storage", "Hashing", "AWSShapes", "AWSWire", "JSON", "Platform",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The web console's pages and what each click does, without HTTP (GatehouseServer routes it).
        .target(
            name: "Console",
            dependencies: [
                "AWSShapes", "AWSWire", "Hashing", "JSON", "PolicyEngine", "PolicyValidation", "ServiceCatalog", "ServiceKit", "Storage", "Platform",
            ],
            // Compiled into the binary as byte arrays (PackageResources): the console needs no file beside it.
            resources: [
                .embedInCode("Assets/console.css"), .embedInCode("Assets/console.js"),
                .embedInCode("Assets/policy-editor.css"), .embedInCode("Assets/policy-editor.js"),
                .embedInCode("Assets/role-wizard.css"), .embedInCode("Assets/role-wizard.js"),
                .embedInCode("Assets/ecr.css"), .embedInCode("Assets/ecr.js"),
                .embedInCode("Assets/user-pages.css"), .embedInCode("Assets/user-pages.js"),
            ]),
        // Snapshots of the emulated world (`state export/import`, `serve --seed`).
        .target(
            name: "StateSnapshot",
            dependencies: ["Storage", "PolicyEngine", "Hashing", "JSON", "Platform"]),
        .target(
            name: "GatehouseServer",
            dependencies: [
                "AWSShapes", "AWSWire", "AccessAnalyzer", "Console", "Hashing", "JSON", "PolicyGeneration", "ServiceKit", "IAM", "STS", "ECR", "Registry",
                "StateSnapshot", "Storage", "Platform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Gatehouse in one process for tests: in-memory store, fixed clock, sequential ids.
        .target(
            name: "GatehouseTesting",
            dependencies: ["AccessAnalyzer", "ServiceKit", "IAM", "STS", "ECR", "Storage", "AWSShapes", "AWSWire"]),
        // The same stack serving a fixed answer: the floor scripts/bench compares start-up, memory and size with.
        .executableTarget(
            name: "HummingbirdSkeleton", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        // SQLite transactions per request, in process (scripts/bench runs it).
        .executableTarget(name: "RequestCostBenchmark", dependencies: ["GatehouseTesting"]),
        .executableTarget(
            name: "gatehouse",
            dependencies: [
                "GatehouseServer", "ECR", "PolicyEngine", "PolicyGeneration", "PolicyValidation", "ServiceCatalog", "ServiceKit", "JSON", "StateSnapshot", "Storage", "Platform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "AWSShapes",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Fuzz targets (scripts/fuzz builds them with -sanitize=fuzzer; a normal
        // build replays corpus files through the same checks). See README "Fuzzing".
        .target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "FuzzSigV4", dependencies: ["FuzzSupport", "AWSWire", "AWSShapes"], path: "Fuzz/FuzzSigV4"),
        .executableTarget(name: "FuzzFormEncoding", dependencies: ["FuzzSupport", "AWSWire"], path: "Fuzz/FuzzFormEncoding"),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport", "JSON"], path: "Fuzz/FuzzJSON"),
        .executableTarget(name: "FuzzPolicy", dependencies: ["FuzzSupport", "PolicyEngine"], path: "Fuzz/FuzzPolicy"),
        .executableTarget(name: "FuzzManifest", dependencies: ["FuzzSupport", "ECR"], path: "Fuzz/FuzzManifest"),
        .executableTarget(name: "FuzzSAMLXML", dependencies: ["FuzzSupport", "SAML"], path: "Fuzz/FuzzSAMLXML"),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "PlatformTests", dependencies: ["Platform"]),
        .testTarget(name: "PolicyEngineTests", dependencies: ["PolicyEngine", "JSON"]),
        .testTarget(name: "AWSShapesTests", dependencies: ["AWSShapes"]),
        .testTarget(name: "AWSWireTests", dependencies: ["AWSWire", "AWSShapes", "Hashing"]),
        .testTarget(name: "SAMLTests", dependencies: ["SAML"], exclude: ["Vectors", "make-vectors.py"]),
        .testTarget(
            name: "ECRTests",
            dependencies: [
                "ECR", "ServiceKit", "Storage", "AWSShapes", "AWSWire", "Hashing", "JSON",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "ServiceKitTests", dependencies: ["ServiceKit", "JSON"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Hashing"]),
        .testTarget(name: "PolicyValidationTests", dependencies: ["PolicyValidation", "ServiceCatalog"]),
        .testTarget(name: "PolicyGenerationTests", dependencies: ["PolicyGeneration", "PolicyEngine"]),
        .testTarget(name: "StateSnapshotTests", dependencies: ["StateSnapshot", "Storage", "Hashing"]),
        // The edge in process: HummingbirdTesting's `.router` mode needs no sockets.
        .testTarget(
            name: "GatehouseServerTests",
            dependencies: [
                "Console", "GatehouseServer", "GatehouseTesting", "AWSShapes", "AWSWire", "ECR", "Hashing", "JSON", "ServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(name: "IAMTests", dependencies: ["GatehouseTesting", "IAM"]),
        .testTarget(name: "STSTests", dependencies: ["GatehouseTesting", "Hashing"]),
        .testTarget(name: "AccessAnalyzerTests", dependencies: ["AccessAnalyzer", "GatehouseTesting", "JSON"]),
        .testTarget(name: "ECRInProcessTests", dependencies: ["GatehouseTesting", "JSON", "Hashing"]),
        .testTarget(name: "ServiceCatalogTests", dependencies: ["ServiceCatalog"]),
        .testTarget(name: "ConsoleTests", dependencies: ["AWSShapes", "Console", "GatehouseTesting", "Hashing", "JSON", "ServiceKit"]),
        .testTarget(name: "EndToEndTests", dependencies: ["JSON", "Hashing"]),
    ]
)
