// Fuzzes the NIfTI-1 reader through its file path, as importers call it: the header alone (readHeader), then
// the whole volume (read). Every failure must be a DatasetError, which names the file and the fix.
// Input: the bytes of a .nii file (gzip-compressed or not; the reader detects which).
import DatasetFormats
import FuzzSupport

@main enum FuzzNIfTI {
  static func main() {
    let file = ScratchFile(name: "input.nii")
    FuzzEntry.main { input in
      file.write(input)
      expectOnly(DatasetError.self) { _ = try NIfTIReader.readHeader(file.path) }
      expectOnly(DatasetError.self) { _ = try NIfTIReader.read(file.path) }
    }
  }
}
