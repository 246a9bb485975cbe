#!/usr/bin/env python3
"""Reads NIfTI label files with nibabel for the UI browser tests (test/e2e).

usage: ui_label_voxels.py [--no-voxels] [--image IMAGE] FILE [FILE ...]
Prints one JSON object per file (a JSON list): shape, dtype, affine (nibabel's best affine,
voxel -> RAS+ mm) and, unless --no-voxels, every non-zero voxel as [i, j, k, value] — or
[i, j, k, value, intensity] with --image, the intensity being IMAGE's voxel there.
"""
import json
import sys

import nibabel as nib
import numpy as np


def describe(path, with_voxels=True, image=None):
    label = nib.load(path)
    result = {
        "path": path,
        "shape": list(label.shape),
        "dtype": str(label.get_data_dtype()),
        "affine": label.affine.tolist(),
        "voxels": [],
    }
    if not with_voxels:
        return result
    data = np.asanyarray(label.dataobj)
    nonzero = np.argwhere(data != 0)
    index = tuple(nonzero.T)
    values = data[index] if len(nonzero) else np.array([], dtype=data.dtype)
    columns = [nonzero[:, 0], nonzero[:, 1], nonzero[:, 2], values]
    if image is not None:
        columns.append(image[index] if len(nonzero) else np.array([]))
    result["voxels"] = [[float(x) if n == 4 else int(x) for n, x in enumerate(row)] for row in zip(*columns)]
    return result


def main(args):
    with_voxels = "--no-voxels" not in args
    args = [a for a in args if a != "--no-voxels"]
    image = None
    if "--image" in args:
        at = args.index("--image")
        image = np.asanyarray(nib.load(args[at + 1]).dataobj)
        del args[at : at + 2]
    print(json.dumps([describe(p, with_voxels, image) for p in args]))


if __name__ == "__main__":
    main(sys.argv[1:])
