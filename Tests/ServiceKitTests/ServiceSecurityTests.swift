// A service's security from its configuration: off by default with generous limits, the limit keys read,
// and --secure with missing keys or a missing allow-list failing with the file and the fix.
import Foundation
import Messaging
import ServiceKit
import Testing

@Suite struct ServiceSecurityTests {
  @Test func offByDefaultWithGenerousLimits() throws {
    let security = try ServiceSecurity(
      config: try ConfigReader(keys: [], arguments: [], environment: [:]), service: "storage")
    #expect(!security.enabled)
    #expect(security.server() == nil)
    #expect(try security.client(of: "storage") == nil)
    #expect(security.limits.maxMessageBytes == 256 << 20)
    #expect(security.limits.requestsPerSecond == 0)
  }

  @Test func limitKeysAreRead() throws {
    let config = try ConfigReader(
      keys: [], arguments: ["--max-message-mb", "8", "--rate-limit", "50"],
      environment: ["ACTIVESEG_RATE_BURST": "5"])
    let limits = try ServiceSecurity(config: config, service: "gateway").limits
    #expect(limits.maxMessageBytes == 8 << 20)
    #expect(limits.requestsPerSecond == 50)
    #expect(limits.burst == 5)
  }

  @Test func secureWithoutKeysNamesTheFileAndTheFix() throws {
    let directory = NSTemporaryDirectory() + "activeseg-no-keys-\(UUID().uuidString)"
    let config = try ConfigReader(keys: [], arguments: ["--secure", "--keys-dir", directory], environment: [:])
    do {
      _ = try ServiceSecurity(config: config, service: "selector")
      Issue.record("--secure without keys must fail")
    } catch let error as SecurityError {
      #expect(
        error.description.contains("\(directory)/selector.key") && error.description.contains("activeseg keys generate")
      )
    }
  }

  @Test func secureReadsItsKeyTheAllowListAndTheServersPublicKeys() throws {
    let directory = NSTemporaryDirectory() + "activeseg-keys-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let selector = try CurveKeyPair.generate(), storage = try CurveKeyPair.generate()
    try selector.write(directory: directory, name: "selector")
    try storage.write(directory: directory, name: "storage")
    let config = try ConfigReader(
      keys: [], arguments: [], environment: ["ACTIVESEG_SECURE": "true", "ACTIVESEG_KEYS_DIR": directory])
    do {
      _ = try ServiceSecurity(config: config, service: "selector")
      Issue.record("--secure without an allow-list must fail")
    } catch let error as SecurityError {
      #expect(error.description.contains("\(directory)/allow-list"))
    }
    let list = try AllowList([AllowedClient(publicKey: selector.publicKey, name: "selector", role: .service)])
    try list.text.write(toFile: directory + "/allow-list", atomically: true, encoding: .utf8)
    let security = try ServiceSecurity(config: config, service: "selector")
    #expect(security.enabled && security.keys == selector)
    #expect(security.server()?.allowList.client(named: "selector")?.role == .service)
    #expect(try security.client(of: "storage")?.serverPublicKey == storage.publicKey)
    #expect(throws: SecurityError.self) { try security.client(of: "gateway") }
  }
}
