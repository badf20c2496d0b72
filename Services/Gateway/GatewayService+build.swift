// Wires the gateway: the public RPC socket, the workers' work socket and the progress PUB socket.
import Foundation
import Logging
import Messaging
import Orchestration
import Protos
import ServiceKit

typealias ListWorkersRequest = Activeseg_V1_ListWorkersRequest
typealias ListWorkersReply = Activeseg_V1_ListWorkersReply

enum GatewayService {
  static let bind = ConfigKey(
    "gateway.bind", env: "GATEWAY_BIND", .endpoint, default: "tcp://127.0.0.1:5550",
    "the public request socket (clients, CLI, annotators)")
  static let workBind = ConfigKey(
    "gateway.work_bind", env: "GATEWAY_WORK_BIND", .endpoint, default: "tcp://127.0.0.1:5551",
    "the work socket trainer and embedder workers connect to")
  static let eventsBind = ConfigKey(
    "gateway.events_bind", env: "GATEWAY_EVENTS_BIND", .endpoint, default: "tcp://127.0.0.1:5552",
    "the PUB socket for progress events")
  static let storage = ConfigKey(
    "gateway.storage", env: "GATEWAY_STORAGE", .endpoint, default: "tcp://127.0.0.1:5553",
    "the storage service's endpoint")
  static let selector = ConfigKey(
    "gateway.selector", env: "GATEWAY_SELECTOR", .endpoint, default: "tcp://127.0.0.1:5554",
    "the selector service's endpoint")
  static let heartbeatMs = ConfigKey(
    "gateway.heartbeat_ms", env: "GATEWAY_HEARTBEAT_MS", .int, default: "500",
    "milliseconds between heartbeats to workers")
  static let heartbeatTimeoutMs = ConfigKey(
    "gateway.heartbeat_timeout_ms", env: "GATEWAY_HEARTBEAT_TIMEOUT_MS", .int, default: "3000",
    "a worker silent this long is dropped and its job requeued")
  static let leaseSeconds = ConfigKey(
    "gateway.lease_seconds", env: "GATEWAY_LEASE_SECONDS", .int, default: "600",
    "seconds an annotator holds the slices it asked for before they go to someone else")
  static let keys = [bind, workBind, eventsBind, storage, selector, heartbeatMs, heartbeatTimeoutMs, leaseSeconds]

  /// Who may call what at the gateway: viewers read status and reports, annotators take and submit slices
  /// (as does the web service, a service key acting for the annotators signed in to it), admins (always
  /// allowed) run experiments and manage workers; everything not listed is admin-only.
  static let policy = AccessPolicy(
    rules: [
      "Gateway/Health": Set(Role.allCases),
      "Gateway/ExperimentStatus": [.viewer],
      "Gateway/Report": [.viewer],
      "Gateway/ListExperiments": [.viewer, .annotator, .service],
      "Gateway/AnnotateNext": [.annotator, .service],
      "Gateway/AnnotateSubmit": [.annotator, .service],
      "Gateway/AnnotationProgress": [.annotator, .viewer, .service]
    ], otherwise: [])

  static func build(config: ConfigReader, logger: Logger) throws -> BuiltService {
    let security = try ServiceSecurity(config: config, service: "gateway")
    var options = WorkOptions()
    options.heartbeatInterval = .milliseconds(config.int(heartbeatMs))
    options.heartbeatTimeout = .milliseconds(config.int(heartbeatTimeoutMs))
    let annotatorTopics = AnnotatorTopics()
    let publisher = try EventPublisher(
      bind: config.string(eventsBind), logger: logger, security: security.server(),
      annotatorAudience: annotatorTopics.audience)
    let broker = try WorkBroker(
      bind: config.string(workBind), options: options, logger: logger, security: security.server(),
      maxMessageBytes: security.limits.maxMessageBytes
    ) { event in
      publisher.publish(event)
    }
    let endpoint = EndpointBox()
    var router = RPCRouter()
    router.registerHealth(service: "gateway", method: "Gateway/Health", endpoint: { endpoint.value }) { reply in
      reply.workers = broker.workers()
      reply.detail = "work \(broker.endpoint) events \(publisher.endpoint)"
    }
    router.register("Gateway/ListWorkers") { (_: ListWorkersRequest, _) -> ListWorkersReply in
      var reply = ListWorkersReply()
      reply.workers = broker.workers()
      return reply
    }
    let storageClient = StorageClient(
      channel: try ZMQChannel(
        connect: config.string(storage), logger: logger,
        security: try security.client(of: "storage")), caller: "gateway")
    let selectorChannel = try ZMQChannel(
      connect: config.string(selector), logger: logger, security: try security.client(of: "selector"))
    let store = StorageExperimentStore(storage: storageClient)
    let desk = AnnotationDesk(leaseDuration: TimeInterval(config.int(leaseSeconds)), journal: store)
    let runner = ExperimentRunner(
      store: store, selector: RemoteSelector(channel: selectorChannel),
      workers: BrokerWorkerPool(broker: broker), desk: desk, publish: { publisher.publish(ProgressEvent($0)) },
      logger: logger, annotatorTopics: annotatorTopics)
    let experiments = ExperimentHandlers(runner: runner, storage: storageClient, logger: logger)
    experiments.register(on: &router)
    AnnotationHandlers(desk: desk, experiments: experiments).register(on: &router)
    SegmentHandlers(runner: runner, storage: storageClient, broker: broker).register(on: &router)
    let server = try RPCServer(
      bind: config.string(bind), router: router, logger: logger,
      security: security.server(policy: policy), limits: security.limits)
    endpoint.value = server.endpoint
    return BuiltService(
      // Shut down in reverse order: the experiments first (while the broker can still cancel their jobs).
      parts: [
        RPCServerService(server), WorkBrokerService(broker), EventPublisherService(publisher),
        ExperimentsService(experiments: experiments, desk: desk, logger: logger)
      ],
      endpoints: ["rpc": server.endpoint, "work": broker.endpoint, "events": publisher.endpoint])
  }
}

extension ProgressEvent {
  /// A round's progress as the PUB socket carries it.
  init(_ progress: RoundProgress) {
    self.init()
    topic = progress.topic
    kind = "round"
    step = progress.step
    round = Int32(progress.round)
    message = progress.message
  }
}
