// The annotators' calls: AnnotateNext leases the next picks waiting for people (with their images) and
// AnnotateSubmit stores a mask through storage, acknowledging only once it is committed.
import Experiments
import Foundation
import Messaging
import Orchestration
import Protos
import ServiceKit

struct AnnotationHandlers: Sendable {
  let desk: AnnotationDesk
  let experiments: ExperimentHandlers
  let catalog = ExperimentCatalog()

  var storage: StorageClient { experiments.storage }

  func register(on router: inout RPCRouter) {
    router.register("Gateway/AnnotateNext") { (request: Activeseg_V1_AnnotateNextRequest, context) in
      let annotator = try Self.annotator(request.annotator, context)
      let count = request.count == 0 ? 1 : Int(request.count)
      guard (1...256).contains(count) else {
        throw ServiceError(.invalidArgument, "count must be 1 to 256 slices, got \(request.count)")
      }
      let entry = try await catalog.entry(request.experimentID, experiments)  // NOT_FOUND for an unknown experiment
      guard (0...8).contains(request.neighbours) else {
        throw ServiceError(.invalidArgument, "neighbours must be 0 to 8 slices on each side, got \(request.neighbours)")
      }
      let leased = try await desk.next(experiment: request.experimentID, annotator: annotator, count: count)
      var reply = Activeseg_V1_AnnotateNextReply()
      guard !leased.isEmpty else { return reply }
      let ids = leased.map(\.slice)
      let images = try await storage.images(ids)
      let supervision = entry.definition.supervision.wire
      reply.slices = zip(leased, images).map { lease, image in
        var slice = Activeseg_V1_LeasedSlice()
        slice.sliceID = lease.slice
        slice.image = WireTensor(float32: image.pixels, shape: [image.height, image.width])
        slice.leaseExpiresUnixMs = Int64(lease.expires.timeIntervalSince1970 * 1000)
        let info = entry.slices[lease.slice]
        slice.patient = info?.patient ?? ""
        slice.position = Int32(info?.position ?? 0)
        slice.volumeID = info?.volumeID ?? 0
        slice.volumeSlices = Int32(info?.volumeSlices ?? 0)
        slice.phase = info?.phase ?? ""
        slice.supervision = supervision
        return slice
      }
      if request.neighbours > 0 { try await addNeighbours(Int(request.neighbours), to: &reply.slices, entry) }
      return reply
    }

    router.register("Gateway/AnnotateSubmit") { (request: Activeseg_V1_AnnotateSubmitRequest, context) in
      let annotator = try Self.annotator(request.annotator, context)
      guard request.secondsSpent >= 0 && request.secondsSpent.isFinite else {
        throw ServiceError(.invalidArgument, "seconds_spent must be a non-negative number, got \(request.secondsSpent)")
      }
      let supervision = try await catalog.entry(request.experimentID, experiments).definition.supervision
      let expected = supervision.wire
      let kind = request.kind == .unspecified ? expected : request.kind
      guard kind == expected else {
        throw ServiceError(
          .invalidArgument,
          "experiment \(request.experimentID) trains on \(supervision.rawValue) labels, so a \(kind == .scribble ? "scribble" : "full mask") would not be used; submit a \(supervision == .scribble ? "scribble (--kind scribble, 4 = unannotated)" : "full mask (--kind full)") or leave --kind out"
        )
      }
      try await desk.checkSubmission(experiment: request.experimentID, slice: request.sliceID, annotator: annotator)
      let shape = request.mask.shape.map(Int.init)
      guard shape.count == 2 else {
        throw ServiceError(.invalidArgument, "the mask of slice \(request.sliceID) has shape \(shape); send [H, W]")
      }
      let stored = try await storage.putAnnotation(
        slice: request.sliceID, kind: supervision, annotator: annotator,  // kind == expected, checked above
        mask: try request.mask.bytes("mask of slice \(request.sliceID)"), height: shape[0], width: shape[1],
        costSeconds: request.secondsSpent)
      var reply = Activeseg_V1_AnnotateSubmitReply()
      reply.annotationID = stored.id
      reply.remainingInBatch = Int32(await desk.submitted(experiment: request.experimentID, slice: request.sliceID))
      return reply
    }

    router.register("Gateway/AnnotationProgress") { (request: Activeseg_V1_AnnotationProgressRequest, _) in
      let progress = await desk.progress(experiment: request.experimentID)
      var reply = Activeseg_V1_AnnotationProgressReply()
      reply.waiting = Int32(progress.waiting)
      reply.unleased = Int32(progress.unleased)
      reply.batchTotal = Int32(progress.total)
      reply.annotators = progress.annotators.map { annotator in
        var activity = Activeseg_V1_AnnotatorActivity()
        activity.annotator = annotator.name
        activity.leased = Int32(annotator.leased)
        activity.leaseExpiresUnixMs = Int64(annotator.expires.timeIntervalSince1970 * 1000)
        return activity
      }
      return reply
    }
  }

  /// Attaches to each leased slice the images of up to `count` slices on each side of it in its volume, nearest first.
  private func addNeighbours(
    _ count: Int, to slices: inout [Activeseg_V1_LeasedSlice], _ entry: ExperimentCatalog.Entry
  ) async throws {
    let wanted = slices.map { slice in
      (1...count).flatMap { [slice.position - Int32($0), slice.position + Int32($0)] }
        .compactMap { entry.byPosition[VolumePosition(volume: slice.volumeID, position: $0)] }
    }
    let ids = Array(Set(wanted.joined()))
    guard !ids.isEmpty else { return }
    let images = Dictionary(uniqueKeysWithValues: zip(ids, try await storage.images(ids)).map { ($0, $1) })
    for index in slices.indices {
      slices[index].neighbours = wanted[index].compactMap { id in
        guard let image = images[id] else { return nil }
        var neighbour = Activeseg_V1_NeighbourSlice()
        neighbour.sliceID = id
        neighbour.position = Int32(entry.slices[id]?.position ?? 0)
        neighbour.image = WireTensor(float32: image.pixels, shape: [image.height, image.width])
        return neighbour
      }
    }
  }

  /// The annotator's name. With security on it is the authenticated key's name (an admin, or a service such as
  /// the web page acting for its signed-in annotators, may name someone else); without it, as given, else the
  /// caller's declared name.
  static func annotator(_ given: String, _ context: RPCContext) throws -> String {
    if let identity = context.identity, (identity.role != .admin && identity.role != .service) || given.isEmpty {
      return identity.name
    }
    let name = given.isEmpty ? context.caller : given
    guard !name.isEmpty else {
      throw ServiceError(.invalidArgument, "name the annotator (annotator field or the caller identity)")
    }
    return name
  }
}

/// What the annotation calls need to know about an experiment (its definition and its dataset's slice
/// metadata), read from storage once: neither changes while the experiment runs.
actor ExperimentCatalog {
  struct Entry: Sendable {
    let definition: ExperimentDefinition
    let slices: [Int64: SliceInfo]
    /// Slice ids by volume and position, for the neighbours of a leased slice.
    let byPosition: [VolumePosition: Int64]
  }

  /// One load per experiment, shared by every call that arrives while it runs (50 annotators starting at
  /// once would otherwise each list the whole dataset).
  private var entries: [Int64: Task<Entry, any Error>] = [:]

  func entry(_ experiment: Int64, _ experiments: ExperimentHandlers) async throws -> Entry {
    if let loading = entries[experiment] { return try await loading.value }
    let loading = Task<Entry, any Error> {
      let definition = try ExperimentDefinition(yaml: try await experiments.experiment(experiment).configYAML)
      let dataset = try await experiments.datasetID(named: definition.dataset)
      let infos = try await experiments.storage.slices(dataset: dataset)
      let slices = Dictionary(uniqueKeysWithValues: infos.map { ($0.id, $0) })
      let byPosition = Dictionary(
        infos.map { (VolumePosition(volume: $0.volumeID, position: Int32($0.position)), $0.id) }
      ) {
        first, _ in first
      }
      return Entry(definition: definition, slices: slices, byPosition: byPosition)
    }
    entries[experiment] = loading
    do { return try await loading.value } catch {
      entries[experiment] = nil  // a failed load (storage down, unknown experiment) is tried again next time
      throw error
    }
  }
}

/// A slice's place: its volume and index in it.
struct VolumePosition: Hashable, Sendable {
  let volume: Int64
  let position: Int32
}
