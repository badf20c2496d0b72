// Order-0 zoom of `Plane`s: the scipy.ndimage.zoom(order=0) rule of Imaging's NearestResize
// (method spec §2.2, §9.2), applied to the planes the trainer works with.
import Imaging

/// Order-0 zoom of 2D planes.
public enum NearestZoom {
  /// `plane` resized to height × width.
  public static func resize<T>(_ plane: Plane<T>, height: Int, width: Int) -> Plane<T> {
    Plane(
      height: height, width: width,
      values: NearestResize.resize(
        plane.values, height: plane.height, width: plane.width, outHeight: height, outWidth: width))
  }
}
