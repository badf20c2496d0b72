// A 2D row-major grid of values (an image slice of Floats or a label slice of UInt8).

/// Height × width values stored row by row: `values[y * width + x]`.
public struct Plane<Element: Sendable>: Sendable {
  public var height: Int
  public var width: Int
  public var values: [Element]

  public init(height: Int, width: Int, values: [Element]) {
    precondition(
      height > 0 && width > 0 && values.count == height * width,
      "Plane needs height·width values, got \(values.count) for \(height)×\(width)")
    self.height = height
    self.width = width
    self.values = values
  }

  /// The value at row y, column x.
  @inlinable public subscript(y: Int, x: Int) -> Element { values[y * width + x] }
}

extension Plane: Equatable where Element: Equatable {}
extension Plane: Hashable where Element: Hashable {}
