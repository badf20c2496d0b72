// The allow-list a secured process holds now: one shared, replaceable copy read by the ZAP handler, every RPC
// server and the event publisher. A reload (SIGHUP, or the file changing) takes effect at the next handshake and
// the next call; observers hear which names lost their access, so that their open connections can be dropped.
import Foundation
import Glibc
import Synchronization

/// A replaceable allow-list, optionally backed by a file that `reload()` reads again.
public final class AllowListStore: Sendable {
  /// The file the list was read from; nil for a list made in memory.
  public let path: String?
  private let state: Mutex<(list: AllowList, stamp: FileStamp?)>
  private let observers = Mutex<[@Sendable (Set<String>) -> Void]>([])

  public init(_ list: AllowList, path: String? = nil) {
    self.path = path
    state = Mutex((list, path.flatMap(FileStamp.init(path:))))
  }

  /// The list as it is now.
  public var current: AllowList { state.withLock { $0.list } }

  /// Calls `observer` with the names that lost access at every later replacement (never with an empty set).
  public func onRevoke(_ observer: @escaping @Sendable (Set<String>) -> Void) {
    observers.withLock { $0.append(observer) }
  }

  /// Replaces the list and returns the names revoked: gone from the list, or holding another key or role now.
  @discardableResult
  public func replace(with list: AllowList) -> Set<String> {
    let revoked = state.withLock { state -> Set<String> in
      defer { state.list = list }
      return Set(state.list.clients.filter { old in list.client(named: old.name) != old }.map(\.name))
    }
    if !revoked.isEmpty { for observer in observers.withLock({ $0 }) { observer(revoked) } }
    return revoked
  }

  /// Reads the file again and replaces the list. A file that does not parse throws (naming the file and line) and
  /// leaves the list as it was, so a half-edited file never locks everyone out nor lets anyone in.
  @discardableResult
  public func reload() throws -> Set<String> {
    guard let path else { return [] }
    let stamp = FileStamp(path: path)
    let list = try AllowList.load(path: path)
    state.withLock { $0.stamp = stamp }
    return replace(with: list)
  }

  /// Reloads when the file's modification time, size or inode changed since the last read; nil when unchanged.
  public func reloadIfChanged() throws -> Set<String>? {
    guard let path else { return nil }
    let stamp = FileStamp(path: path)
    guard stamp != state.withLock({ $0.stamp }) else { return nil }
    // Record the stamp first: a bad file is reported once per change, not on every poll.
    state.withLock { $0.stamp = stamp }
    return try reload()
  }

  // MARK: - One store per file per process

  private static let byPath = Mutex<[String: AllowListStore]>([:])

  /// The process's store for the allow-list file at `path`, read on first use. Every server of the process shares
  /// it, so one reload reaches them all.
  public static func shared(path: String) throws -> AllowListStore {
    let key = URL(fileURLWithPath: path).standardizedFileURL.path
    if let store = byPath.withLock({ $0[key] }) { return store }
    let store = AllowListStore(try AllowList.load(path: path), path: path)
    return byPath.withLock { stores in
      if let existing = stores[key] { return existing }
      stores[key] = store
      return store
    }
  }

  /// Every file-backed store this process has read (what a SIGHUP or a file watcher reloads).
  public static var fileBacked: [AllowListStore] { byPath.withLock { Array($0.values) } }
}

/// What identifies one version of a file: inode, size and modification time (to the nanosecond).
struct FileStamp: Equatable, Sendable {
  var inode: UInt64
  var size: Int64
  var seconds: Int
  var nanoseconds: Int

  init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    inode = UInt64(info.st_ino)
    size = Int64(info.st_size)
    seconds = info.st_mtim.tv_sec
    nanoseconds = info.st_mtim.tv_nsec
  }
}
