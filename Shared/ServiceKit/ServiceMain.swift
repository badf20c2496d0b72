// The shared `main` of every service: read the configuration, set up logging, build, print READY, run until
// SIGTERM/SIGINT (or stdin closing), then drain. Each service's @main is a few lines around `run`.
import Foundation
import Logging
import Messaging
import ServiceLifecycle

/// What a service's build function returns: the long-running parts and the endpoints to announce.
public struct BuiltService: Sendable {
  public var parts: [any Service]
  /// Printed as `READY name=endpoint ...` once everything is bound, for launchers and tests.
  public var endpoints: KeyValuePairs<String, String>

  public init(parts: [any Service], endpoints: KeyValuePairs<String, String>) {
    self.parts = parts
    self.endpoints = endpoints
  }
}

public enum ServiceMain {
  /// Runs a service process. Exits with status 2 on a configuration error, 1 when it fails to start.
  public static func run(
    service: String, keys: [ConfigKey],
    build: @escaping @Sendable (ConfigReader, Logger) async throws -> BuiltService
  ) async -> Never {
    let config: ConfigReader
    do {
      config = try ConfigReader(keys: keys)
    } catch {
      fail("activeseg-\(service): \(error)", status: 2)
    }
    if config.helpRequested {
      print(config.usage(service: service))
      exit(0)
    }
    let level = Logger.Level(rawValue: config.string(.logLevel)) ?? .info
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "activeseg.\(service)")
    let built: BuiltService
    do {
      built = try await build(config, logger)
    } catch {
      fail("activeseg-\(service): failed to start: \(error)", status: 1)
    }
    var parts = built.parts.map {
      ServiceGroupConfiguration.ServiceConfiguration(
        service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
        failureTerminationBehavior: .gracefullyShutdownGroup)
    }
    if config.bool(SecurityKeys.secure) {
      parts.append(
        .init(service: AllowListReloader(logger: logger), successTerminationBehavior: .gracefullyShutdownGroup))
    }
    if config.bool(.exitOnStdinEOF) {
      parts.append(.init(service: StdinWatcher(), successTerminationBehavior: .gracefullyShutdownGroup))
    }
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: parts, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
    print("READY " + built.endpoints.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    fflush(nil)
    logger.info("started", metadata: ["version": "\(ActiveSegVersion.current)", "pid": "\(getpid())"])
    do {
      try await group.run()
    } catch {
      logger.error("stopped with an error", metadata: ["error": "\(error)"])
      fflush(nil)
      exit(1)
    }
    logger.info("stopped")
    fflush(nil)
    exit(0)
  }

  private static func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
  }
}

/// Finishes when standard input reaches end of file.
struct StdinWatcher: Service {
  func run() async throws {
    let stream = AsyncStream<Void> { continuation in
      let thread = Thread {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(0, &buffer, buffer.count) > 0 {}
        continuation.yield()
        continuation.finish()
      }
      thread.start()
    }
    await cancelWhenGracefulShutdown {
      for await _ in stream { break }
    }
  }
}
