// The ActiveSeg version every service reports in Health.
public enum ActiveSegVersion {
  public static let current = "0.1.0"
}
