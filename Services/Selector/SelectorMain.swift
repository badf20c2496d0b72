// activeseg-selector: ranks the slices worth annotating next (Coreset and the baselines).
import ServiceKit

@main
struct SelectorMain {
  static func main() async {
    await ServiceMain.run(service: "selector", keys: SelectorService.keys) { config, logger in
      try SelectorService.build(config: config, logger: logger)
    }
  }
}
