"""Reads a demo dataset with nibabel (the reference NIfTI reader) and prints, as JSON, what
test/integration/demo.test.ts checks: per-file shape, dtype, affine, header codes, value
statistics and, for labels, the 26-connected component count from scipy.ndimage.label."""
import json
import os
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage


def describe(path, is_label):
    img = nib.load(path)
    data = np.asarray(img.dataobj)
    hdr = img.header
    out = {
        "shape": list(data.shape),
        "dtype": str(data.dtype),
        "affine": img.affine.tolist(),
        "sform_code": int(hdr["sform_code"]),
        "qform_code": int(hdr["qform_code"]),
        "qform_affine": hdr.get_qform().tolist(),
        "zooms": [float(z) for z in hdr.get_zooms()],
        "min": float(data.min()),
        "max": float(data.max()),
        "sum": float(data.astype(np.float64).sum()),
        "sumsq": float((data.astype(np.float64) ** 2).sum()),
        # Voxel (i, j, k) values at fixed probes, to compare with the generator in memory.
        "probes": [float(data[i, j, k]) for i, j, k in probes(data.shape)],
    }
    if is_label:
        _, count = ndimage.label(data > 0, structure=np.ones((3, 3, 3)))
        out["values"] = sorted(int(v) for v in np.unique(data))
        out["components26"] = int(count)
    return out


def probes(shape):
    nx, ny, nz = shape
    return [(0, 0, 0), (nx // 2, ny // 2, nz // 2), (nx - 1, ny // 3, nz - 1), (nx // 4, ny - 1, nz // 3)]


def main():
    root = sys.argv[1]
    with open(os.path.join(root, "dataset.json")) as f:
        meta = json.load(f)
    result = {"training": [], "test": []}
    for case in meta["training"]:
        result["training"].append(
            {
                "image": describe(os.path.join(root, case["image"]), False),
                "label": describe(os.path.join(root, case["label"]), True),
            }
        )
    for image, label in zip(meta["test"], meta["testLabels"]):
        result["test"].append(
            {
                "image": describe(os.path.join(root, image), False),
                "label": describe(os.path.join(root, label), True),
            }
        )
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
