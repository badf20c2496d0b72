// What `activeseg segment` reads and writes, settled before any service is called: one scan and its output
// files, or every .nii/.nii.gz of a folder and one `<name>_seg.nii.gz` (and `<name>_prob.nii.gz`) each in the
// output folder. Outputs that exist are refused unless --force; scans that are not 3D NIfTI are refused.
import DatasetFormats
import Foundation

struct SegmentPlan {
  /// One scan and where its results go.
  struct Item {
    let scan: String
    let labels: String
    let probabilities: String?
    /// The scan's header: shape and geometry that the outputs copy.
    let template: NIfTIHeaderTemplate

    var name: String { URL(fileURLWithPath: scan).lastPathComponent }
  }

  let items: [Item]

  static let extensions = [".nii.gz", ".nii"]

  /// The file name without its NIfTI extension.
  static func stem(_ path: String) -> String {
    let name = URL(fileURLWithPath: path).lastPathComponent
    for suffix in extensions where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
    return name
  }

  static func isNIfTI(_ path: String) -> Bool { extensions.contains { path.hasSuffix($0) } }

  /// Resolves `input` (a scan or a folder of scans) against `output` (a file or a folder to match).
  init(input: String, output: String, probabilities: String?, force: Bool) throws {
    let files = FileManager.default
    var isFolder: ObjCBool = false
    guard files.fileExists(atPath: input, isDirectory: &isFolder) else {
      throw CLIFailure(
        kind: .notFound, message: "\(input) does not exist; give a NIfTI scan (.nii or .nii.gz) or a folder of them")
    }
    var pairs: [(scan: String, labels: String, probabilities: String?)] = []
    if isFolder.boolValue {
      let scans = (try? files.contentsOfDirectory(atPath: input))?.filter(Self.isNIfTI).sorted() ?? []
      guard !scans.isEmpty else { throw CLIFailure.refused("\(input) holds no .nii or .nii.gz files to segment") }
      try Self.requireFolder(output, option: "-o")
      if let probabilities { try Self.requireFolder(probabilities, option: "--probabilities") }
      pairs = scans.map { name in
        (
          (input as NSString).appendingPathComponent(name),
          (output as NSString).appendingPathComponent(Self.stem(name) + "_seg.nii.gz"),
          probabilities.map { ($0 as NSString).appendingPathComponent(Self.stem(name) + "_prob.nii.gz") }
        )
      }
    } else {
      guard Self.isNIfTI(input) else {
        throw CLIFailure.refused(
          "\(input) is not a NIfTI file (.nii or .nii.gz); convert it first, e.g. with nibabel or dcm2niix")
      }
      for path in [output, probabilities].compactMap({ $0 }) {
        try Self.requireFolder(
          URL(fileURLWithPath: path).deletingLastPathComponent().path, option: "the folder of \(path)")
      }
      pairs = [(input, output, probabilities)]
    }
    for pair in pairs {
      for path in [pair.labels, pair.probabilities].compactMap({ $0 }) {
        if URL(fileURLWithPath: path).standardizedFileURL == URL(fileURLWithPath: pair.scan).standardizedFileURL {
          throw CLIFailure.refused("\(path) is the scan itself; write the segmentation somewhere else")
        }
        if files.fileExists(atPath: path) && !force {
          throw CLIFailure.refused("\(path) exists; pass --force to overwrite it, or choose another output")
        }
      }
    }
    items = try pairs.map { pair in
      do {
        return Item(
          scan: pair.scan, labels: pair.labels, probabilities: pair.probabilities,
          template: try NIfTIHeaderTemplate(path: pair.scan))
      } catch let error as DatasetError {
        throw CLIFailure.refused("\(error.message) (activeseg segment takes 3D NIfTI scans)")
      }
    }
  }

  /// `path` is a folder or can be made one.
  static func requireFolder(_ path: String, option: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw CLIFailure.refused(
          "\(option) \(path) is a file, but a folder of scans writes one file per scan: give a folder")
      }
      return
    }
    do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
      throw CLIFailure.refused("cannot create the folder \(path) (\(option)): \(error.localizedDescription)")
    }
  }
}
