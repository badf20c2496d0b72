// activeseg-embedder: the metric-learning worker that joins the gateway's work socket.
import ServiceKit

@main
struct EmbedderMain {
  static func main() async {
    await ServiceMain.run(service: "embedder", keys: EmbedderService.allKeys) { config, logger in
      try EmbedderService.build(config: config, logger: logger)
    }
  }
}
