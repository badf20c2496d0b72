#!/usr/bin/env python3
"""nnU-Net's own check of a folder written by `activeseg export --format nnunet`, for a Python that has nnunetv2
(pip install nnunetv2; it pulls in PyTorch, so CI runs check_nnunet.py, the same checks with nibabel, instead).

  python Tests/Export/verify_with_nnunetv2.py nnUNet_raw/Dataset501_Phantom

Run on 2026-12-03 with nnunetv2 2.8.1 on a scribble-supervised phantom run: verify_dataset_integrity passed.
"""
import sys

from nnunetv2.experiment_planning.verify_dataset_integrity import verify_dataset_integrity

if __name__ == "__main__":  # nnunetv2 checks the cases in spawned processes, which re-import this file
    if len(sys.argv) != 2:
        sys.exit("usage: verify_with_nnunetv2.py DATASET_FOLDER")
    verify_dataset_integrity(sys.argv[1], num_processes=1)
    print("nnunetv2 verify_dataset_integrity: passed")
