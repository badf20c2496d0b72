// The page's JSON API: sign-in, the next leased slice (with its neighbours), submission and round progress.
// Each call checks the bearer token against the token list and calls the gateway's annotation RPCs in the
// annotator's name; gateway errors come back as JSON {"error": message} with a matching HTTP status.
import Foundation
import Hummingbird
import Logging
import Messaging
import Protos
import ServiceKit

struct AnnotationAPI: Sendable {
  let gateway: ZMQChannel
  let tokens: TokenList
  let neighbours: Int32
  let defaultExperiment: Int64
  let logger: Logger

  /// Largest request body: a 1024×1024 mask in base64 is about 1.4 MB.
  static let maxBody = 8 << 20

  func register(on router: Router<BasicRequestContext>) {
    router.get("/") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: AnnotationPage.html)))
    }
    router.get("/api/session") { request, _ in
      await respond { WebSession(annotator: try signedIn(request), experiment: defaultExperiment) }
    }
    router.get("/api/next") { request, _ in
      await respond { try await next(request) }
    }
    router.get("/api/progress") { request, _ in
      await respond { try await progress(annotator: try signedIn(request), experiment: try experiment(request)) }
    }
    router.post("/api/submit") { request, _ in
      var request = request
      let body = try? await request.collectBody(upTo: Self.maxBody)
      return await respond { try await submit(annotator: try signedIn(request), body: body) }
    }
  }

  // MARK: - Calls

  private func next(_ request: Request) async throws -> WebNext {
    let annotator = try signedIn(request)
    let experiment = try experiment(request)
    var call = Activeseg_V1_AnnotateNextRequest()
    call.experimentID = experiment
    call.annotator = annotator
    call.count = 1
    call.neighbours = neighbours
    let reply = try await gateway.call(
      "Gateway/AnnotateNext", call, replying: Activeseg_V1_AnnotateNextReply.self,
      options: callOptions(annotator))
    let slice = try reply.slices.first.map { try WebSlice($0) }
    return WebNext(slice: slice, progress: try await progress(annotator: annotator, experiment: experiment))
  }

  private func progress(annotator: String, experiment: Int64) async throws -> WebProgress {
    var call = Activeseg_V1_AnnotationProgressRequest()
    call.experimentID = experiment
    let reply = try await gateway.call(
      "Gateway/AnnotationProgress", call, replying: Activeseg_V1_AnnotationProgressReply.self,
      options: .idempotent(caller: "web:\(annotator)"))
    return WebProgress(reply)
  }

  private func submit(annotator: String, body: ByteBuffer?) async throws -> WebSubmitted {
    guard let body else {
      throw ServiceError(.invalidArgument, "the submission is missing or larger than \(Self.maxBody >> 20) MiB")
    }
    let form: WebSubmission
    do { form = try JSONDecoder().decode(WebSubmission.self, from: Data(body.readableBytesView)) } catch {
      throw ServiceError(.invalidArgument, "the submission is not the JSON the page sends (\(error)); reload the page")
    }
    let mask = try form.maskBytes()
    var call = Activeseg_V1_AnnotateSubmitRequest()
    call.experimentID = form.experiment
    call.sliceID = form.slice
    call.annotator = annotator
    call.secondsSpent = form.seconds
    call.kind = form.kind == "scribble" ? .scribble : .full
    call.mask = WireTensor(uint8: mask, shape: [form.height, form.width])
    let reply = try await gateway.call(
      "Gateway/AnnotateSubmit", call, replying: Activeseg_V1_AnnotateSubmitReply.self,
      options: callOptions(annotator))
    logger.info(
      "label submitted", metadata: ["annotator": "\(annotator)", "slice": "\(form.slice)", "seconds": "\(form.seconds)"]
    )
    return WebSubmitted(annotationId: reply.annotationID, remaining: Int(reply.remainingInBatch))
  }

  // MARK: - Helpers

  /// The annotator of the request's bearer token; UNAUTHENTICATED when it has none or one not in the list.
  private func signedIn(_ request: Request) throws -> String {
    let header = request.headers[.authorization] ?? ""
    guard header.hasPrefix("Bearer "), case let token = String(header.dropFirst(7)), !token.isEmpty else {
      throw ServiceError(
        .unauthenticated,
        "sign in with your annotator token (ask your admin for one: `activeseg keys web-token --name YOU`)")
    }
    guard let name = tokens.annotator(token: token) else {
      throw ServiceError(
        .unauthenticated,
        "this token is not on the list of annotators; check it, or ask your admin for one (`activeseg keys web-token --name YOU`)"
      )
    }
    return name
  }

  private func experiment(_ request: Request) throws -> Int64 {
    guard let id = request.uri.queryParameters.get("experiment", as: Int64.self), id > 0 else {
      throw ServiceError(.invalidArgument, "give the experiment number (experiment=N, N ≥ 1)")
    }
    return id
  }

  private func callOptions(_ annotator: String) -> CallOptions {
    CallOptions(timeout: .seconds(30), caller: "web:\(annotator)")
  }

  /// Runs `body` and encodes its value as JSON, or its error as {"error": ...} with the matching HTTP status.
  private func respond<Value: Encodable>(_ body: () async throws -> Value) async -> Response {
    do {
      return Self.json(.ok, try JSONEncoder().encode(try await body()))
    } catch let error as ServiceError {
      if error.code != .unauthenticated && error.code != .failedPrecondition && error.code != .invalidArgument {
        logger.warning("request failed", metadata: ["error": "\(error)"])
      }
      return Self.json(
        Self.status(error.code),
        (try? JSONEncoder().encode(["error": error.message, "code": error.code.name])) ?? Data())
    } catch {
      logger.error("request failed", metadata: ["error": "\(error)"])
      return Self.json(
        .internalServerError, (try? JSONEncoder().encode(["error": "\(error)", "code": "INTERNAL"])) ?? Data())
    }
  }

  static func json(_ status: HTTPResponse.Status, _ data: Data) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
  }

  static func status(_ code: ServiceError.Code) -> HTTPResponse.Status {
    switch code {
    case .invalidArgument: .badRequest
    case .unauthenticated: .unauthorized
    case .permissionDenied: .forbidden
    case .notFound: .notFound
    case .failedPrecondition, .alreadyExists: .conflict
    case .resourceExhausted: .tooManyRequests
    case .unavailable, .deadlineExceeded: .serviceUnavailable
    default: .internalServerError
    }
  }
}
