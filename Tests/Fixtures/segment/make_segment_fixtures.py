#!/usr/bin/env python3
"""Writes the fixtures of SegmentTests (integration) and NIfTIWriter+Template tests with nibabel, so the files
`activeseg segment` reads come from an independent NIfTI writer. Run from anywhere:

    python make_segment_fixtures.py        # needs numpy and nibabel (pip install nibabel); the tests do not

What it writes, every file seeded and a few KB:
- cohort/: an nnU-Net raw dataset (dataset.json, imagesTr/caseNN_0000.nii.gz, labelsTr/caseNN.nii.gz) of 12
  synthetic short-axis stacks, 48 (x) × 40 (y) × 6 (z), int16: a bright cavity (label 1) inside a darker wall
  (not labelled) on a mid-grey background, with noise and a bias field. The integration test imports it and trains on it.
- scans/: two new scans of the same anatomy sampled more finely (60 × 50 × 5 and 66 × 55 × 4, the same field of
  view), with affines that rotate, flip x (qfac −1), space anisotropically and move the origin, sform code 2
  (aligned) and qform code 1 (scanner) — what `activeseg segment` must carry over to its outputs.
- masks/: their known label maps (uint8), for the Dice check.
- bigendian/scanC.nii.gz: a small big-endian scan, whose byte order derived volumes must keep.
- not3d.nii.gz: a 2D image, which segment must refuse.
- expected.json: what nibabel reads back from each scan (shape, affine, qform, zooms, codes, pixdim[0]).
"""
import json
import os

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261203)


def out(*parts):
    path = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def scene(nx, ny, nz, centre, radius, wall):
    """Image (int16) and labels (uint8) of shape (nx, ny, nz) over the unit field of view: per slice a
    cavity ellipse (1) of radii shrinking toward the apex inside a wall ring (2); slice 0 is past the base."""
    x = (np.arange(nx) + 0.5) / nx
    y = (np.arange(ny) + 0.5) / ny
    gx, gy = np.meshgrid(x, y, indexing="ij")
    image = np.zeros((nx, ny, nz))
    labels = np.zeros((nx, ny, nz), np.uint8)
    for z in range(nz):
        taper = 1.0 - 0.35 * z / max(1, nz - 1)
        rx, ry = radius[0] * taper, radius[1] * taper
        d = np.sqrt(((gx - centre[0]) / rx) ** 2 + ((gy - centre[1]) / ry) ** 2)
        outer = 1.0 + wall / min(rx, ry)
        tissue = np.where(d <= 1.0, 1, np.where(d <= outer, 2, 0))
        if z == 0:
            tissue[:] = 0
        label = (tissue == 1).astype(np.uint8)
        bias = 1.0 + 0.15 * (gx - 0.5) - 0.1 * (gy - 0.5)
        base = np.choose(tissue, [0.45, 0.95, 0.08])
        image[:, :, z] = base * bias + rng.normal(0, 0.04, size=(nx, ny))
        labels[:, :, z] = label
    return np.clip(image * 1000, 0, None).astype(np.int16), labels


def rotation(degrees_z, degrees_x):
    a, b = np.radians(degrees_z), np.radians(degrees_x)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    return rz @ rx


def affine(zooms, degrees_z, degrees_x, origin, flip_x):
    m = rotation(degrees_z, degrees_x) @ np.diag(zooms)
    if flip_x:
        m[:, 0] *= -1  # a negative determinant: the qform needs qfac = -1 (pixdim[0])
    a = np.eye(4)
    a[:3, :3] = m
    a[:3, 3] = origin
    return a


def save(array, aff, path, dtype):
    img = nib.Nifti1Image(array.astype(dtype), aff)
    img.set_sform(aff, code=2)
    img.set_qform(aff, code=1)
    img.header.set_xyzt_units("mm", "sec")
    img.header["descrip"] = b"activeseg segment fixture"
    nib.save(img, path)


def random_anatomy():
    centre = rng.uniform(0.3, 0.7, size=2)
    radius = rng.uniform(0.15, 0.2, size=2)
    wall = rng.uniform(0.08, 0.11)
    return centre, radius, wall


# MARK: the training cohort (nnU-Net raw)
cases = 12
for case in range(cases):
    centre, radius, wall = random_anatomy()
    image, labels = scene(48, 40, 6, centre, radius, wall)
    aff = affine((1.5, 1.5, 8.0), rng.uniform(-20, 20), 0, (-40.0, -30.0, 10.0 * case), flip_x=False)
    save(image, aff, out("cohort", "imagesTr", f"case{case:02d}_0000.nii.gz"), np.int16)
    save(labels, aff, out("cohort", "labelsTr", f"case{case:02d}.nii.gz"), np.uint8)
with open(out("cohort", "dataset.json"), "w") as f:
    json.dump({"channel_names": {"0": "MRI"}, "labels": {"background": 0, "cavity": 1},
               "numTraining": cases, "file_ending": ".nii.gz", "name": "SegmentFixture"}, f, indent=1)

# MARK: new scans with known masks, finer in-plane sampling of the same field of view
expected = {"nibabel": nib.__version__, "numpy": np.__version__, "scans": {}}
# Off-centre cavities (within the cohort's range), so that a mirrored or shifted output loses Dice.
for name, shape, zooms, angles, origin, centre in [
    ("scanA", (60, 50, 5), (1.2, 1.2, 7.5), (25.0, 10.0), (-92.5, 41.0, 17.25), (0.36, 0.62)),
    ("scanB", (66, 55, 4), (1.09, 1.31, 9.0), (-35.0, -5.0), (12.0, -60.5, -33.75), (0.64, 0.4)),
]:
    _, radius, wall = random_anatomy()
    image, labels = scene(*shape, centre, radius, wall)
    aff = affine(zooms, angles[0], angles[1], origin, flip_x=True)
    save(image, aff, out("scans", f"{name}.nii.gz"), np.int16)
    save(labels, aff, out("masks", f"{name}.nii.gz"), np.uint8)
    back = nib.load(out("scans", f"{name}.nii.gz"))
    expected["scans"][name] = {
        "shape": list(back.shape),
        "affine": back.affine.tolist(),
        "qform": back.get_qform().tolist(),
        "zooms": [float(z) for z in back.header.get_zooms()],
        "sform_code": int(back.header["sform_code"]),
        "qform_code": int(back.header["qform_code"]),
        "qfac": float(back.header["pixdim"][0]),
        "foreground_voxels": int((labels > 0).sum()),
    }

# MARK: a big-endian scan (as older scanners' converters write), for the header template's byte order
image, labels = scene(12, 10, 3, (0.5, 0.5), (0.25, 0.25), 0.1)
big = nib.Nifti1Image(image.astype(">i2"), affine((2.0, 1.5, 6.0), 15.0, 0.0, (5.0, -7.5, 30.0), flip_x=True),
                      nib.Nifti1Header(endianness=">"))
big.set_sform(big.affine, code=2)
big.set_qform(big.affine, code=1)
nib.save(big, out("bigendian", "scanC.nii.gz"))
expected["bigendian"] = {"shape": list(big.shape), "affine": nib.load(out("bigendian", "scanC.nii.gz")).affine.tolist(),
                         "endianness": nib.load(out("bigendian", "scanC.nii.gz")).header.endianness}

# MARK: a 2D image, which is not a scan to segment
not3d = nib.Nifti1Image(rng.integers(0, 100, size=(20, 16)).astype(np.int16), np.eye(4))
nib.save(not3d, out("not3d.nii.gz"))

with open(out("expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", HERE)
