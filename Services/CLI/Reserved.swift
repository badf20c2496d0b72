// Commands whose names are reserved now and whose work arrives with later issues.
import ArgumentParser

enum Reserved {
  static func notYet(_ command: String, _ issue: String) -> ValidationError {
    ValidationError("`activeseg \(command)` is not available in this version yet (it arrives with \(issue))")
  }

  struct Annotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fetch slices to annotate and submit labels (not yet available).")
    func run() async throws { throw notYet("annotate", "the gateway issue") }
  }
}
