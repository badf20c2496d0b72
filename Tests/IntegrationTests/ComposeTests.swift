// The deployment files parse and agree with the real services: every environment key a container sets is one
// its service documents, only the gateway publishes a port, and the database lives in the named volume.
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

  var services: [String: [String: Any]] { (compose["services"] as? [String: [String: Any]]) ?? [:] }

  @Test func definesTheFiveServicesFromOneImage() {
    #expect(Set(services.keys) == ["storage", "selector", "gateway", "trainer", "embedder"])
    #expect(Set(services.values.compactMap { $0["image"] as? String }) == ["activeseg:latest"])
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

  @Test func onlyTheGatewayPublishesAPortAndStorageKeepsTheVolume() throws {
    #expect(services.filter { $0.value["ports"] != nil }.map(\.key) == ["gateway"])
    let volumes = try #require(services["storage"]?["volumes"] as? [String])
    #expect(volumes == ["activeseg-data:/data"])
    #expect((compose["volumes"] as? [String: Any])?.keys.contains("activeseg-data") == true)
    let database = (services["storage"]?["environment"] as? [String: Any])?["STORAGE_DATABASE"] as? String
    #expect(database?.hasPrefix("/data/") == true)
  }

  @Test func dockerfileBuildsEveryProduct() throws {
    let dockerfile = try String(contentsOfFile: repositoryRoot + "/compose/Dockerfile", encoding: .utf8)
    let manifest = try String(contentsOfFile: repositoryRoot + "/Package.swift", encoding: .utf8)
    for product in ["activeseg", "activeseg-storage", "activeseg-trainer", "activeseg-embedder", "activeseg-selector", "activeseg-gateway"] {
      #expect(dockerfile.contains("--product \(product) ") || dockerfile.contains("--product \(product)\n") || dockerfile.contains("--product \(product) \\"))
      #expect(manifest.contains(".executable(name: \"\(product)\""))
    }
  }
}
