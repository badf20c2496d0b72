// activeseg-storage: owns the SQLite database and every pixel; serves datasets, labels, models and rounds.
import DatasetFormats
import ServiceKit

@main
struct StorageMain {
  static func main() async {
    HDF5ChildServer.serveIfAsked()  // started as its own HDF5 reader (HDF5ChildReader): serves, then exits
    await ServiceMain.run(service: "storage", keys: StorageService.keys) { config, logger in
      try StorageService.build(config: config, logger: logger)
    }
  }
}
