// Storage methods for labels: PutAnnotation, GetAnnotations and the simulation oracle's Reveal.
import Foundation
import Messaging
import Persistence
import Protos
import ServiceKit

extension StorageHandlers {
  func registerLabels(on router: inout RPCRouter) {
    router.register("Storage/PutAnnotation") { (request: Activeseg_V1_PutAnnotationRequest, context) in
      let kind = try AnnotationKind.required(request.kind, "annotation of slice \(request.sliceID)")
      let pixels = try request.mask.bytes("mask of slice \(request.sliceID)")
      let annotator = request.annotator.isEmpty ? context.caller : request.annotator
      guard !annotator.isEmpty else {
        throw ServiceError(.invalidArgument, "annotation of slice \(request.sliceID) names no annotator; set annotator")
      }
      return try await run { store in
        var reply = Activeseg_V1_PutAnnotationReply()
        reply.annotation = Self.wire(
          try store.putAnnotation(
            sliceId: request.sliceID, kind: kind, annotator: annotator, pixels: pixels,
            costSeconds: request.costSeconds,
            actor: context.identity != nil
              ? context.auditActor(declared: annotator) : (context.caller.isEmpty ? annotator : context.caller)),
          withMask: false)
        return reply
      }
    }

    router.register("Storage/GetAnnotations") { (request: Activeseg_V1_GetAnnotationsRequest, _) in
      try await run { store in
        var ids = request.sliceIds
        if ids.isEmpty {
          ids = try store.slices(datasetId: request.datasetID, filter: SliceFilter(labeled: true)).map(\.id)
        }
        var reply = Activeseg_V1_GetAnnotationsReply()
        let latest = try store.latestAnnotations(sliceIds: ids)
        reply.annotations = ids.compactMap { latest[$0] }.map { Self.wire($0, withMask: request.withMasks) }
        return reply
      }
    }

    router.register("Storage/Reveal") { (request: Activeseg_V1_RevealRequest, context) in
      let kind = try AnnotationKind.required(request.kind, "reveal")
      let annotator = request.annotator.isEmpty ? "oracle" : request.annotator
      return try await run { store in
        var reply = Activeseg_V1_RevealReply()
        for id in request.sliceIds {
          let annotation = try store.reveal(
            sliceId: id, kind: kind, annotator: annotator,
            actor: context.identity != nil
              ? context.auditActor(declared: annotator) : (context.caller.isEmpty ? annotator : context.caller))
          reply.annotations.append(Self.wire(annotation, withMask: false))
          reply.totalCostSeconds += annotation.costSeconds
        }
        return reply
      }
    }
  }

  static func wire(_ annotation: Annotation, withMask: Bool) -> Activeseg_V1_Annotation {
    var wire = Activeseg_V1_Annotation()
    wire.id = annotation.id
    wire.sliceID = annotation.sliceId
    wire.kind = annotation.kind.wire
    wire.annotator = annotation.annotator
    wire.costSeconds = annotation.costSeconds
    wire.labeledPixels = Int64(annotation.labeledPixels)
    wire.createdUnixMs = annotation.createdAt.unixMilliseconds
    if withMask { wire.mask = WireTensor(uint8: annotation.pixels, shape: [annotation.height, annotation.width]) }
    return wire
  }
}
