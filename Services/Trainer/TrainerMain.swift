// activeseg-trainer: a stateless training worker that joins the gateway's work socket.
import ServiceKit

@main
struct TrainerMain {
  static func main() async {
    await ServiceMain.run(service: "trainer", keys: TrainerService.keys.all) { config, logger in
      try TrainerService.build(config: config, logger: logger)
    }
  }
}
