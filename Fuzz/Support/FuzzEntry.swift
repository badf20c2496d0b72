// The entry point every fuzz target shares. Built by scripts/fuzz (-sanitize=fuzzer,address -DFUZZING) it hands
// control to libFuzzer; built plainly (swift build) it replays the files and folders named on its command line,
// so a crashing input can be rerun under a debugger without the sanitizer toolchain.
import CFuzzer
import Foundation

/// Runs one fuzz target's body over libFuzzer's inputs or over replayed files.
public enum FuzzEntry {
  /// One input in, no result out: a body reports a finding by trapping (`fatalError`), never by returning.
  public typealias Body = ([UInt8]) -> Void

  nonisolated(unsafe) static var body: Body = { _ in fatalError("fuzz: FuzzEntry.main was not called") }

  /// Fuzzes `body` (sanitizer build) or replays every file named in the arguments through it; never returns.
  public static func main(_ body: @escaping Body) -> Never {
    self.body = body
    #if FUZZING
      var argc = CommandLine.argc
      var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
      exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    #else
      exit(replay(Array(CommandLine.arguments.dropFirst())))
    #endif
  }

  /// Runs every file in `paths` (folders are walked) through the body; 2 when nothing was given.
  static func replay(_ paths: [String]) -> Int32 {
    guard !paths.isEmpty else {
      print(
        "usage: \(CommandLine.arguments[0]) FILE|FOLDER... (replays inputs; scripts/fuzz builds the fuzzing binary)")
      return 2
    }
    var files: [String] = []
    for path in paths {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        print("replay: \(path) does not exist")
        return 1
      }
      if isFolder.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        files += names.sorted().map { "\(path)/\($0)" }
      } else {
        files.append(path)
      }
    }
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else { continue }
      body([UInt8](data))
    }
    print("replayed \(files.count) inputs without a finding")
    return 0
  }

  /// Runs async `work` to completion from the synchronous fuzz callback (never on the cooperative pool).
  public static func blocking(_ work: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
      await work()
      done.signal()
    }
    done.wait()
  }
}

/// libFuzzer's per-input callback. It is also the symbol libFuzzer's own `main` (linked in whole with the
/// sanitizer runtime) refers to; that `main` is overridden by SwiftPM's main=<Module>_main, so ours runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  FuzzEntry.body(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
  return 0
}
