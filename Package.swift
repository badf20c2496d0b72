// swift-tools-version: 6.1
// ActiveSeg: slice-based active learning for 3D medical image segmentation, as five services over ZeroMQ.
// Layering (read top to bottom): C shims -> compute (no I/O) / formats / persistence / protos and messaging
// -> service kit -> services -> tests. Compute modules never import messaging, persistence or protos.
import PackageDescription

let log: Target.Dependency = .product(name: "Logging", package: "swift-log")
let serviceDeps: [Target.Dependency] = ["ServiceKit", "Messaging", "Protos", log]

// libFuzzer targets (scripts/fuzz builds them with -sanitize=fuzzer,address; a plain build replays inputs).
let fuzzTargets = ["FuzzEnvelope", "FuzzRequests", "FuzzNIfTI", "FuzzHDF5", "FuzzPNG", "FuzzYAML"]

let package = Package(
  name: "ActiveSeg",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "activeseg", targets: ["ActiveSegCLI"]),
    .executable(name: "activeseg-storage", targets: ["StorageService"]),
    .executable(name: "activeseg-trainer", targets: ["TrainerService"]),
    .executable(name: "activeseg-embedder", targets: ["EmbedderService"]),
    .executable(name: "activeseg-selector", targets: ["SelectorService"]),
    .executable(name: "activeseg-gateway", targets: ["GatewayService"]),
    .executable(name: "activeseg-web", targets: ["WebService"]),
  ] + fuzzTargets.map { .executable(name: $0, targets: [$0]) },
  dependencies: [
    .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0", traits: []),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
  ],
  targets: [
    // MARK: C libraries, one thin module each
    .systemLibrary(name: "CZeroMQ", path: "Shared/CZeroMQ"),
    .systemLibrary(name: "CDNNL", path: "Shared/CDNNL"),
    .systemLibrary(name: "COpenBLAS", path: "Shared/COpenBLAS"),
    .systemLibrary(name: "CZlib", path: "Shared/CZlib"),
    .systemLibrary(name: "CHDF5", path: "Shared/CHDF5"),

    // MARK: compute (no I/O)
    .target(name: "Randomness", path: "Shared/Randomness"),
    .target(name: "TensorCore", dependencies: ["CDNNL", "COpenBLAS", "Randomness"], path: "Shared/TensorCore",
            exclude: ["README.md"]),
    .target(name: "NeuralNet", dependencies: ["TensorCore", "Randomness"], path: "Shared/NeuralNet", exclude: ["README.md"]),
    .target(name: "Imaging", dependencies: ["Randomness"], path: "Shared/Imaging"),
    .target(name: "Segmentation",
            dependencies: ["NeuralNet", "TensorCore", "Imaging", "Randomness", .product(name: "Yams", package: "Yams")],
            path: "Shared/Segmentation", exclude: ["README.md", "Presets"]),
    .target(name: "MetricLearning", dependencies: ["NeuralNet", "TensorCore", "Randomness"], path: "Shared/MetricLearning",
            exclude: ["README.md"]),
    .target(name: "ActiveLearning", dependencies: ["COpenBLAS", "Randomness", "TensorCore"], path: "Shared/ActiveLearning"),
    .target(name: "LearnedSelection", dependencies: ["ActiveLearning", "NeuralNet", "TensorCore", "Randomness"],
            path: "Shared/LearnedSelection", exclude: ["README.md"]),

    // MARK: data formats and the database
    .target(name: "DatasetFormats", dependencies: ["Imaging", "CZlib", "CHDF5", "Randomness"], path: "Shared/DatasetFormats",
            exclude: ["README.md"]),
    .target(name: "Persistence", dependencies: [.product(name: "GRDB", package: "GRDB.swift")], path: "Shared/Persistence",
            exclude: ["README.md"]),

    .target(name: "Experiments", dependencies: ["Randomness", .product(name: "Yams", package: "Yams")], path: "Shared/Experiments"),

    // MARK: contracts, messaging, service runtime
    .target(name: "Protos", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")], path: "Shared/Protos"),
    .target(name: "Messaging", dependencies: ["CZeroMQ", "Protos", log], path: "Shared/Messaging"),
    .target(name: "ServiceKit",
            dependencies: ["Messaging", "Protos", "Experiments", log,
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            path: "Shared/ServiceKit"),
    .target(name: "Launcher", path: "compose/Launcher"),
    // The round state machine, resume and the annotation desk, with storage, selector and workers behind protocols.
    .target(name: "Orchestration", dependencies: ["Experiments", "Messaging", "Randomness", log], path: "Shared/Orchestration"),

    // MARK: services (one executable each) and the CLI
    .executableTarget(name: "StorageService", dependencies: serviceDeps + ["Persistence", "DatasetFormats", "Imaging", "Experiments"],
                      path: "Services/Storage"),
    .executableTarget(name: "TrainerService",
                      dependencies: serviceDeps + ["Segmentation", "TensorCore", "ActiveLearning", "Randomness", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                      path: "Services/Trainer"),
    .executableTarget(name: "EmbedderService",
                      dependencies: serviceDeps + ["MetricLearning", "NeuralNet", "TensorCore", "Imaging", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                      path: "Services/Embedder"),
    .executableTarget(name: "SelectorService", dependencies: serviceDeps + ["ActiveLearning", "Experiments", "Imaging", "LearnedSelection", "Randomness"], path: "Services/Selector"),
    .executableTarget(name: "GatewayService",
                      dependencies: serviceDeps + ["Experiments", "Orchestration", "Randomness", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                                                   .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                      path: "Services/Gateway"),
    .executableTarget(name: "WebService",
                      dependencies: serviceDeps + [.product(name: "Hummingbird", package: "hummingbird"),
                                                    .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                      path: "Services/Web"),
    .executableTarget(name: "ActiveSegCLI",
                      dependencies: serviceDeps + ["Launcher", "Experiments", "Orchestration", "DatasetFormats", "Segmentation", "Imaging", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                                    .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                      path: "Services/CLI"),

    // MARK: benchmarks (run by scripts/bench in release)
    .executableTarget(name: "RPCBench", dependencies: ["Messaging", "Protos", log], path: "Benchmarks/RPCBench",
                      exclude: ["raw_echo.c"]),
    .executableTarget(name: "StorageBench",
                      dependencies: ["Messaging", "Protos", "ServiceKit", "Launcher", log, .product(name: "GRDB", package: "GRDB.swift")],
                      path: "Benchmarks/StorageBench"),
    .executableTarget(name: "LoadBench", dependencies: ["Messaging", "Protos", "ServiceKit", "Launcher", log], path: "Benchmarks/LoadBench"),
    .executableTarget(name: "SelectBench", dependencies: ["Messaging", "Protos", "ServiceKit", "Launcher", log], path: "Benchmarks/SelectBench"),
    .executableTarget(name: "TrainerBench", dependencies: ["NeuralNet", "TensorCore", "Randomness"], path: "Benchmarks/TrainerBench",
                      exclude: ["unet_torch.py"]),
    .executableTarget(name: "EmbedderBench", dependencies: ["MetricLearning", "NeuralNet", "TensorCore", "Randomness"],
                      path: "Benchmarks/EmbedderBench", exclude: ["encoder_torch.py"]),
    .executableTarget(name: "EmbeddingCheck", dependencies: ["MetricLearning", "NeuralNet", "TensorCore", "Randomness"],
                      path: "Benchmarks/EmbeddingCheck"),
    .executableTarget(name: "TrainingCheck", dependencies: ["Segmentation", "TensorCore", "Randomness"],
                      path: "Benchmarks/TrainingCheck"),
    .executableTarget(name: "RecipeCheck", dependencies: ["DatasetFormats", "Imaging", "Segmentation", "TensorCore", "Randomness"],
                      path: "Benchmarks/RecipeCheck"),
    .executableTarget(name: "PredictBench", dependencies: ["Segmentation", "NeuralNet", "TensorCore", "Randomness"],
                      path: "Benchmarks/PredictBench", exclude: ["predict_torch.py"]),
    .executableTarget(name: "OpBench", dependencies: ["TensorCore", "Randomness"], path: "Benchmarks/OpBench"),
    .executableTarget(name: "FuzzBench",
                      dependencies: ["TestSupport", "Messaging", "Protos", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                      path: "Benchmarks/FuzzBench",
                      exclude: ["fuzz_decode.c"]),
    .executableTarget(name: "SelectorBench", dependencies: ["ActiveLearning", "Randomness"], path: "Benchmarks/SelectorBench",
                      exclude: ["kcenter_numpy.py"]),

    // MARK: fuzzing (each target depends only on what it fuzzes, so the sanitizer build stays small)
    .systemLibrary(name: "CFuzzer", path: "Fuzz/CFuzzer"),
    .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "Fuzz/Support"),
    .executableTarget(name: "FuzzEnvelope", dependencies: ["FuzzSupport", "Messaging", "Protos"], path: "Fuzz/Envelope"),
    .executableTarget(name: "FuzzRequests",
                      dependencies: ["FuzzSupport", "Messaging", "Protos", "ServiceKit", "Experiments",
                                     .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                      path: "Fuzz/Requests"),
    .executableTarget(name: "FuzzNIfTI", dependencies: ["FuzzSupport", "DatasetFormats"], path: "Fuzz/NIfTI"),
    .executableTarget(name: "FuzzHDF5", dependencies: ["FuzzSupport", "DatasetFormats"], path: "Fuzz/HDF5"),
    .executableTarget(name: "FuzzPNG", dependencies: ["FuzzSupport", "DatasetFormats"], path: "Fuzz/PNG"),
    .executableTarget(name: "FuzzYAML", dependencies: ["FuzzSupport", "Experiments"], path: "Fuzz/YAML"),

    // MARK: tests
    .target(name: "TestSupport", dependencies: ["Messaging", "Protos", "Launcher", "TensorCore", "Randomness",
                                                .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/TestSupport"),
    .testTarget(name: "OrchestrationTests", dependencies: ["Orchestration", "Experiments", "Messaging", "Randomness", log],
                path: "Tests/OrchestrationTests"),
    .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TestSupport", "Randomness"], path: "Tests/TensorCoreTests"),
    .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TensorCore", "TestSupport", "Randomness"],
                path: "Tests/NeuralNetTests", exclude: ["Fixtures"]),
    .testTarget(name: "MetricLearningTests",
                dependencies: ["MetricLearning", "Imaging", "NeuralNet", "TensorCore", "TestSupport", "Randomness"],
                path: "Tests/MetricLearningTests", exclude: ["Fixtures"]),
    .testTarget(name: "SegmentationTests",
                dependencies: ["Segmentation", "Imaging", "NeuralNet", "TensorCore", "TestSupport", "Randomness"],
                path: "Tests/SegmentationTests", exclude: ["Fixtures"]),
    .testTarget(name: "ImagingTests", dependencies: ["Imaging", "Randomness"], path: "Tests/ImagingTests", exclude: ["Fixtures"]),
    .testTarget(name: "DatasetFormatsTests", dependencies: ["DatasetFormats", "Imaging"], path: "Tests/DatasetFormatsTests",
                exclude: ["Fixtures"]),
    .testTarget(name: "ActiveLearningTests", dependencies: ["ActiveLearning", "Imaging", "Randomness"], path: "Tests/ActiveLearningTests",
                exclude: ["Fixtures"]),
    .testTarget(name: "LearnedSelectionTests",
                dependencies: ["LearnedSelection", "ActiveLearning", "Experiments", "NeuralNet", "TensorCore", "TestSupport", "Randomness"],
                path: "Tests/LearnedSelectionTests", exclude: ["Fixtures"]),
    .executableTarget(name: "PersistenceCrashProbe", dependencies: ["Persistence"], path: "Tests/PersistenceCrashProbe"),
    .testTarget(name: "PersistenceTests", dependencies: ["Persistence", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
                path: "Tests/PersistenceTests"),
    .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Randomness"], path: "Tests/ExperimentsTests"),
    .testTarget(name: "ServiceKitTests", dependencies: ["ServiceKit", "Messaging", "Protos"], path: "Tests/ServiceKitTests"),
    .testTarget(name: "MessagingTests", dependencies: ["Messaging", "TestSupport"], path: "Tests/MessagingTests"),
    .testTarget(name: "IntegrationTests",
                dependencies: ["ServiceKit", "Messaging", "Protos", "Launcher", "TestSupport", "DatasetFormats", "Persistence", "Segmentation",
                               .product(name: "Yams", package: "Yams"),
                               .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                path: "Tests/IntegrationTests"),
  ]
)
