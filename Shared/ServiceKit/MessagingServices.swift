// The messaging parts as ServiceLifecycle services: each runs until graceful shutdown, then stops its socket.
import Messaging
import ServiceLifecycle

/// Serves an `RPCServer` until graceful shutdown.
public struct RPCServerService: Service {
  public let server: RPCServer
  public init(_ server: RPCServer) { self.server = server }
  public func run() async throws {
    await cancelWhenGracefulShutdown { await server.run() }
  }
}

/// Runs the gateway's `WorkBroker` until graceful shutdown.
public struct WorkBrokerService: Service {
  public let broker: WorkBroker
  public init(_ broker: WorkBroker) { self.broker = broker }
  public func run() async throws {
    await cancelWhenGracefulShutdown { await broker.run() }
  }
}

/// Runs a worker's connection to the gateway until graceful shutdown (then says goodbye).
public struct WorkerConnectionService: Service {
  public let connection: WorkerConnection
  public init(_ connection: WorkerConnection) { self.connection = connection }
  public func run() async throws {
    await cancelWhenGracefulShutdown { await connection.run() }
  }
}

/// Keeps a publisher open until graceful shutdown.
public struct EventPublisherService: Service {
  public let publisher: EventPublisher
  public init(_ publisher: EventPublisher) { self.publisher = publisher }
  public func run() async throws {
    try? await gracefulShutdown()
    publisher.stop()
  }
}
