"""Independent reference for stacking DICOM slices into a volume (pydicom + numpy).

Usage: dicom_reference_volume.py OUT_FILE FILE...
Sorts the slices by the projection of ImagePositionPatient on the slice normal
(row cosine x column cosine), stacks pydicom's modality-LUT output, and writes it to OUT_FILE as
little-endian float64 in [k][j][i] order (i = column index fastest). Prints JSON with the
voxel->RAS affine (row-major 4x4, from IPP/IOP/PixelSpacing, LPS negated in x and y), the
instance numbers in volume order and the slice spacing.
"""
import json
import sys
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut


def main() -> None:
    out_file, files = sys.argv[1], sys.argv[2:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        slices = [pydicom.dcmread(f, force=True) for f in files]
    iop = np.array(slices[0].ImageOrientationPatient, dtype=float)
    row_cos, col_cos = iop[:3], iop[3:]
    normal = np.cross(row_cos, col_cos)
    positions = [np.array(s.ImagePositionPatient, dtype=float) for s in slices]
    order = sorted(range(len(slices)), key=lambda n: float(positions[n] @ normal))
    distances = [float(positions[n] @ normal) for n in order]
    spacing = (distances[-1] - distances[0]) / (len(order) - 1) if len(order) > 1 else float(slices[0].SliceThickness)
    row_spacing, col_spacing = (float(v) for v in slices[0].PixelSpacing)
    lps = np.eye(4)
    lps[:3, 0] = row_cos * col_spacing  # i: along a row, i.e. to the next column
    lps[:3, 1] = col_cos * row_spacing  # j: down a column, i.e. to the next row
    lps[:3, 2] = normal * spacing
    lps[:3, 3] = positions[order[0]]
    ras = np.diag([-1.0, -1.0, 1.0, 1.0]) @ lps
    volume = np.stack([apply_modality_lut(slices[n].pixel_array, slices[n]) for n in order])
    volume.astype("<f8").tofile(out_file)
    print(
        json.dumps(
            {
                "affine": ras.flatten().tolist(),
                "instanceNumbers": [int(slices[n].InstanceNumber) for n in order],
                "files": [files[n] for n in order],
                "spacing": spacing,
                "shape": list(volume.shape),
            }
        )
    )


if __name__ == "__main__":
    main()
