// The roles a caller can hold, as written in the allow-list.
/// What a caller may do. `admin` may do everything; `service` is for ActiveSeg's own services.
public enum Role: String, Sendable, CaseIterable, CustomStringConvertible {
  case admin, annotator, viewer, service

  public var description: String { rawValue }
}
