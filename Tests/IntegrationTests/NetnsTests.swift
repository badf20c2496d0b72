// Several hosts on one machine: the services in network namespaces joined by veth pairs, CURVE on. Storage,
// selector and gateway share one namespace ("host" svc), two trainers another (trn), and the test process in
// the root namespace is the client. Each trainer reaches svc over a veth of its own, so cutting one trainer's
// link leaves the other connected. Needs root and `ip netns` (iproute2); skipped otherwise.
//
//   root (client) asn<pid>c 10.N.3.2 ──── asn<pid>sc 10.N.3.1  svc: storage, selector, gateway bind 10.N.3.1
//   trn: asn<pid>t1 10.N.1.2 ──── asn<pid>s1 10.N.1.1  svc        (trainer-1, source address 10.N.1.2)
//        asn<pid>t2 10.N.2.2 ──── asn<pid>s2 10.N.2.1  svc        (trainer-2, source address 10.N.2.2)
//
// In trn, a routing rule per trainer source address sends that trainer's traffic over its own veth (the
// trainers connect with ZeroMQ's `tcp://SOURCE:0;DEST:PORT` form, which binds the source address).
import Foundation
import Glibc
import Launcher
import Messaging
import Protos
import ServiceKit
import Testing
import TestSupport

struct NetworkError: Error, CustomStringConvertible { let description: String }

/// The namespaces and veths of one test run, named `asn<pid>…` so that a later run can tell a crashed run's
/// leftovers (its pid is gone) from a run in progress on the same machine.
struct TestNetwork {
  static let ipPath = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
  static let prefix = "asn"

  /// Root, and `ip netns` works here (an unprivileged container may have `ip` but no namespaces).
  static let available: Bool = {
    guard getuid() == 0, let ip = ipPath else { return false }
    return (try? runCommandBlocking(ip, ["netns", "list"]).status) == 0
  }()

  let tag: String
  /// The second octet of every address (10.N.x.y), from the pid, so two runs on one machine rarely clash.
  let octet: Int
  var services: String { "\(tag)-svc" }
  var trainers: String { "\(tag)-trn" }
  var serviceAddress: String { "10.\(octet).3.1" }
  func trainerAddress(_ index: Int) -> String { "10.\(octet).\(index).2" }
  /// The svc end of trainer `index`'s veth: the one the test takes down.
  func trainerLink(_ index: Int) -> String { "\(tag)s\(index)" }
  /// Runs a command inside `namespace` (for ServiceProcess.start's launch prefix).
  func inside(_ namespace: String) -> [String] { [Self.ipPath!, "netns", "exec", namespace] }

  init(pid: Int32 = getpid()) {
    tag = "\(Self.prefix)\(pid)"
    octet = 100 + Int(pid % 100)
  }

  @discardableResult
  static func ip(_ arguments: [String]) throws -> String {
    let result = try runCommandBlocking(ipPath!, arguments)
    guard result.status == 0 else {
      throw NetworkError(description: "ip \(arguments.joined(separator: " ")) failed: \(result.output)")
    }
    return result.output
  }

  /// Deletes the namespaces and root-namespace veths of earlier runs whose process is gone (and any of ours).
  /// Returns what it deleted.
  @discardableResult
  static func removeLeftovers() -> [String] {
    func stale(_ name: String, suffixes: [String]) -> Bool {
      guard name.hasPrefix(prefix), let suffix = suffixes.first(where: { name.hasSuffix($0) }) else { return false }
      guard let pid = Int32(name.dropFirst(prefix.count).dropLast(suffix.count)) else { return false }
      return pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH)
    }
    var removed: [String] = []
    let namespaces = ((try? ip(["netns", "list"])) ?? "").split(separator: "\n").compactMap {
      $0.split(separator: " ").first.map(String.init)
    }
    for name in namespaces where stale(name, suffixes: ["-svc", "-trn"]) {
      if (try? ip(["netns", "delete", name])) != nil { removed.append(name) }
    }
    // A veth whose peer was never moved (a crash during set-up) stays in the root namespace.
    let links = ((try? ip(["-o", "link", "show"])) ?? "").split(separator: "\n").compactMap { line -> String? in
      let fields = line.split(separator: " ")
      return fields.count > 1
        ? String(fields[1].split(separator: "@").first ?? "").replacingOccurrences(of: ":", with: "") : nil
    }
    for name in links where stale(name, suffixes: ["c", "s1", "s2", "sc", "t1", "t2"]) {
      if (try? ip(["link", "delete", name])) != nil { removed.append(name) }
    }
    return removed
  }

  func create() throws {
    for namespace in [services, trainers] {
      try Self.ip(["netns", "add", namespace])
      try Self.ip(["-n", namespace, "link", "set", "lo", "up"])
    }
    // The client's link: root ↔ svc.
    try Self.ip(["link", "add", "\(tag)c", "type", "veth", "peer", "name", "\(tag)sc"])
    try Self.ip(["link", "set", "\(tag)sc", "netns", services])
    try Self.ip(["addr", "add", "10.\(octet).3.2/24", "dev", "\(tag)c"])
    try Self.ip(["link", "set", "\(tag)c", "up"])
    try Self.ip(["-n", services, "addr", "add", "\(serviceAddress)/24", "dev", "\(tag)sc"])
    try Self.ip(["-n", services, "link", "set", "\(tag)sc", "up"])
    // One link per trainer: trn ↔ svc, with a rule that routes that trainer's source address over it.
    for index in 1...2 {
      let (trainerEnd, serviceEnd) = ("\(tag)t\(index)", trainerLink(index))
      try Self.ip(["link", "add", trainerEnd, "type", "veth", "peer", "name", serviceEnd])
      try Self.ip(["link", "set", trainerEnd, "netns", trainers])
      try Self.ip(["link", "set", serviceEnd, "netns", services])
      try Self.ip(["-n", trainers, "addr", "add", "\(trainerAddress(index))/24", "dev", trainerEnd])
      try Self.ip(["-n", services, "addr", "add", "10.\(octet).\(index).1/24", "dev", serviceEnd])
      try Self.ip(["-n", trainers, "link", "set", trainerEnd, "up"])
      try Self.ip(["-n", services, "link", "set", serviceEnd, "up"])
      try Self.ip(["-n", trainers, "rule", "add", "from", trainerAddress(index), "table", "\(100 + index)"])
      try Self.ip([
        "-n", trainers, "route", "add", "\(serviceAddress)/32", "via", "10.\(octet).\(index).1", "dev", trainerEnd,
        "table", "\(100 + index)"
      ])
    }
  }

  /// Deleting a namespace deletes the veths in it, and with them their peers.
  func remove() {
    for namespace in [services, trainers] { _ = try? Self.ip(["netns", "delete", namespace]) }
    _ = try? Self.ip(["link", "delete", "\(tag)c"])
  }

  /// Takes trainer `index`'s link down (at the svc end, so both directions stop) or brings it back up.
  func setTrainerLink(_ index: Int, up: Bool) throws {
    try Self.ip(["-n", services, "link", "set", trainerLink(index), up ? "up" : "down"])
  }
}

@Suite(
  .serialized, .enabled(if: TestNetwork.available, "needs root and `ip netns` (iproute2); run as root, as CI does"))
struct NetnsTests {
  static let definition = LoopTests.definition()

  /// The admin's CURVE client settings for one server of `cluster`.
  static func admin(_ cluster: LocalCluster, _ server: String) throws -> ClientSecurity {
    let keys = try #require(cluster.keysDirectory)
    return ClientSecurity(
      keys: try CurveKeyPair.load(directory: keys, name: "admin"),
      serverPublicKey: try CurveKeyPair.loadPublic(directory: keys, name: server))
  }

  /// Imports the phantom, runs the definition to its end and returns each round as picks, test Dice and the
  /// members' validation Dice, with the final state.
  static func experiment(_ cluster: LocalCluster, whileRunning: (Int64, ZMQChannel) async throws -> Void = { _, _ in })
    async throws -> (state: String, rounds: [String])
  {
    let storage = try ZMQChannel(
      connect: cluster.endpoint("storage"), logger: logger, security: try admin(cluster, "storage"))
    defer { storage.close() }
    let request = Activeseg_V1_ImportRequest.phantom(name: "ph", patients: 6, size: 32)
    _ = try await storage.call(
      "Storage/Import", request, replying: Activeseg_V1_ImportReply.self, options: CallOptions(timeout: .seconds(60)))
    let gateway = try ZMQChannel(
      connect: cluster.endpoint("gateway"), logger: logger, security: try admin(cluster, "gateway"))
    defer { gateway.close() }
    let id = try await LoopTests.run(definition, gateway)
    try await whileRunning(id, gateway)
    let reply = try await LoopTests.finish(id, gateway, seconds: 60)
    let stored = try await LoopTests.rounds(id, cluster, security: try admin(cluster, "storage"))
    let test = reply.rounds.sorted { ($0.strategy, $0.index) < ($1.strategy, $1.index) }.map {
      "test Dice \($0.test.meanDice)"
    }
    return (
      reply.state,
      zip(stored, test).map { "\($0) \($1)" }
        + (stored.count == test.count ? [] : ["rounds: \(stored.count) stored, \(test.count) reported"])
    )
  }

  static func workers(_ cluster: LocalCluster) async -> [String]? {
    guard let security = try? admin(cluster, "gateway"),
      let channel = try? ZMQChannel(connect: cluster.endpoint("gateway"), logger: logger, security: security)
    else { return nil }
    defer { channel.close() }
    let reply = try? await channel.call(
      "Gateway/Health", HealthRequest(), replying: HealthReply.self, options: CallOptions(timeout: .seconds(2)))
    return reply?.workers.map(\.workerID).sorted()
  }

  @Test func anExperimentAcrossNamespacesMatchesLoopbackAndSurvivesACutTrainerLink() async throws {
    let leftovers = TestNetwork.removeLeftovers()
    if !leftovers.isEmpty { print("removed leftovers of an earlier run: \(leftovers)") }
    let network = TestNetwork()
    defer { network.remove() }
    try network.create()

    // The reference: the same experiment with every service on loopback.
    let loopback = try LocalCluster(secureClients: "admin:admin")
    try loopback.start(trainers: 2, embedders: 0)
    let expected = try await Self.experiment(loopback)
    loopback.stop()
    #expect(expected.state == "done", "loopback: \(loopback.log("gateway").suffix(2000))")
    #expect(expected.rounds.count == 3, "\(expected.rounds)")

    // The same across namespaces: services bind the svc namespace's veth address; each trainer connects from
    // its own source address, so over its own veth.
    let cluster = try LocalCluster(secureClients: "admin:admin")
    defer { cluster.stop() }
    let bind = "tcp://\(network.serviceAddress):*"
    let inServices = network.inside(network.services)
    try cluster.launch(
      "storage", "activeseg-storage", ["--bind", bind, "--database", cluster.directory.file("db.sqlite")],
      prefix: inServices)
    try cluster.launch(
      "selector", "activeseg-selector", ["--bind", bind, "--storage", cluster.endpoint("storage")], prefix: inServices)
    try cluster.launch(
      "gateway", "activeseg-gateway",
      [
        "--bind", bind, "--work-bind", bind, "--events-bind", bind,
        "--storage", cluster.endpoint("storage"), "--selector", cluster.endpoint("selector")
      ], prefix: inServices)
    #expect(
      cluster.endpoint("gateway").hasPrefix("tcp://\(network.serviceAddress):"),
      "bound to the veth: \(cluster.endpoint("gateway"))")
    func via(_ index: Int, _ endpoint: String) -> String {
      endpoint.replacingOccurrences(of: "tcp://", with: "tcp://\(network.trainerAddress(index)):0;")
    }
    for index in 1...2 {
      try cluster.launch(
        "trainer-\(index)", "activeseg-trainer",
        [
          "--gateway", via(index, cluster.endpoint("gateway", "work")), "--storage",
          via(index, cluster.endpoint("storage")),
          "--id", "trainer-\(index)"
        ], prefix: network.inside(network.trainers))
    }
    #expect(
      await eventually { await Self.workers(cluster) == ["trainer-1", "trainer-2"] },
      "both trainers joined: \(cluster.log("gateway"))")

    var victim = 0
    let result = try await Self.experiment(cluster) { _, _ in
      // Wait until a trainer is in the middle of a Train job, then take its link down.
      let deadline = ContinuousClock.now + .seconds(40)
      while victim == 0 && ContinuousClock.now < deadline {
        for index in 1...2 {
          let log = cluster.log("trainer-\(index)")
          if log.components(separatedBy: "training started").count > log.components(separatedBy: "training done").count
          {
            victim = index
          }
        }
        if victim == 0 { try await Task.sleep(for: .milliseconds(10)) }
      }
      try #require(victim != 0, "a trainer started a job")
      try network.setTrainerLink(victim, up: false)
      // The gateway hears nothing more from it: its job goes back to the queue and it leaves the worker list.
      #expect(
        await eventually(timeout: .seconds(10)) { cluster.log("gateway").contains("of worker trainer-\(victim)") },
        "the cut trainer's job was requeued: \(cluster.log("gateway").suffix(2000))")
      #expect(await eventually(timeout: .seconds(10)) { await Self.workers(cluster) == ["trainer-\(3 - victim)"] })
    }
    #expect(result.state == "done", "the experiment finished after the cut: \(cluster.log("gateway").suffix(3000))")
    #expect(result.rounds == expected.rounds, "the same picks and Dice as on loopback")

    // The survivor finished the very job the cut trainer held.
    let requeued = cluster.log("gateway").split(separator: "\n").first {
      $0.contains("requeued job") && $0.contains("of worker trainer-\(victim)")
    }
    let line = try #require(requeued, "requeue logged")
    let job = try #require(
      line.components(separatedBy: "requeued job ").last?.split(separator: " ").first.map(String.init))
    #expect(
      cluster.log("trainer-\(3 - victim)").split(separator: "\n").contains {
        $0.contains("job finished") && $0.contains(job)
      },
      "trainer-\(3 - victim) finished job \(job)")
    print(
      "netns: trainer-\(victim)'s link cut mid-job; job \(job) requeued and finished by trainer-\(3 - victim); rounds: \(result.rounds)"
    )

    // With its link back, the cut trainer rejoins by itself.
    try network.setTrainerLink(victim, up: true)
    #expect(
      await eventually(timeout: .seconds(20)) { await Self.workers(cluster) == ["trainer-1", "trainer-2"] },
      "trainer-\(victim) rejoined: \(cluster.log("trainer-\(victim)").suffix(2000))")
    cluster.stop()
    loopback.directory.remove()
    cluster.directory.remove()
  }
}
