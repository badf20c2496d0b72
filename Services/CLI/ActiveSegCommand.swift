// activeseg: the user's face of ActiveSeg. `up` / `status` / `down` manage the local services.
import ArgumentParser
import Foundation
import Launcher
import Messaging

@main
struct ActiveSegCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "activeseg",
    abstract: "Slice-based active learning for 3D medical image segmentation.",
    discussion: CLIFailure.exitCodesHelp,
    subcommands: [
      Up.self, Status.self, Down.self, Demo.self, Import.self, Datasets.self, ExperimentCommand.self,
      Keys.self, AnnotateCommand.self, ExportCommand.self, Segment.self, Supervise.self
    ])

  /// Runs the command; a runtime failure prints its message alone (no usage text) and exits with its code.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var command = command as? AsyncParsableCommand { try await command.run() } else { try command.run() }
    } catch let failure as CLIFailure {
      fail(failure)
    } catch let error as ServiceError {
      fail(CLIFailure(error))
    } catch let error as LaunchError {
      fail(CLIFailure(kind: .unavailable, message: error.description))
    } catch {
      exit(withError: error)
    }
  }

  private static func fail(_ failure: CLIFailure) -> Never {
    FileHandle.standardError.write(Data("Error: \(failure.message)\n".utf8))
    Foundation.exit(failure.kind.rawValue)
  }
}

/// Options shared by the commands that manage local services.
struct RunOptions: ParsableArguments {
  @Option(help: "Folder for logs, pid files, endpoints and (by default) the database. Env: ACTIVESEG_RUN_DIR.")
  var runDir: String = RunDirectory.defaultPath
}
