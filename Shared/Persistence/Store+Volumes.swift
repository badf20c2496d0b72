// Whole-volume reads for evaluation: slices stacked in position order, ground truth for val/test only.

import Foundation
import GRDB

extension Store {
  /// The ids of the volumes of a dataset, optionally of one split, in import order.
  public func volumeIds(datasetId: Int64, split: Split? = nil) throws -> [Int64] {
    try read("listing volumes of dataset \(datasetId)") { db in
      try Int64.fetchAll(
        db,
        sql: """
          SELECT v.id FROM volumes v JOIN patients p ON p.id = v.patient_id
          WHERE v.dataset_id = ? AND (? IS NULL OR p.split = ?) ORDER BY v.id
          """, arguments: [datasetId, split?.rawValue, split?.rawValue])
    }
  }

  /// A whole volume. `label` is filled only for val/test volumes (training ground truth is never served).
  public func volume(id: Int64) throws -> VolumeData {
    try read("fetching volume \(id)") { db in
      guard
        let head = try Row.fetchOne(
          db,
          sql: """
            SELECT v.key, p.key, v.phase, p.split, v.depth, d.slice_height, d.slice_width,
                   v.original_height, v.original_width, v.spacing_x, v.spacing_y, v.spacing_z
            FROM volumes v JOIN patients p ON p.id = v.patient_id JOIN datasets d ON d.id = v.dataset_id
            WHERE v.id = ?
            """, arguments: [id])
      else {
        throw StoreError(.notFound, "volume \(id) does not exist; list the dataset's volumes to get valid ids")
      }
      let split = Split(rawValue: head[3]) ?? .train
      let (depth, height, width): (Int, Int, Int) = (head[4], head[5], head[6])
      let withTruth = split != .train
      var sliceIds: [Int64] = []
      let plane = height * width
      var image = [Float](repeating: 0, count: depth * plane)
      var label: [UInt8] = []
      var truthSlices = 0
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT s.id, i.pixels, \(withTruth ? "g.mask" : "NULL")
          FROM slices s JOIN images i ON i.slice_id = s.id LEFT JOIN ground_truth g ON g.slice_id = s.id
          WHERE s.volume_id = ? ORDER BY s.position
          """, arguments: [id])
      while let row = try cursor.next() {
        sliceIds.append(row[0])
        try row.withUnsafeData(atIndex: 1) { data in
          guard let data, data.count == plane * 4, sliceIds.count <= depth else { return }
          let offset = (sliceIds.count - 1) * plane
          image.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { src in
              dst.baseAddress!.advanced(by: offset * 4).copyMemory(from: src.baseAddress!, byteCount: src.count)
            }
          }
        }
        try row.withUnsafeData(atIndex: 2) { data in
          if let data { label.append(contentsOf: data); truthSlices += 1 }
        }
      }
      return VolumeData(
        id: id, key: head[0], patientKey: head[1], phase: head[2], split: split, depth: depth,
        height: height, width: width, originalHeight: head[7], originalWidth: head[8],
        spacing: [head[9], head[10], head[11]], sliceIds: sliceIds, image: image,
        label: withTruth && truthSlices == depth ? label : nil)
    }
  }
}
