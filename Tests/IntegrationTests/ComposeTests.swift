// The deployment files parse and agree with the real services: every environment key a container sets is one
// its service documents, only the gateway publishes a port, the database lives in the named volume, and
// security is on: a one-shot `keys` service makes the keys every service reads from the keys volume.
import Foundation
import Launcher
import Testing
import TestSupport
import Yams

@Suite struct ComposeTests {
  let compose: [String: Any]

  init() throws {
    let text = try String(contentsOfFile: repositoryRoot + "/compose/compose.yaml", encoding: .utf8)
    compose = try #require(try Yams.load(yaml: text) as? [String: Any])
  }

  /// The six long-running services (the one-shot `keys` service aside).
  var services: [String: [String: Any]] {
    ((compose["services"] as? [String: [String: Any]]) ?? [:]).filter { $0.key != "keys" }
  }
  var keysService: [String: Any]? { (compose["services"] as? [String: [String: Any]])?["keys"] }

  @Test func definesTheSixServicesFromOneImage() {
    #expect(Set(services.keys) == ["storage", "selector", "gateway", "trainer", "embedder", "web"])
    #expect(Set(services.values.compactMap { $0["image"] as? String }) == ["activeseg:latest"])
    #expect(keysService?["image"] as? String == "activeseg:latest")
  }

  @Test func securityIsOnByDefaultWithKeysFromTheOneShotService() async throws {
    let command = try #require(keysService?["command"] as? [String])
    #expect(Array(command.prefix(3)) == ["activeseg", "keys", "generate"])
    let dir = try #require(command.firstIndex(of: "--dir").map { command[$0 + 1] })
    #expect((keysService?["volumes"] as? [String]) == ["activeseg-keys:\(dir)"])
    // The command line the container runs is one the CLI accepts.
    let help = try await runCommand(ServiceProcess.binDirectory() + "/activeseg", ["keys", "generate", "--help"])
    #expect(help.status == 0 && help.output.contains("--clients"), "\(help.output)")
    for (name, service) in services {
      let environment = try #require(service["environment"] as? [String: Any])
      #expect("\(environment["ACTIVESEG_SECURE"] ?? "")" == "true", "\(name) runs with security on")
      #expect("\(environment["ACTIVESEG_KEYS_DIR"] ?? "")" == dir, "\(name) reads the keys the keys service made")
      #expect(
        (service["volumes"] as? [String])?.contains("activeseg-keys:\(dir):ro") == true,
        "\(name) mounts the keys read-only")
      let depends = service["depends_on"] as? [String: Any]
      #expect(
        (depends?["keys"] as? [String: Any])?["condition"] as? String == "service_completed_successfully",
        "\(name) starts after the keys exist")
    }
    #expect((compose["volumes"] as? [String: Any])?.keys.contains("activeseg-keys") == true)
  }

  @Test func everyEnvironmentKeyIsDocumentedByItsService() async throws {
    for (name, service) in services {
      let command = try #require((service["command"] as? [String])?.first)
      #expect(command == "activeseg-\(name)")
      let help = try await runCommand(ServiceProcess.binDirectory() + "/" + command, ["--help"])
      #expect(help.status == 0)
      let environment = try #require(service["environment"] as? [String: Any])
      for key in environment.keys {
        #expect(help.output.contains("env \(key) "), "\(name) documents \(key)")
      }
    }
  }

  @Test func onlyTheGatewayAndThePagePublishPortsAndStorageKeepsTheVolume() throws {
    #expect(Set(services.filter { $0.value["ports"] != nil }.map(\.key)) == ["gateway", "web"])
    let volumes = try #require(services["storage"]?["volumes"] as? [String])
    #expect(volumes.filter { !$0.hasPrefix("activeseg-keys:") } == ["activeseg-data:/data"])
    #expect((compose["volumes"] as? [String: Any])?.keys.contains("activeseg-data") == true)
    let database = (services["storage"]?["environment"] as? [String: Any])?["STORAGE_DATABASE"] as? String
    #expect(database?.hasPrefix("/data/") == true)
  }

  @Test func dockerfileBuildsEveryProduct() throws {
    let dockerfile = try String(contentsOfFile: repositoryRoot + "/compose/Dockerfile", encoding: .utf8)
    let manifest = try String(contentsOfFile: repositoryRoot + "/Package.swift", encoding: .utf8)
    for product in [
      "activeseg", "activeseg-storage", "activeseg-trainer", "activeseg-embedder", "activeseg-selector",
      "activeseg-gateway", "activeseg-web"
    ] {
      #expect(
        dockerfile.contains("--product \(product) ") || dockerfile.contains("--product \(product)\n")
          || dockerfile.contains("--product \(product) \\"))
      #expect(manifest.contains(".executable(name: \"\(product)\""))
    }
  }
}
