// Which progress topics annotators may see: those of experiments that wait for people (`annotators: people`),
// the experiments an annotator can lease slices from. Oracle experiments' progress goes to viewers and admins only.
import Foundation
import Messaging
import Synchronization

/// The topics of experiments annotated by people. Thread-safe.
public final class AnnotatorTopics: Sendable {
  private let topics = Mutex<Set<String>>([])

  public init() {}

  /// Marks `topic` as one annotators may follow.
  public func open(_ topic: String) { topics.withLock { _ = $0.insert(topic) } }

  /// The publisher's rule for annotators.
  public var audience: AnnotatorAudience {
    { [self] _, topic in topics.withLock { $0.contains(topic) } }
  }
}
