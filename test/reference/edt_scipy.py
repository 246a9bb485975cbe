# Reference for the distance-transform and SDM integration tests (Debian Python, run by Vitest):
# scipy's exact EDT and a replica of DTC's `compute_sdf`, fed masks as JSON on stdin.
#
# Input:  {"mode": "edt" | "sdm", "cases": [{"dims": [nx, ny, nz], "spacing": [sx, sy, sz],
#          "mask": [...] (i-fastest)}]}
# Output: {"results": [[...] (i-fastest, NaN written as null)]}
import json
import sys

import numpy as np
from scipy import ndimage


def to_ijk(flat, dims):
    nx, ny, nz = dims
    # i-fastest data is C-order (k, j, i); transpose to nibabel's [i, j, k] indexing.
    return np.asarray(flat, dtype=np.uint8).reshape(nz, ny, nx).transpose(2, 1, 0)


def to_flat(arr):
    return arr.transpose(2, 1, 0).ravel()


def inner_boundary(posmask):
    # skimage.segmentation.find_boundaries(mode='inner', connectivity=1) re-expressed with scipy:
    # dilation != erosion with the 6-neighbour cross, reflect border, restricted to the object.
    labels = posmask.astype(np.uint8)
    cross = ndimage.generate_binary_structure(3, 1)
    dil = ndimage.grey_dilation(labels, footprint=cross, mode="reflect")
    ero = ndimage.grey_erosion(labels, footprint=cross, mode="reflect")
    return (dil != ero) & posmask


def compute_sdf(mask, spacing):
    # DTC compute_sdf for one item: min-max normalised distances, inner boundary set to 0,
    # computed only when there is foreground (otherwise zeros).
    posmask = mask.astype(bool)
    out = np.zeros(mask.shape, dtype=np.float64)
    if posmask.any():
        negmask = ~posmask
        posdis = ndimage.distance_transform_edt(posmask, sampling=spacing)
        negdis = ndimage.distance_transform_edt(negmask, sampling=spacing)
        with np.errstate(invalid="ignore", divide="ignore"):
            sdf = (negdis - negdis.min()) / (negdis.max() - negdis.min()) - (
                posdis - posdis.min()
            ) / (posdis.max() - posdis.min())
        sdf[inner_boundary(posmask)] = 0
        out = sdf
    return out


def main():
    request = json.load(sys.stdin)
    results = []
    for case in request["cases"]:
        mask = to_ijk(case["mask"], case["dims"])
        spacing = case.get("spacing") or [1.0, 1.0, 1.0]
        if request["mode"] == "edt":
            values = ndimage.distance_transform_edt(mask, sampling=spacing)
        else:
            values = compute_sdf(mask, spacing)
        flat = to_flat(values)
        results.append([None if np.isnan(x) else float(x) for x in flat])
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
