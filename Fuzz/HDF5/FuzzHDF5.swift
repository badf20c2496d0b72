// Fuzzes HDF5 reading as the storage service does it: through HDF5ChildReader, whose child is this binary started
// with --hdf5-child, asking for the shape of `image`, then the `image`, `label` and `scribble` datasets. Every
// failure must be a DatasetError naming the file, including libhdf5's own crashes on damaged files, which take
// down only the child. Input: the bytes of an .h5 file. Coverage counts this side (the reply decoding and the
// errors); the child's reads are not seen by libFuzzer (libhdf5 was never instrumented either).
import DatasetFormats
import FuzzSupport

@main enum FuzzHDF5 {
  static func main() {
    HDF5ChildServer.serveIfAsked()
    let file = ScratchFile(name: "input.h5")
    let reader = HDF5ChildReader(timeout: 5)
    FuzzEntry.main { input in
      file.write(input)
      expectOnly(DatasetError.self) { _ = try reader.shape(file.path, dataset: "image") }
      expectOnly(DatasetError.self) { _ = try reader.read(file.path, datasets: ["image", "label", "scribble"]) }
    }
  }
}
