// activeseg: the user's face of ActiveSeg. `up` / `status` / `down` manage the local services.
import ArgumentParser

@main
struct ActiveSegCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "activeseg",
    abstract: "Slice-based active learning for 3D medical image segmentation.",
    subcommands: [Up.self, Status.self, Down.self, Demo.self, Import.self, ExperimentCommand.self, Keys.self,
                  AnnotateCommand.self])
}

/// Options shared by the commands that manage local services.
struct RunOptions: ParsableArguments {
  @Option(help: "Folder for logs, pid files, endpoints and (by default) the database. Env: ACTIVESEG_RUN_DIR.")
  var runDir: String = RunDirectory.defaultPath
}
