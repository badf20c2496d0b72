// activeseg-gateway: the one public entry point; sequences rounds and hands jobs to workers.
import ServiceKit

@main
struct GatewayMain {
  static func main() async {
    await ServiceMain.run(service: "gateway", keys: GatewayService.keys) { config, logger in
      try GatewayService.build(config: config, logger: logger)
    }
  }
}
