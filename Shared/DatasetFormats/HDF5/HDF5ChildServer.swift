// The child side of `HDF5ChildReader`: a process that reads HDF5 files with libhdf5 on request and answers
// over a pipe. It is the service's own executable started with `--hdf5-child` (the storage main asks first), so
// nothing else has to be installed; a file that crashes libhdf5 takes down only this child.
import Foundation

public enum HDF5ChildServer {
  /// The argument that starts an executable as the reader's child.
  public static let flag = "--hdf5-child"
  /// The child's reply pipe: fd 3, so that nothing printed to stdout can corrupt a reply.
  static let replyFD: Int32 = 3

  /// When this process is `HDF5ChildReader`'s child, serves requests from stdin until it closes, then exits.
  public static func serveIfAsked(_ arguments: [String] = CommandLine.arguments) {
    guard arguments.count == 2 && arguments[1] == flag else { return }
    serve(requests: 0, replies: replyFD, reader: InProcessHDF5())
    exit(0)
  }

  /// Answers requests read from `requests` on `replies` until the request stream ends or breaks.
  static func serve(requests: Int32, replies: Int32, reader: any HDF5Reading) {
    let input = HDF5Wire.Reader { try PipeIO.read(requests, count: $0, timeout: nil) }
    while let opByte = try? input.next(1), let op = opByte.first.flatMap(HDF5Wire.Op.init(rawValue:)) {
      var reply = HDF5Wire.Writer()
      do {
        let path = try input.string()
        let names = try (0..<(try input.u32())).map { _ in try input.string() }
        do {
          switch op {
          case .read:
            let sets = try reader.read(path, datasets: names)
            reply.u8(0)
            reply.u32(sets.count)
            for (name, set) in sets.sorted(by: { $0.key < $1.key }) {
              reply.string(name)
              HDF5Wire.dims(set.shape, into: &reply)
              reply.floats(set.values)
            }
          case .shape:
            let shape = try reader.shape(path, dataset: names.first ?? "")
            reply.u8(0)
            reply.u8(shape == nil ? 0 : 1)
            if let shape { HDF5Wire.dims(shape, into: &reply) }
          }
        } catch let error as DatasetError {
          reply = HDF5Wire.Writer()
          reply.u8(1)
          reply.string(error.code.rawValue)
          reply.string(error.message)
        }
        try PipeIO.write(replies, reply.bytes)
      } catch {
        return  // the parent is gone or sent something this child cannot parse
      }
    }
  }
}
