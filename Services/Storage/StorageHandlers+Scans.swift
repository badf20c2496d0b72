// Storage/PutScan: holds a new scan to segment as a dataset of its own (format "scan"), preprocessed as an
// import would, so a trainer's Predict reads its slices like any other; `activeseg segment` deletes it after.
import DatasetFormats
import Foundation
import Imaging
import Messaging
import Persistence
import Protos
import ServiceKit

typealias PutScanRequest = Activeseg_V1_PutScanRequest
typealias PutScanReply = Activeseg_V1_PutScanReply

extension StorageHandlers {
  /// The dataset format of scans put to be segmented.
  static let scanFormat = "scan"

  func registerScans(on router: inout RPCRouter) {
    router.register("Storage/PutScan") { (request: PutScanRequest, context) -> PutScanReply in
      let actor = context.auditActor(declared: request.actor)
      let scan = request.scan
      let name = scan.name.isEmpty ? "scan" : scan.name
      let (depth, height, width) = try Self.scanShape(scan.image, name: name)
      guard let kind = SourceValueKind(rawValue: scan.valueKind.isEmpty ? "float32" : scan.valueKind) else {
        throw ServiceError(
          .invalidArgument,
          "\(name): value_kind '\(scan.valueKind)' must be integer, float32 or float64 (the file's datatype)")
      }
      let spacing = scan.spacing.isEmpty ? [1, 1, 1] : scan.spacing
      guard spacing.count == 3, spacing.allSatisfy({ $0.isFinite && $0 > 0 }) else {
        throw ServiceError(
          .invalidArgument, "\(name): spacing \(spacing) must be three positive millimetre values (x, y, z)")
      }
      let values = try scan.image.floats("image of \(name)")
      let info = try await run { store -> DatasetInfo in
        guard let like = try store.datasets().first(where: { $0.id == request.likeDatasetID }) else {
          throw ServiceError(
            .notFound,
            "dataset \(request.likeDatasetID) does not exist; a scan takes the classes and slice size of the dataset its model was trained on"
          )
        }
        let volume = try ScanPreprocessing.prepare(
          values, kind: kind, depth: depth, height: height, width: width, spacing: spacing,
          name: name, to: SliceSize(height: like.sliceHeight, width: like.sliceWidth))
        let header = DatasetHeader(
          name: "scan-\(UUID().uuidString.prefix(8).lowercased())-\(name)", format: Self.scanFormat,
          classNames: like.classNames, sliceHeight: like.sliceHeight, sliceWidth: like.sliceWidth,
          sourcePath: "scan \(name) to segment like dataset '\(like.name)'")
        var pending: VolumeInput? = Self.volumeInput(volume)
        return try store.importDataset(
          header, patients: [PatientInput(key: name, split: .test)],
          volumes: {
            defer { pending = nil }
            return pending
          }, actor: actor)
      }
      return try await run { store in
        let slices = try store.slices(datasetId: info.id).sorted { $0.position < $1.position }
        var reply = PutScanReply()
        reply.dataset = try Self.wire(info, store: store)
        reply.volumeID = slices.first?.volumeId ?? 0
        reply.sliceIds = slices.map(\.id)
        return reply
      }
    }
  }

  /// (D, H, W) of a scan's float32 image, refusing anything but a non-empty 3D tensor.
  static func scanShape(_ image: WireTensor, name: String) throws -> (Int, Int, Int) {
    guard image.shape.count == 3, image.shape.allSatisfy({ $0 > 0 && $0 <= 1 << 16 }) else {
      throw ServiceError(
        .invalidArgument, "\(name): the image has shape \(image.shape); a scan is a 3D volume [D, H, W] of float32")
    }
    guard image.dtype == .float32 else {
      throw ServiceError(.invalidArgument, "\(name): the image is \(image.dtype); send the voxels as float32")
    }
    return (Int(image.shape[0]), Int(image.shape[1]), Int(image.shape[2]))
  }
}
