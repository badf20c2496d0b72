// Fuzzes the HDF5 reader through its file path, as the WSL4MIS importer calls it: the shape of `image`, then
// the `image`, `label` and `scribble` datasets. Every failure must be a DatasetError naming the file.
// Input: the bytes of an .h5 file. libhdf5 itself is not instrumented, so coverage counts the Swift side only.
import DatasetFormats
import FuzzSupport

@main enum FuzzHDF5 {
  static func main() {
    let file = ScratchFile(name: "input.h5")
    FuzzEntry.main { input in
      file.write(input)
      expectOnly(DatasetError.self) { _ = try HDF5Reader.shape(file.path, dataset: "image") }
      expectOnly(DatasetError.self) { _ = try HDF5Reader.read(file.path, datasets: ["image", "label", "scribble"]) }
    }
  }
}
