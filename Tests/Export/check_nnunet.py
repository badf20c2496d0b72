#!/usr/bin/env python3
"""Checks an nnU-Net raw dataset folder the way nnU-Net v2's verify_dataset_integrity does, with nibabel
(nnunetv2 itself needs PyTorch, too heavy for CI): dataset.json's required keys, consecutive labels with
background 0 and the ignore label highest, one image per channel and one label per case, equal shapes,
spacings and affines of image and label, label values among the declared ones. Prints a JSON summary
(per case: shape, spacing, the z positions holding labels, the label values) for the calling test.
Exit status 1 with a message naming the file on the first failure."""
import json, os, sys

import nibabel
import numpy


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def main(folder):
    path = os.path.join(folder, "dataset.json")
    if not os.path.isfile(path):
        fail("no dataset.json in " + folder)
    with open(path) as f:
        spec = json.load(f)
    for key in ["channel_names", "labels", "numTraining", "file_ending"]:
        if key not in spec:
            fail("dataset.json lacks '%s'" % key)
    labels = spec["labels"]
    values = sorted(labels.values())
    if values != list(range(len(values))):
        fail("labels must be consecutive integers from 0, got %s" % values)
    if labels.get("background") != 0:
        fail("label 0 must be 'background'")
    if "ignore" in labels and labels["ignore"] != max(values):
        fail("the ignore label must be the highest, got %d of %s" % (labels["ignore"], values))
    ending = spec["file_ending"]
    channels = sorted(int(c) for c in spec["channel_names"])
    label_files = sorted(f for f in os.listdir(os.path.join(folder, "labelsTr")) if f.endswith(ending))
    cases = [f[: -len(ending)] for f in label_files]
    if len(cases) != spec["numTraining"]:
        fail("numTraining is %d but labelsTr holds %d cases" % (spec["numTraining"], len(cases)))
    images = set(os.listdir(os.path.join(folder, "imagesTr")))
    expected_images = {"%s_%04d%s" % (case, c, ending) for case in cases for c in channels}
    if images != expected_images:
        fail("imagesTr does not hold exactly one file per case and channel: missing %s, extra %s"
             % (sorted(expected_images - images)[:5], sorted(images - expected_images)[:5]))
    summary = {}
    for case in cases:
        label = nibabel.load(os.path.join(folder, "labelsTr", case + ending))
        data = numpy.asarray(label.dataobj)
        if not numpy.issubdtype(data.dtype, numpy.integer):
            fail("%s: labels must be integers, got %s" % (case, data.dtype))
        for c in channels:
            image = nibabel.load(os.path.join(folder, "imagesTr", "%s_%04d%s" % (case, c, ending)))
            if image.shape != label.shape:
                fail("%s: image shape %s differs from label shape %s" % (case, image.shape, label.shape))
            if not numpy.allclose(image.header.get_zooms(), label.header.get_zooms()):
                fail("%s: image spacing %s differs from label spacing %s" % (case, image.header.get_zooms(), label.header.get_zooms()))
            if not numpy.allclose(image.affine, label.affine):
                fail("%s: image and label affines differ" % case)
            if not numpy.isfinite(numpy.asarray(image.dataobj)).all():
                fail("%s: the image holds NaN or infinite values" % case)
        present = sorted(int(v) for v in numpy.unique(data))
        if not set(present) <= set(values):
            fail("%s: label values %s are not all declared in dataset.json %s" % (case, present, values))
        ignore = labels.get("ignore", -1)
        labeled_z = [int(z) for z in range(data.shape[2]) if (data[:, :, z] != ignore).any()]
        summary[case] = {"shape": list(label.shape), "spacing": [float(z) for z in label.header.get_zooms()],
                         "labeled_positions": labeled_z, "values": present}
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
