// `activeseg annotate next|submit`: people label the slices an experiment picked. `next` leases slices and
// writes each as a PNG preview and a NIfTI image to annotate; `submit` sends a mask (NIfTI or 8-bit PNG,
// one class id per pixel; 4 = not annotated in a scribble) and the round goes on once every pick is in.
import ArgumentParser
import DatasetFormats
import Foundation
import Logging
import Messaging
import Protos
import SwiftProtobuf
import ServiceKit

struct AnnotateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "annotate", abstract: "Fetch the slices an experiment waits for and submit their labels.",
    subcommands: [Next.self, Submit.self])

  struct Options: ParsableArguments {
    @Option(help: "The experiment whose picks to annotate.") var experiment: Int64
    @Option(help: "Your name, recorded with every label (default: $USER).") var annotator: String?
    @OptionGroup var gateway: ExperimentCommand.GatewayOptions

    var name: String { annotator ?? ProcessInfo.processInfo.environment["USER"] ?? "annotator" }
  }

  struct Next: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Lease the next slices to annotate and write them as PNG and NIfTI files.")
    @OptionGroup var options: Options
    @Option(help: "How many slices to lease.") var count: Int = 1
    @Option(help: "Folder for the slice files.") var dir: String = "."

    func run() async throws {
      var request = Activeseg_V1_AnnotateNextRequest()
      request.experimentID = options.experiment
      request.annotator = options.name
      request.count = Int32(count)
      let reply = try await AnnotateClient(options).call(
        "Gateway/AnnotateNext", request, replying: Activeseg_V1_AnnotateNextReply.self)
      guard !reply.slices.isEmpty else {
        say("no slice is waiting for annotation in experiment \(options.experiment) right now")
        return
      }
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      for slice in reply.slices {
        let height = Int(slice.image.shape[0]), width = Int(slice.image.shape[1])
        let pixels = try slice.image.floats("image of slice \(slice.sliceID)")
        let base = "\(dir)/slice-\(slice.sliceID)"
        try NIfTIWriter.write(
          pixels, sizeX: width, sizeY: height, sizeZ: 1, spacing: (1, 1, 1), dataType: .float32, to: base + ".nii.gz")
        try PNGGray8(width: width, height: height, pixels: pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) })
          .write(to: base + ".png")
        let until = Date(timeIntervalSince1970: Double(slice.leaseExpiresUnixMs) / 1000)
        say(
          "slice \(slice.sliceID) (patient \(slice.patient), position \(slice.position)): \(base).png, \(base).nii.gz; leased until \(until)"
        )
      }
      say(
        "label each slice (class id per pixel, 4 = not annotated) and send it with: activeseg annotate submit --experiment \(options.experiment) --slice ID MASK-FILE"
      )
    }
  }

  struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Submit the mask of one slice (NIfTI .nii/.nii.gz or 8-bit grayscale PNG).")
    @OptionGroup var options: Options
    @Option(help: "The slice the mask labels.") var slice: Int64
    @Option(help: "scribble or full (default: the experiment's supervision).") var kind: String?
    @Option(parsing: .unconditional, help: "Seconds you spent on it, recorded as its cost.") var seconds: Double = 0
    @Argument(help: "The mask file: one class id per pixel; 4 marks pixels a scribble leaves unannotated.") var mask:
      String

    func validate() throws {
      guard seconds >= 0, seconds.isFinite else { throw ValidationError("--seconds must be 0 or more, got \(seconds)") }
      if let kind, !["scribble", "full"].contains(kind) {
        throw ValidationError("--kind must be scribble or full, got '\(kind)'")
      }
    }

    func run() async throws {
      var request = Activeseg_V1_AnnotateSubmitRequest()
      request.experimentID = options.experiment
      request.sliceID = slice
      request.annotator = options.name
      request.secondsSpent = seconds
      switch kind {
      case nil: request.kind = .unspecified
      case "scribble": request.kind = .scribble
      case "full": request.kind = .full
      case let other?: throw ValidationError("--kind must be scribble or full, got '\(other)'")  // validate() refused it already
      }
      let (labels, height, width) = try Self.readMask(mask)
      request.mask = WireTensor(uint8: labels, shape: [height, width])
      let reply = try await AnnotateClient(options).call(
        "Gateway/AnnotateSubmit", request, replying: Activeseg_V1_AnnotateSubmitReply.self)
      say(
        "stored annotation \(reply.annotationID) of slice \(slice); \(reply.remainingInBatch) slice(s) of this round still to annotate"
      )
    }

    /// The mask's labels, row-major (height, width); NIfTI masks must be 2-D (or one slice deep) with integer values.
    static func readMask(_ path: String) throws -> ([UInt8], Int, Int) {
      do {
        if path.lowercased().hasSuffix(".png") {
          let image = try PNGGray8.read(path)
          return (image.pixels, image.height, image.width)
        }
        guard path.hasSuffix(".nii") || path.hasSuffix(".nii.gz") else {
          throw CLIFailure.refused("\(path): masks are NIfTI (.nii, .nii.gz) or 8-bit grayscale PNG (.png) files")
        }
        let image = try NIfTIReader.read(path)
        guard image.sizeZ == 1 else {
          throw CLIFailure.refused("\(path) holds \(image.sizeZ) slices; submit one 2-D mask per slice")
        }
        guard let labels = image.integerLabels() else {
          throw CLIFailure.refused(
            "\(path) holds values that are not class ids 0–255; save the mask with integer labels")
        }
        return (labels, image.sizeY, image.sizeX)
      } catch let error as DatasetError {
        throw CLIFailure.refused(error.message)
      }
    }
  }
}

/// One call to the gateway with service errors shown as plain messages.
struct AnnotateClient {
  let options: AnnotateCommand.Options

  init(_ options: AnnotateCommand.Options) { self.options = options }

  func call<Request: SwiftProtobuf.Message, Reply: SwiftProtobuf.Message>(
    _ method: String, _ request: Request, replying: Reply.Type
  ) async throws -> Reply {
    let target = try options.gateway.locator.target("gateway", at: try options.gateway.endpoints().rpc)
    try await ServiceHealth.require([target])
    let channel = try ZMQChannel(
      connect: target.endpoint, logger: Logger(label: "activeseg.annotate"), security: target.security)
    defer { channel.close() }
    return try await serviceCall {
      try await channel.call(
        method, request, replying: Reply.self, options: CallOptions(timeout: .seconds(30), caller: options.name))
    }
  }
}
