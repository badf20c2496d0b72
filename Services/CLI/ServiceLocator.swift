// Where a command finds the services it calls: the address given on the command line, else the one
// `activeseg up` recorded in the run folder. There is no default address: a guessed port may be another
// user's service.
import ArgumentParser
import Foundation

struct ServiceLocator {
  let runDir: String
  let keys: ClientKeyOptions

  /// The endpoint of `service` (its `key` endpoint, `rpc` by default): `given`, else the recorded one.
  func endpoint(_ service: String, given: String?, option: String, key: String = "rpc") throws -> String {
    if let given {
      guard given.contains("://") else {
        throw ValidationError("\(option) '\(given)' is not a ZeroMQ address; write it as tcp://HOST:PORT")
      }
      return given
    }
    let dir = RunDirectory(path: runDir)
    let recorded = dir.load()
    guard !recorded.isEmpty else {
      throw CLIFailure.unavailable(
        "no services are recorded in \(dir.path): start them with `activeseg up` (or pass --run-dir), or give the \(service)'s address with \(option) tcp://HOST:PORT"
      )
    }
    guard let endpoint = recorded.first(where: { $0.name == service })?.endpoints[key] else {
      throw CLIFailure.unavailable(
        "\(dir.path) records no \(service) service; run `activeseg down` and `activeseg up` again, or give its address with \(option) tcp://HOST:PORT"
      )
    }
    return endpoint
  }

  /// The service at `endpoint`, with the client key for it.
  func target(_ service: String, at endpoint: String) throws -> ServiceTarget {
    ServiceTarget(name: service, endpoint: endpoint, security: try keys.client(of: service, runDir: runDir))
  }

  /// The named services as recorded in the run folder, skipping any that are not (a remote deployment).
  func recorded(_ services: [String]) throws -> [ServiceTarget] {
    let recorded = RunDirectory(path: runDir).load()
    return try services.compactMap { name in
      guard let endpoint = recorded.first(where: { $0.name == name })?.endpoints["rpc"] else { return nil }
      return try target(name, at: endpoint)
    }
  }

  /// What a command that talks to `service` checks first and watches: that service, plus the local services
  /// it relies on (`dependencies`), when the run folder records them.
  func targets(_ service: String, at endpoint: String, dependencies: [String]) throws -> [ServiceTarget] {
    let primary = try target(service, at: endpoint)
    let local = try recorded(dependencies).filter { $0.endpoint != endpoint }
    return [primary] + local
  }
}
