// swift-tools-version: 6.1
// ActiveSeg: slice-based active learning for 3D medical image segmentation, as five services over ZeroMQ.
// Layering (read top to bottom): C shims -> compute / protos / messaging -> service kit -> services -> tests.
import PackageDescription

let serviceDeps: [Target.Dependency] = ["ServiceKit", "Messaging", "Protos", .product(name: "Logging", package: "swift-log")]

let package = Package(
  name: "ActiveSeg",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "activeseg", targets: ["ActiveSegCLI"]),
    .executable(name: "activeseg-storage", targets: ["StorageService"]),
    .executable(name: "activeseg-trainer", targets: ["TrainerService"]),
    .executable(name: "activeseg-embedder", targets: ["EmbedderService"]),
    .executable(name: "activeseg-selector", targets: ["SelectorService"]),
    .executable(name: "activeseg-gateway", targets: ["GatewayService"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0", traits: []),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
  ],
  targets: [
    // MARK: C libraries, one thin module each
    .systemLibrary(name: "CZeroMQ", path: "Shared/CZeroMQ"),

    // MARK: contracts and messaging
    .target(name: "Protos", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Shared/Protos"),
    .target(name: "Messaging",
            dependencies: ["CZeroMQ", "Protos", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Messaging"),
    .target(name: "ServiceKit",
            dependencies: ["Messaging", "Protos", .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            path: "Shared/ServiceKit"),

    .target(name: "Launcher", path: "compose/Launcher"),

    // MARK: services (one executable each) and the CLI
    .executableTarget(name: "StorageService", dependencies: serviceDeps, path: "Services/Storage"),
    .executableTarget(name: "TrainerService", dependencies: serviceDeps, path: "Services/Trainer"),
    .executableTarget(name: "EmbedderService", dependencies: serviceDeps, path: "Services/Embedder"),
    .executableTarget(name: "SelectorService", dependencies: serviceDeps, path: "Services/Selector"),
    .executableTarget(name: "GatewayService", dependencies: serviceDeps, path: "Services/Gateway"),
    .executableTarget(name: "ActiveSegCLI",
                      dependencies: serviceDeps + ["Launcher", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                      path: "Services/CLI"),

    // MARK: tests
    .target(name: "TestSupport", dependencies: ["Messaging", "Protos", "Launcher"], path: "Shared/TestSupport"),
    .testTarget(name: "ServiceKitTests", dependencies: ["ServiceKit"], path: "Tests/ServiceKitTests"),
    .testTarget(name: "MessagingTests", dependencies: ["Messaging", "TestSupport"], path: "Tests/MessagingTests"),
    .testTarget(name: "IntegrationTests", dependencies: ["ServiceKit", "Messaging", "Protos", "Launcher", "TestSupport", .product(name: "Yams", package: "Yams")],
                path: "Tests/IntegrationTests"),
  ]
)
