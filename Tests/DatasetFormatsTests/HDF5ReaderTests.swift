// HDF5 reading through libhdf5 against files written by h5py.

import Foundation
import Testing
@testable import DatasetFormats

@Suite struct HDF5ReaderTests {
  @Test func readsSliceDatasets() throws {
    let expected = try #require(try Fixtures.expected("wsl4mis.json")["patient001_frame01"] as? [String: Any])
    let file = Fixtures.path("wsl4mis", "ACDC_training_slices", "patient001_frame01_slice_1.h5")
    let sets = try HDF5Reader.read(file, datasets: ["image", "label", "scribble", "absent"])
    #expect(sets["absent"] == nil)
    let image = try #require(sets["image"])
    #expect(image.shape == [8, 9])
    let all = Fixtures.doubles(expected["image"])
    #expect(Fixtures.maxAbsDifference(image.values, Array(all[72..<144])) < 1e-6)
    #expect(sets["label"]?.values.map { Int($0) } == Array(Fixtures.ints(expected["label"])[72..<144]))
    #expect(sets["scribble"]?.values.map { Int($0) } == Array(Fixtures.ints(expected["scribble"])[72..<144]))
  }

  @Test func volumeShapeAndMissingDataset() throws {
    let file = Fixtures.path("wsl4mis", "ACDC_training_volumes", "patient002_frame09.h5")
    #expect(try HDF5Reader.shape(file, dataset: "image") == [2, 8, 9])
    #expect(try HDF5Reader.shape(file, dataset: "scribble") == nil)
  }

  @Test func corruptAndMissingFiles() {
    let corrupt = Fixtures.path("wsl4mis_corrupt", "ACDC_training_volumes", "patient001_frame01.h5")
    let e1 = datasetError { _ = try HDF5Reader.read(corrupt, datasets: ["image"]) }
    #expect(e1?.code == .hdf5)
    #expect(e1?.message.contains("patient001_frame01.h5") == true)
    let e2 = datasetError { _ = try HDF5Reader.shape(Fixtures.path("nope.h5"), dataset: "image") }
    #expect(e2?.code == .missingFile)
  }
}
