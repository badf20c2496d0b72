// activeseg-storage: owns the SQLite database and every pixel; serves datasets, labels, models and rounds.
import ServiceKit

@main
struct StorageMain {
  static func main() async {
    await ServiceMain.run(service: "storage", keys: StorageService.keys) { config, logger in
      try StorageService.build(config: config, logger: logger)
    }
  }
}
