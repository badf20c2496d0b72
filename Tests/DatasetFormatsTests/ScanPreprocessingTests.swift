// A scan to segment is preprocessed exactly as the import preprocessed the volumes its model was trained on.

import Foundation
import Testing
@testable import DatasetFormats

@Suite struct ScanPreprocessingTests {
  static let cohort = NIfTITemplateTests.fixture("cohort")

  @Test func aScanGetsTheImportsClipScaleAndResizeBitForBit() throws {
    let importer = NNUNetImporter(
      root: Self.cohort, options: ImportOptions(targetSize: SliceSize(height: 32, width: 32)))
    let entry = try #require(try importer.plan().volumes.first { $0.key == "case03" })
    let imported = try importer.loadVolume(entry)
    let file = try NIfTIReader.read(Self.cohort + "/imagesTr/case03_0000.nii.gz")
    let scan = try ScanPreprocessing.prepare(
      file.values, kind: file.valueKind, depth: file.sizeZ, height: file.sizeY, width: file.sizeX,
      spacing: [1.5, 1.5, 8], name: "case03", to: SliceSize(height: 32, width: 32))
    #expect(scan.image == imported.image && scan.image.count == 6 * 32 * 32)
    #expect(scan.originalHeight == 40 && scan.originalWidth == 48 && scan.label == nil)
  }

  @Test func aScanWhoseVoxelsDoNotFillItsShapeIsRefused() {
    let error = datasetError {
      _ = try ScanPreprocessing.prepare(
        [1, 2, 3], kind: .float32, depth: 1, height: 2, width: 2, spacing: [1, 1, 1], name: "short.nii",
        to: SliceSize(height: 4, width: 4))
    }
    #expect(error?.code == .shapeMismatch && error?.message.contains("short.nii") == true)
  }
}
