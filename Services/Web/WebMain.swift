// activeseg-web: the browser annotation page; talks to the gateway over ZeroMQ, never to the database.
import ServiceKit

@main
struct WebMain {
  static func main() async {
    await ServiceMain.run(service: "web", keys: WebService.keys) { config, logger in
      try WebService.build(config: config, logger: logger)
    }
  }
}
