// Nearest-neighbour resize bit-exact with scipy.ndimage.zoom(order=0, grid_mode=False) (method spec §2.2, §9.2):
// output index o reads input index floor(o·(in−1)/(out−1) + 0.5); the Imaging module has the same rule.

/// Order-0 zoom of 2D planes.
public enum NearestZoom {
    /// Source index for every output index along one axis (scipy: zoom = (in−1)/(out−1), or 1 when out == 1).
    public static func sourceIndices(inputSize: Int, outputSize: Int) -> [Int] {
        precondition(inputSize > 0 && outputSize > 0, "NearestZoom needs positive sizes, got \(inputSize)→\(outputSize)")
        let zoom = outputSize > 1 ? Double(inputSize - 1) / Double(outputSize - 1) : 1.0
        return (0..<outputSize).map { o in
            min(max(Int((Double(o) * zoom + 0.5).rounded(.down)), 0), inputSize - 1)
        }
    }

    /// `plane` resized to height × width.
    public static func resize<T>(_ plane: Plane<T>, height: Int, width: Int) -> Plane<T> {
        if plane.height == height && plane.width == width { return plane }
        let rows = sourceIndices(inputSize: plane.height, outputSize: height)
        let cols = sourceIndices(inputSize: plane.width, outputSize: width)
        var out: [T] = []
        out.reserveCapacity(height * width)
        for r in rows {
            let base = r * plane.width
            for c in cols { out.append(plane.values[base + c]) }
        }
        return Plane(height: height, width: width, values: out)
    }
}
