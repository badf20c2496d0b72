// Scribbles for the "ours" pixel term when a labeled slice carries a full mask (full supervision):
// derived from the mask with the oracle's own scribble generator, seeded by the slice id.
import Imaging
import Randomness

/// The scribble the "ours" distance masks a center by, under full supervision.
///
/// Storage keeps each simulated slice's ground-truth scribble, but its only reader, `Storage/Reveal`,
/// records the scribble as the slice's latest annotation (the trainer would then train on it), so the
/// selector derives one instead: `ScribbleGenerator`, the generator the phantom's stored scribbles
/// come from, with `SplitMix64(seed: sliceID)`. The same full mask always gives the same scribble, and
/// its size and placement follow the stored scribbles' statistics.
enum CenterScribbles {
  static func scribble(fromFullMask mask: [UInt8], height: Int, width: Int, sliceID: Int64) -> [UInt8] {
    var rng = SplitMix64(seed: UInt64(bitPattern: sliceID))
    let classes = min(Int(CardiacLabel.ignore), max(2, Int(mask.max() ?? 0) + 1))
    return ScribbleGenerator.scribble(label: mask, height: height, width: width, classCount: classes, rng: &rng)
  }
}
