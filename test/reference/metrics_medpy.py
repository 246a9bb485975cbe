# Reference for the metrics tests (Debian Python, run by Vitest): Dice, Jaccard, hd95, asd and
# assd written out with numpy/scipy following medpy.metric.binary's definitions (medpy itself is
# not installed): surface = mask XOR binary_erosion(mask, 6-cross) with scipy's default
# border_value 0, distances = distance_transform_edt(~other_surface, sampling)[surface],
# hd95 = numpy.percentile of both directions pooled, asd = mean pred->truth,
# assd = mean of the two directional means. Empty masks: distances None, Dice 0 (1 if both empty).
#
# Input (stdin JSON), either
#   {"cases": [{"dims": [nx, ny, nz], "spacing": [sx, sy, sz], "label": 1,
#               "pred": base64 uint8 i-fastest, "truth": base64 uint8 i-fastest}]}
# or
#   {"files": [{"pred": path, "truth": path, "label": 1}]}   (NIfTI, spacing = header zooms)
# Output: {"results": [{"dice", "jaccard", "hd95", "asd", "assd", "hd95Mm", "asdMm", "assdMm",
#                       "predEmpty", "truthEmpty"}]}
import base64
import json
import sys

import numpy as np
from scipy import ndimage


def from_base64(text, dims):
    nx, ny, nz = dims
    flat = np.frombuffer(base64.b64decode(text), dtype=np.uint8)
    # i-fastest bytes are C-order (k, j, i); transpose to nibabel's [i, j, k] indexing.
    return flat.reshape(nz, ny, nx).transpose(2, 1, 0)


def surface(mask):
    cross = ndimage.generate_binary_structure(3, 1)
    return mask ^ ndimage.binary_erosion(mask, structure=cross, iterations=1)


def directed(a, b, spacing):
    dt = ndimage.distance_transform_edt(~surface(b), sampling=spacing)
    return dt[surface(a)]


def distances(pred, truth, spacing):
    if not pred.any() or not truth.any():
        return None, None, None
    p2t = directed(pred, truth, spacing)
    t2p = directed(truth, pred, spacing)
    hd95 = float(np.percentile(np.hstack((p2t, t2p)), 95))
    asd = float(p2t.mean())
    assd = float(np.mean((p2t.mean(), t2p.mean())))
    return hd95, asd, assd


def metrics(pred_labels, truth_labels, label, spacing):
    pred = pred_labels == label
    truth = truth_labels == label
    inter = int(np.count_nonzero(pred & truth))
    np_, nt = int(np.count_nonzero(pred)), int(np.count_nonzero(truth))
    union = np_ + nt - inter
    dice = 1.0 if union == 0 else 2.0 * inter / (np_ + nt)
    jac = 1.0 if union == 0 else inter / union
    hd95, asd, assd = distances(pred, truth, (1.0, 1.0, 1.0))
    hd95mm, asdmm, assdmm = distances(pred, truth, tuple(float(s) for s in spacing))
    return dict(dice=dice, jaccard=jac, hd95=hd95, asd=asd, assd=assd, hd95Mm=hd95mm,
                asdMm=asdmm, assdMm=assdmm, predEmpty=np_ == 0, truthEmpty=nt == 0)


def main():
    request = json.load(sys.stdin)
    results = []
    for c in request.get("cases", []):
        pred = from_base64(c["pred"], c["dims"])
        truth = from_base64(c["truth"], c["dims"])
        results.append(metrics(pred, truth, c.get("label", 1), c["spacing"]))
    for f in request.get("files", []):
        import nibabel as nib

        pred_img, truth_img = nib.load(f["pred"]), nib.load(f["truth"])
        pred = np.asanyarray(pred_img.dataobj)
        truth = np.asanyarray(truth_img.dataobj)
        spacing = truth_img.header.get_zooms()[:3]
        results.append(metrics(pred, truth, f.get("label", 1), spacing))
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
