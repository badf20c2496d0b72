#!/usr/bin/env python3
"""Writes the tiny reference fixtures of DatasetFormatsTests with independent tools (nibabel, h5py, numpy,
scipy, scikit-image). Run from this folder:  python make_fixtures.py
Versions used: see expected/versions.json. Arrays in the JSON files are flattened in (z, y, x) order."""
import gzip, json, os, shutil
import numpy as np
import nibabel as nib
import h5py
import scipy
import scipy.ndimage
import skimage
from skimage import exposure

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(1234)


def out(*parts):
    p = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def compact(obj):
    """Rounds floats to 8 significant digits (tests compare with tolerances) to keep the JSON small."""
    if isinstance(obj, float):
        return float(f"{obj:.8g}")
    if isinstance(obj, list):
        return [compact(v) for v in obj]
    if isinstance(obj, dict):
        return {k: compact(v) for k, v in obj.items()}
    return obj


def save_json(obj, *parts, exact=False):
    with open(out(*parts), "w") as f:
        json.dump(obj if exact else compact(obj), f, separators=(",", ":"))


def zyx(a):
    """nibabel arrays are (x, y, z); ActiveSeg stores (z, y, x)."""
    return np.ascontiguousarray(np.transpose(a, (2, 1, 0)))


def save_nifti(data_xyz, path, dtype, spacing=(1.5, 1.25, 10.0), slope=None, inter=None, endianness=None):
    data = np.asarray(data_xyz).astype(dtype)
    hdr = nib.Nifti1Header(endianness=endianness) if endianness else nib.Nifti1Header()
    hdr.set_data_dtype(dtype)
    affine = np.diag([spacing[0], spacing[1], spacing[2], 1.0])
    affine[:3, 3] = [-10.0, 5.0, 2.5]
    img = nib.Nifti1Image(data, affine, hdr)
    img.header.set_zooms((tuple(spacing) + (1.0,) * 5)[: data.ndim])
    if slope is None:
        nib.save(img, path)
    else:
        # Write the raw values with the requested scl_slope/scl_inter ourselves (nibabel would rescale).
        h = img.header.copy()
        h["scl_slope"], h["scl_inter"], h["vox_offset"] = slope, inter, 352
        blob = h.binaryblock + bytes(4) + data.astype(h.get_data_dtype()).tobytes(order="F")
        open(path, "wb").write(gzip.compress(blob) if path.endswith(".gz") else blob)
    return nib.load(path)


def wsl4mis_preprocess(image):
    """acdc_data_processing.py: MedicalImageDeal(percent=0.99).valid_img, then min-max, float32."""
    cdf = exposure.cumulative_distribution(image)
    watershed = cdf[1][cdf[0] >= 0.99][0]
    clipped = np.clip(image, image.min(), watershed)
    norm = (clipped - clipped.min()) / (clipped.max() - clipped.min())
    return float(watershed), norm.astype(np.float32)


# ---------------------------------------------------------------- NIfTI datatypes
nifti_expected = {}
base = rng.integers(0, 200, size=(5, 4, 3))
cases = {
    "u8.nii.gz": dict(data=base.astype(np.uint8), dtype=np.uint8),
    "i16.nii.gz": dict(data=(base * 37 - 3000).astype(np.int16), dtype=np.int16),
    "i32.nii": dict(data=(base * 100000 - 7).astype(np.int32), dtype=np.int32),
    "f32.nii.gz": dict(data=(rng.standard_normal((5, 4, 3)) * 100).astype(np.float32), dtype=np.float32),
    "f64.nii": dict(data=rng.standard_normal((5, 4, 3)) * 1e3, dtype=np.float64),
    "i16_scaled.nii.gz": dict(data=(base - 50).astype(np.int16), dtype=np.int16, slope=2.5, inter=-3.0),
    "u8_slope0.nii.gz": dict(data=base.astype(np.uint8), dtype=np.uint8, slope=0.0, inter=7.0),
    "i16_bigendian.nii": dict(data=(base * 11 - 900).astype(np.int16), dtype=np.int16, endianness=">"),
}
for name, c in cases.items():
    img = save_nifti(c["data"], out("nifti", name), c["dtype"], slope=c.get("slope"), inter=c.get("inter"),
                     endianness=c.get("endianness"))
    h = img.header
    nifti_expected[name] = {
        "shape_xyz": list(img.shape),
        "values_zyx": zyx(np.asarray(img.get_fdata())).ravel().tolist(),
        "spacing": [float(z) for z in h.get_zooms()[:3]],
        "datatype": int(h["datatype"]),
        "qform_code": int(h["qform_code"]), "sform_code": int(h["sform_code"]),
        "srow": [h["srow_x"].tolist(), h["srow_y"].tolist(), h["srow_z"].tolist()],
        "qoffset": [float(h["qoffset_x"]), float(h["qoffset_y"]), float(h["qoffset_z"])],
        "big_endian": h.endianness == ">",
    }
# A two-file NIfTI pair (magic "ni1"): pair.hdr + pair.img.
pair = nib.Nifti1Pair((base - 20).astype(np.int16), np.diag([2.0, 2.0, 5.0, 1.0]))
nib.save(pair, out("nifti", "pair.hdr"))
nifti_expected["pair.hdr"] = {"shape_xyz": [5, 4, 3], "values_zyx": zyx((base - 20).astype(float)).ravel().tolist()}
# 4D with one frame (accepted) and with two frames / 2D (rejected).
save_nifti(base[..., None].astype(np.int16), out("nifti", "i16_4d_one_frame.nii.gz"), np.int16)
save_nifti(np.stack([base, base], -1).astype(np.int16), out("nifti", "i16_4d_two_frames.nii.gz"), np.int16)
save_nifti(base[:, :, 0].astype(np.int16), out("nifti", "i16_2d.nii.gz"), np.int16)
nifti_expected["i16_4d_one_frame.nii.gz"] = {"shape_xyz": [5, 4, 3], "values_zyx": zyx(base.astype(float)).ravel().tolist()}
# Broken files: a gzip stream cut in half, garbage behind a gzip magic, a non-NIfTI header, a short data block.
good = open(out("nifti", "i16.nii.gz"), "rb").read()
open(out("nifti", "truncated.nii.gz"), "wb").write(good[: len(good) // 2])
open(out("nifti", "corrupt.nii.gz"), "wb").write(good[:10] + bytes(rng.integers(0, 256, 200, dtype=np.uint8)))
open(out("nifti", "not_nifti.nii"), "wb").write(b"hello, this is not a NIfTI header" + bytes(400))
raw = gzip.decompress(good)
open(out("nifti", "short_data.nii"), "wb").write(raw[:-20])
save_json(nifti_expected, "expected", "nifti.json")

# ---------------------------------------------------------------- ACDC mini tree
def acdc_patient(root, pid, ed, es, shape=(10, 8, 3), scribble=False, group="NOR"):
    d = out(root, pid, "x")[:-1]
    with open(os.path.join(d, "Info.cfg"), "w") as f:
        f.write(f"ED: {ed}\nES: {es}\nGroup: {group}\nHeight: 170.0\nNbFrame: 20\nWeight: 70.0\n")
    res = {}
    for frame in (ed, es):
        key = f"{pid}_frame{frame:02d}"
        img = rng.integers(0, 300, size=shape).astype(np.int16)
        img[0, 0, 0] = 1500
        lab = rng.integers(0, 4, size=shape).astype(np.uint8)
        save_nifti(img, os.path.join(d, key + ".nii.gz"), np.int16)
        save_nifti(lab, os.path.join(d, key + "_gt.nii.gz"), np.uint8)
        entry = {"label_zyx": zyx(lab).ravel().tolist(),
                 "normalized_zyx": wsl4mis_preprocess(zyx(img))[1].astype(np.float64).ravel().tolist(),
                 "shape_dhw": [shape[2], shape[1], shape[0]]}
        if scribble:
            scr = np.where(rng.random(shape) < 0.1, lab, 4).astype(np.uint8)
            save_nifti(scr, os.path.join(d, key + "_scribble.nii.gz"), np.uint8)
            entry["scribble_zyx"] = zyx(scr).ravel().tolist()
        res[key] = entry
    return res


acdc_expected = {}
acdc_expected.update(acdc_patient("acdc/training", "patient001", 1, 12, scribble=True, group="DCM"))
acdc_expected.update(acdc_patient("acdc/training", "patient002", 1, 9, shape=(12, 9, 2)))
acdc_expected.update(acdc_patient("acdc/testing", "patient003", 1, 7, group="HCM"))
save_json(acdc_expected, "expected", "acdc.json")

# Broken ACDC trees, one defect each.
acdc_patient("acdc_no_cfg", "patient001", 1, 5, shape=(6, 6, 2))
os.remove(out("acdc_no_cfg", "patient001", "Info.cfg"))
acdc_patient("acdc_no_mask", "patient001", 1, 5, shape=(6, 6, 2))
os.remove(out("acdc_no_mask", "patient001", "patient001_frame05_gt.nii.gz"))
acdc_patient("acdc_shape_mismatch", "patient001", 1, 5, shape=(6, 6, 2))
save_nifti(np.zeros((6, 5, 2), np.uint8), out("acdc_shape_mismatch", "patient001", "patient001_frame05_gt.nii.gz"), np.uint8)
acdc_patient("acdc_label_range", "patient001", 1, 5, shape=(6, 6, 2))
bad = np.zeros((6, 6, 2), np.uint8); bad[2, 3, 1] = 7
save_nifti(bad, out("acdc_label_range", "patient001", "patient001_frame05_gt.nii.gz"), np.uint8)
acdc_patient("acdc_truncated", "patient001", 1, 5, shape=(16, 16, 3))
p = out("acdc_truncated", "patient001", "patient001_frame05.nii.gz")
blob = open(p, "rb").read(); open(p, "wb").write(blob[: len(blob) * 2 // 3])
acdc_patient("acdc_wrong_dims", "patient001", 1, 5, shape=(6, 6, 2))
save_nifti(np.zeros((6, 6, 2, 3), np.int16), out("acdc_wrong_dims", "patient001", "patient001_frame01.nii.gz"), np.int16)

# ---------------------------------------------------------------- WSL4MIS mini tree
def h5(path, compress=False, **arrays):
    # Default file format (readable by Debian's libhdf5 1.10). WSL4MIS writes gzip-compressed datasets; only
    # some fixtures use compression because chunked files are ~10 KB each.
    with h5py.File(out(path), "w") as f:
        for k, v in arrays.items():
            f.create_dataset(k, data=v, compression="gzip" if compress else None)


wsl_expected = {}
for pid, frames in [("patient001", (1, 12)), ("patient002", (1, 9)), ("patient003", (1, 7))]:
    with open(out("wsl4mis", "ACDC_training_slices", pid + ".cfg"), "w") as f:
        f.write(f"ED: {frames[0]}\nES: {frames[1]}\nGroup: NOR\nHeight: 180.0\nWeight: 80.0\n")
    for frame in frames:
        key = f"{pid}_frame{frame:02d}"
        raw_img = rng.integers(0, 500, size=(2, 8, 9)).astype(np.int16)
        _, img = wsl4mis_preprocess(raw_img)
        lab = rng.integers(0, 4, size=img.shape).astype(np.uint8)
        scr = np.where(rng.random(img.shape) < 0.15, lab, 4).astype(np.uint8)
        for k in range(img.shape[0]):
            h5(f"wsl4mis/ACDC_training_slices/{key}_slice_{k}.h5", compress=(key == "patient001_frame01" and k == 0),
               image=img[k], label=lab[k], scribble=scr[k])
        h5(f"wsl4mis/ACDC_training_volumes/{key}.h5", compress=key == "patient002_frame09", image=img, label=lab)
        wsl_expected[key] = {"image": img.astype(np.float64).ravel().tolist(), "label": lab.ravel().tolist(),
                             "scribble": scr.ravel().tolist(), "shape_dhw": list(img.shape)}
with open(out("wsl4mis", "train.txt"), "w") as f:
    f.write("".join(f"ACDC_training_slices/patient001_frame{fr:02d}_slice_{k}.h5\n" for fr in (1, 12) for k in range(2)))
with open(out("wsl4mis", "val.txt"), "w") as f:
    f.write("ACDC_training_volumes/patient002_frame01.h5\nACDC_training_volumes/patient002_frame09.h5\n")
with open(out("wsl4mis", "test.txt"), "w") as f:
    f.write("ACDC_training_volumes/patient003_frame01.h5\nACDC_training_volumes/patient003_frame07.h5\n")
save_json(wsl_expected, "expected", "wsl4mis.json")

# Broken WSL4MIS trees: a slice without 'scribble', and a volume file that is not HDF5.
img = np.zeros((8, 8), np.float32); lab = np.zeros((8, 8), np.uint8)
h5("wsl4mis_missing_dataset/ACDC_training_slices/patient001_frame01_slice_0.h5", image=img, label=lab, scribble=lab)
h5("wsl4mis_missing_dataset/ACDC_training_slices/patient001_frame01_slice_1.h5", image=img, label=lab)
open(out("wsl4mis_corrupt", "ACDC_training_volumes", "patient001_frame01.h5"), "wb").write(b"\x89HDF\r\n\x1a\n" + bytes(100))

# ---------------------------------------------------------------- nnU-Net raw mini tree
def nnunet_tree(root, cases, labels, label_fn=None):
    save_json({"channel_names": {"0": "cineMRI"}, "labels": labels, "numTraining": len(cases),
               "file_ending": ".nii.gz", "name": "Dataset027_MiniACDC"}, root, "dataset.json")
    res = {}
    for case in cases:
        img = rng.normal(300, 80, size=(9, 7, 2)).astype(np.float32)
        lab = rng.integers(0, len(labels), size=img.shape).astype(np.uint8)
        if label_fn:
            lab = label_fn(case, lab)
        save_nifti(img, out(root, "imagesTr", case + "_0000.nii.gz"), np.float32)
        save_nifti(lab, out(root, "labelsTr", case + ".nii.gz"), np.uint8)
        res[case] = {"normalized_zyx": wsl4mis_preprocess(zyx(img))[1].astype(np.float64).ravel().tolist(),
                     "label_zyx": zyx(lab).ravel().tolist()}
    return res


labels = {"background": 0, "RV": 1, "MLV": 2, "LVC": 3}
cases = ["patient001_frame01", "patient001_frame12", "patient002_frame01", "patient002_frame09", "patient003_frame01"]
save_json(nnunet_tree("nnunet", cases, labels), "expected", "nnunet.json")


def out_of_range(case, lab):
    lab = lab.copy()
    if case == "patient001_frame01":
        lab[1, 1, 1] = 5
    return lab


nnunet_tree("nnunet_label_range", ["patient001_frame01"], labels, out_of_range)

save_json({"numpy": np.__version__, "scipy": scipy.__version__, "skimage": skimage.__version__,
           "nibabel": nib.__version__, "h5py": h5py.__version__}, "expected", "versions.json")
print("fixtures written; total bytes:",
      sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(HERE) for f in fs))
