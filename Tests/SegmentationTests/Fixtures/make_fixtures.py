"""Reference fixtures for Tests/SegmentationTests (run once; the tests never need Python).

numpy 2.x, scipy 1.17, MedPy 0.4.0:
  python -m venv venv && venv/bin/pip install numpy scipy medpy==0.4.0 && venv/bin/python make_fixtures.py

Writes:
  resampling.json  scipy.ndimage.zoom(order=0) source indices, numpy rot90/flip, scipy.ndimage.rotate(order=0,
                   reshape=False) of small uint8 planes with cval 0 and 4 (method spec §2.2)
  edt.json         scipy.ndimage.distance_transform_edt with and without sampling on a small 3D grid
  metrics.json     medpy.metric.binary.dc / hd95 (voxels and voxelspacing) per class on small label volumes,
                   with the (0, 0) rule of WSL4MIS val_2D (method spec §2.6)
"""
import json
import numpy as np
from scipy import ndimage
from medpy import metric

rng = np.random.default_rng(20261128)


def zoom_indices(n_in, n_out):
    a = np.arange(n_in * 2).reshape(n_in, 2)
    z = ndimage.zoom(a, (n_out / n_in, 1), order=0)
    assert z.shape == (n_out, 2), (n_in, n_out, z.shape)
    return (z[:, 0] // 2).tolist()


def resampling():
    zoom = [{"in": i, "out": o, "indices": zoom_indices(i, o)}
            for i, o in [(5, 3), (3, 5), (7, 4), (10, 32), (13, 7), (256, 64), (64, 256), (217, 64), (1, 4), (4, 1), (96, 96)]]
    base = np.arange(12, dtype=np.uint8).reshape(3, 4)
    rot = [{"k": k, "shape": list(np.rot90(base, k).shape), "values": np.rot90(base, k).ravel().tolist()} for k in range(4)]
    flip = [{"axis": a, "values": np.flip(base, a).ravel().tolist()} for a in range(2)]
    small = rng.integers(1, 251, size=(8, 11)).astype(np.uint8)
    rotations = [{"angle": a, "cval": 0, "values": ndimage.rotate(small, a, order=0, reshape=False, cval=0).ravel().tolist()}
                 for a in range(-20, 20)]
    label = rng.integers(0, 4, size=(24, 20)).astype(np.uint8)
    label[3:9, 5:12] = 4
    rotations_label = [{"angle": a, "cval": 4,
                        "values": ndimage.rotate(label, a, order=0, reshape=False, mode="constant", cval=4).ravel().tolist()}
                       for a in (-19, -11, 5, 18)]
    return {"zoom": zoom, "rot90_input": base.ravel().tolist(), "rot90": rot, "flip": flip,
            "rotate_small": {"shape": [8, 11], "input": small.ravel().tolist(), "cases": rotations},
            "rotate_label": {"shape": [24, 20], "input": label.ravel().tolist(), "cases": rotations_label}}


def edt():
    shape = (5, 7, 6)
    features = rng.random(shape) < 0.06
    features[0, 0, 0] = True
    spacing = (2.5, 1.0, 0.75)
    return {"shape": list(shape), "features": "".join("1" if f else "0" for f in features.ravel()),
            "unit": ndimage.distance_transform_edt(~features).ravel().tolist(),
            "spacing": list(spacing),
            "spaced": ndimage.distance_transform_edt(~features, sampling=spacing).ravel().tolist()}


def case_metrics(pred, gt, spacing, classes):
    out = []
    for c in range(1, classes):
        p, g = pred == c, gt == c
        if p.sum() > 0 and g.sum() > 0 and g.sum() < g.size:
            out.append({"dice": metric.binary.dc(p, g), "hd95": metric.binary.hd95(p, g),
                        "hd95_mm": metric.binary.hd95(p, g, voxelspacing=spacing)})
        else:
            out.append({"dice": 0.0, "hd95": 0.0, "hd95_mm": 0.0})
    return out


def heart(shape, center, radii):
    d, h, w = shape
    z, y, x = np.meshgrid(np.arange(d), np.arange(h), np.arange(w), indexing="ij")
    r = np.sqrt(((y - center[0]) ** 2 + (x - center[1]) ** 2))
    lab = np.zeros(shape, np.uint8)
    lab[(r < radii[0] + 2) & (z >= 1)] = 2
    lab[(r < radii[0]) & (z >= 1)] = 3
    side = np.sqrt(((y - center[0]) ** 2 + (x - center[1] - radii[0] - 3) ** 2))
    lab[(side < radii[1]) & (lab == 0) & (z <= d - 2)] = 1
    return lab


def metrics():
    cases = []
    shape = (6, 16, 16)
    gt = heart(shape, (8, 7), (3.5, 3))
    pred = heart(shape, (9.4, 6.2), (2.6, 4.1))
    noise = rng.random(shape) < 0.04
    pred[noise] = rng.integers(0, 4, size=noise.sum())
    cases.append(("all classes, perturbed", gt, pred, (5.0, 1.5, 1.5)))
    pred2 = pred.copy(); pred2[pred2 == 2] = 0
    gt2 = gt.copy(); gt2[gt2 == 1] = 0
    cases.append(("empty prediction of class 2, class 1 absent from truth", gt2, pred2, (5.0, 1.5, 1.5)))
    gt3 = np.zeros((4, 9, 12), np.uint8); gt3[:, :5, :] = 1; gt3[1:3, 4:9, 6:12] = 3; gt3[0, 0, 0] = 2
    pred3 = np.zeros_like(gt3); pred3[:, :4, 2:] = 1; pred3[:, 5:9, 5:12] = 3; pred3[3, 8, 11] = 2
    cases.append(("objects touching the border, single-voxel class", gt3, pred3, (2.0, 0.7, 1.1)))
    gt4 = np.ones((2, 5, 5), np.uint8); pred4 = gt4.copy(); pred4[0, 0, 0] = 0
    cases.append(("truth is class 1 everywhere", gt4, pred4, (1.0, 1.0, 1.0)))
    out = []
    for name, g, p, sp in cases:
        out.append({"name": name, "shape": list(g.shape), "spacing": list(sp),
                    "truth": "".join(map(str, g.ravel())), "prediction": "".join(map(str, p.ravel())),
                    "classes": case_metrics(p, g, sp, 4)})
    return out


for name, data in [("resampling.json", resampling()), ("edt.json", edt()), ("metrics.json", metrics())]:
    with open(name, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(name)
