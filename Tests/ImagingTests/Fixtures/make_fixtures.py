#!/usr/bin/env python3
"""Writes the reference fixtures of ImagingTests with numpy, scipy and scikit-image. Run from this folder:
python make_fixtures.py. preprocessing.json: volumes (z, y, x) with the WSL4MIS clip threshold (skimage
cumulative_distribution, percent 0.99) and min-max result; zoom.json: scipy.ndimage.zoom(order=0) source rows
and columns for several slice sizes."""
import json, os
import numpy as np
import scipy
import scipy.ndimage
import skimage
from skimage import exposure

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(99)


def save_json(obj, name):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))


def wsl4mis_preprocess(image):
    """acdc_data_processing.py: MedicalImageDeal(percent=0.99).valid_img, then min-max, float32."""
    cdf = exposure.cumulative_distribution(image)
    watershed = cdf[1][cdf[0] >= 0.99][0]
    clipped = np.clip(image, image.min(), watershed)
    norm = (clipped - clipped.min()) / (clipped.max() - clipped.min())
    return float(watershed), norm.astype(np.float32)


# ---------------------------------------------------------------- preprocessing (skimage CDF clip + min-max)
pre = []
vol_i16 = rng.integers(0, 400, size=(3, 7, 8)).astype(np.int16)
vol_i16[0, 0, :4] = [3000, 2500, 2900, 3100]  # outliers above the 99th percentile
vol_f64 = rng.gamma(2.0, 100.0, size=(2, 7, 8))
vol_f32 = (rng.gamma(2.0, 100.0, size=(2, 8, 8))).astype(np.float32)
vol_neg = rng.integers(-500, 300, size=(2, 7, 8)).astype(np.int16)
for name, v, kind in [("int16", vol_i16, "integer"), ("float64", vol_f64, "float64"),
                      ("float32", vol_f32, "float32"), ("int16_negative", vol_neg, "integer")]:
    thr, norm = wsl4mis_preprocess(v)
    pre.append({"name": name, "kind": kind, "shape": list(v.shape), "values": v.astype(np.float64).ravel().tolist(),
                "threshold": thr, "normalized": norm.astype(np.float64).ravel().tolist()})
save_json(pre, "preprocessing.json")

# ---------------------------------------------------------------- scipy.ndimage.zoom(order=0)
zooms = []
for (ih, iw), (oh, ow) in [((8, 8), (12, 12)), ((12, 10), (8, 7)), ((7, 10), (10, 7)), ((5, 16), (16, 5)),
                           ((3, 3), (1, 1)), ((1, 4), (3, 9)), ((216, 256), (256, 256)), ((256, 232), (256, 256)),
                           ((256, 256), (128, 128)), ((154, 224), (256, 256)), ((13, 17), (256, 256))]:
    a = np.arange(ih * iw, dtype=np.float64).reshape(ih, iw)
    z = scipy.ndimage.zoom(a, (oh / ih, ow / iw), order=0)
    assert z.shape == (oh, ow), (z.shape, oh, ow)
    src = z.astype(np.int64)
    rows, cols = src[:, 0] // iw, src[0, :] % iw
    assert (src == rows[:, None] * iw + cols[None, :]).all()  # zoom(order=0) is separable
    zooms.append({"in": [ih, iw], "out": [oh, ow], "rows": rows.tolist(), "cols": cols.tolist()})
save_json(zooms, "zoom.json")

save_json({"numpy": np.__version__, "scipy": scipy.__version__, "skimage": skimage.__version__}, "versions.json")
