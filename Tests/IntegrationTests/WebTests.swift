// The annotation page in a real browser: headless Chromium driven by selenium (Tests/Browser/annotate_page.py)
// against activeseg-web, the gateway and storage as processes. The script signs in (a wrong token first), paints a
// known shape, submits, and has a late submission refused; this test then reads storage to check that exactly
// that mask was stored under the annotator's name. Needs chromium, chromium-driver and selenium (scripts/setup).
import Foundation
import Glibc
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
import Launcher
import Messaging
import Protos
import ServiceKit
import Testing
import TestSupport

@Suite(.serialized) struct WebTests {
  /// The Python with selenium: ACTIVESEG_BROWSER_PYTHON, else the virtual environment scripts/setup makes
  /// (ACTIVESEG_TEST_VENV, default ~/.cache/activeseg/venv-tests).
  static var python: String {
    let environment = ProcessInfo.processInfo.environment
    return environment["ACTIVESEG_BROWSER_PYTHON"]
      ?? (environment["ACTIVESEG_TEST_VENV"] ?? NSHomeDirectory() + "/.cache/activeseg/venv-tests") + "/bin/python"
  }

  @Test func anAnnotatorSignsInPaintsAndSubmitsInABrowser() async throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: Self.python),
      "no selenium Python at \(Self.python): run scripts/setup (it installs chromium, chromium-driver and selenium)")
    try #require(
      FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
      "no /usr/bin/chromedriver: run scripts/setup")
    let (cluster, gateway) = try await LoopTests.cluster(trainers: 1, environment: ["GATEWAY_LEASE_SECONDS": "12"])
    defer { gateway.close(); cluster.stop() }
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    defer { storage.close() }

    // The admin makes alice's token; the web service reads the file.
    let cli = ServiceProcess.binDirectory() + "/activeseg"
    let tokens = cluster.directory.file("web-tokens")
    let made = try await runCommand(cli, ["keys", "web-token", "--name", "alice", "--file", tokens])
    #expect(made.status == 0, "\(made.output)")
    let token = try #require(
      made.output.split(separator: "\n").first { $0.hasPrefix("token for alice: ") }.map { String($0.dropFirst(17)) })
    let web = try cluster.launch(
      "web", "activeseg-web", ["--port", "0", "--gateway", cluster.endpoint("gateway"), "--tokens", tokens])
    let url = try #require(web.endpoints["http"])

    var run = Activeseg_V1_RunExperimentRequest()
    run.configYaml = """
      dataset: ph
      supervision: scribble
      strategies: [random]
      schedule: {cumulative: [0.1]}
      preset: smoke
      seeds: [0]
      annotators: people
      """
    let experiment = try await gateway.call(
      "Gateway/RunExperiment", run, replying: Activeseg_V1_RunExperimentReply.self
    ).experimentID

    let screenshots =
      ProcessInfo.processInfo.environment["ACTIVESEG_SCREENSHOTS"] ?? cluster.directory.file("screenshots")
    let result = cluster.directory.file("browser-result.json")
    let browser = try await runCommand(
      Self.python,
      [
        repositoryRoot + "/Tests/Browser/annotate_page.py", "--url", url, "--token", token, "--experiment",
        "\(experiment)",
        "--cli", cli, "--gateway", cluster.endpoint("gateway"), "--screenshots", screenshots, "--result", result
      ])
    try #require(browser.status == 0, "the browser session failed:\n\(browser.output)\nweb log:\n\(cluster.log("web"))")

    // Storage holds exactly the painted mask, once, under alice's name, as a scribble with the seconds spent.
    struct Outcome: Decodable {
      let slice: Int64
      let width: Int
      let height: Int
      let expected_mask: [UInt8]
      let refused_slice: Int64
    }
    let outcome = try JSONDecoder().decode(Outcome.self, from: Data(contentsOf: URL(fileURLWithPath: result)))
    let stored = try await Self.storedAnnotations(storage)
    try #require(
      stored.count == 1,
      "one submission succeeded, so one annotation is stored; got \(stored.map { ($0.sliceID, $0.annotator) })")
    let annotation = stored[0]
    #expect(annotation.sliceID == outcome.slice)
    #expect(annotation.annotator == "alice")
    #expect(annotation.kind == .scribble)
    #expect(annotation.costSeconds >= 1, "the page records the seconds spent (at least the second the script waited)")
    #expect(annotation.mask.shape == [Int64(outcome.height), Int64(outcome.width)])
    let mask = try annotation.mask.bytes("stored mask")
    #expect(
      mask == outcome.expected_mask,
      "\(zip(mask, outcome.expected_mask).filter { $0 != $1 }.count) pixels differ from the painted shape")
    #expect(Set(mask) == [0, 1, 3, 4], "background, RV and LV scribbles on not-annotated pixels")
    #expect(annotation.sliceID != outcome.refused_slice)
    cluster.directory.remove()
  }

  /// With CurveZMQ on, the web service calls the gateway with its own `service` key, and the label it submits for a
  /// signed-in annotator is recorded under the annotator's name, not the key's.
  @Test func overCurveZMQTheWebServiceSubmitsInTheAnnotatorsName() async throws {
    let cluster = try LocalCluster(secureClients: "admin:admin")
    try cluster.start(trainers: 1, embedders: 0)
    defer { cluster.stop() }
    let keys = try #require(cluster.keysDirectory)
    func admin(_ server: String) throws -> ClientSecurity {
      ClientSecurity(
        keys: try CurveKeyPair.load(directory: keys, name: "admin"),
        serverPublicKey: try CurveKeyPair.loadPublic(directory: keys, name: server))
    }
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger, security: try admin("storage"))
    defer { storage.close() }
    _ = try await storage.call(
      "Storage/Import", Activeseg_V1_ImportRequest.phantom(name: "ph", patients: 4, size: 32),
      replying: Activeseg_V1_ImportReply.self, options: CallOptions(timeout: .seconds(60)))
    let gateway = try ZMQChannel(connect: cluster.endpoint("gateway"), logger: logger, security: try admin("gateway"))
    defer { gateway.close() }
    var run = Activeseg_V1_RunExperimentRequest()
    run.configYaml =
      "dataset: ph\nsupervision: full\nstrategies: [random]\nschedule: {cumulative: [0.1]}\npreset: smoke\nseeds: [0]\nannotators: people\n"
    let experiment = try await gateway.call(
      "Gateway/RunExperiment", run, replying: Activeseg_V1_RunExperimentReply.self
    ).experimentID

    let tokens = cluster.directory.file("web-tokens")
    let token = String(repeating: "7a", count: 16)
    try "\(token) carol\n".write(toFile: tokens, atomically: true, encoding: .utf8)
    let web = try cluster.launch(
      "web", "activeseg-web", ["--port", "0", "--gateway", cluster.endpoint("gateway"), "--tokens", tokens])
    let url = try #require(web.endpoints["http"])

    // The leased slice comes through the secured gateway once round 0's picks wait for people.
    var slice: [String: Any]?
    let deadline = ContinuousClock.now + .seconds(120)
    while slice == nil && ContinuousClock.now < deadline {
      let (status, body) = try await Self.http(url + "api/next?experiment=\(experiment)", token: token)
      try #require(
        status == 200, "GET /api/next: \(status) \(String(decoding: body, as: UTF8.self))\n\(cluster.log("web"))")
      slice = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["slice"] as? [String: Any]
      if slice == nil { try await Task.sleep(for: .milliseconds(300)) }
    }
    let leased = try #require(slice, "no slice was handed out within two minutes: \(cluster.log("gateway"))")
    let id = try #require(leased["id"] as? Int64 ?? (leased["id"] as? Int).map(Int64.init))
    let image = try #require(leased["image"] as? [String: Any])
    let (width, height) = (try #require(image["width"] as? Int), try #require(image["height"] as? Int))
    let mask = [UInt8]((0..<(width * height)).map { UInt8($0 % 4) })
    let submission: [String: Any] = [
      "experiment": experiment, "slice": id, "kind": "full", "seconds": 7.5, "width": width,
      "height": height, "mask": Data(mask).base64EncodedString()
    ]
    let (status, body) = try await Self.http(
      url + "api/submit", token: token, body: try JSONSerialization.data(withJSONObject: submission))
    try #require(status == 200, "POST /api/submit: \(status) \(String(decoding: body, as: UTF8.self))")
    let (refused, _) = try await Self.http(
      url + "api/submit", token: "wrong-" + token, body: try JSONSerialization.data(withJSONObject: submission))
    #expect(refused == 401, "a wrong token cannot submit")

    let stored = try await Self.storedAnnotations(storage)
    try #require(stored.count == 1)
    #expect(
      stored[0].sliceID == id && stored[0].annotator == "carol" && stored[0].kind == .full
        && stored[0].costSeconds == 7.5)
    #expect(try stored[0].mask.bytes("mask") == mask)
    cluster.directory.remove()
  }

  /// What an admin does: a token, `activeseg up --web-port`, `status` (the page is up, named with its URL), the
  /// page served and the token accepted, `down` (nothing left listening).
  @Test func upWithAWebPortStartsThePageThatStatusAndDownKnow() async throws {
    let run = try LocalRun()
    let missing = try await run.run(["up", "--web-port", "8080", "--port-base", "\(run.portBase)"])
    #expect(missing.status == 66 && missing.output.contains("keys web-token"), "no token file yet: \(missing.output)")
    let made = try await run.run(["keys", "web-token", "--name", "dora"])
    let token = try #require(
      made.output.split(separator: "\n").first { $0.hasPrefix("token for dora: ") }.map { String($0.dropFirst(16)) })
    let port = try Self.freeTCPPort()
    let up = try await run.run([
      "up", "--trainers", "0", "--embedders", "0", "--port-base", "\(run.portBase)", "--web-port", "\(port)"
    ])
    try #require(up.status == 0, "\(up.output)")
    let status = try await run.run(["status"])
    #expect(status.status == 0, "every service, the page included, answers Health: \(status.output)")
    #expect(status.output.contains("page http://127.0.0.1:\(port)/"), "\(status.output)")
    let (page, html) = try await Self.http("http://127.0.0.1:\(port)/", token: "")
    #expect(page == 200 && String(decoding: html, as: UTF8.self).contains("ActiveSeg annotation"))
    let (session, body) = try await Self.http("http://127.0.0.1:\(port)/api/session", token: token)
    #expect(
      session == 200 && String(decoding: body, as: UTF8.self).contains("\"dora\""),
      "\(String(decoding: body, as: UTF8.self))")
    let down = try await run.run(["down"])
    #expect(down.status == 0 && down.output.contains("stopped web"), "\(down.output)")
    let after = try? await Self.http("http://127.0.0.1:\(port)/", token: "")
    #expect(after == nil, "the page stopped with the services")
  }

  /// A TCP port nothing listens on now, from the kernel (bind to port 0).
  static func freeTCPPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else { throw RecordError(description: "cannot bind 127.0.0.1:0 to find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// One HTTP request (GET, or POST of `body`) with the bearer token; returns the status and the body.
  /// Every annotation storage holds for the test's dataset, with its mask.
  static func storedAnnotations(_ storage: ZMQChannel) async throws -> [Activeseg_V1_Annotation] {
    var query = Activeseg_V1_GetAnnotationsRequest()
    query.datasetID = 1
    query.withMasks = true
    return try await storage.call(
      "Storage/GetAnnotations", query, replying: Activeseg_V1_GetAnnotationsReply.self
    ).annotations
  }

  static func http(_ url: String, token: String, body: Data? = nil) async throws -> (Int, Data) {
    var request = URLRequest(url: try #require(URL(string: url)))
    request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
    request.timeoutInterval = 60
    if let body {
      request.httpMethod = "POST"
      request.httpBody = body
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    return try await withCheckedThrowingContinuation { continuation in
      URLSession.shared.dataTask(with: request) { data, response, error in
        if let error { continuation.resume(throwing: error); return }
        continuation.resume(returning: ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data()))
      }.resume()
    }
  }
}
