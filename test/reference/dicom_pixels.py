"""Reference pixels for the DICOM importer tests: pydicom's pixel_array, before and after the
modality LUT (RescaleSlope/Intercept), for each file given.

Usage: dicom_pixels.py OUT_DIR FILE...
Writes OUT_DIR/<n>.raw.f64 and OUT_DIR/<n>.rescaled.f64 (little-endian float64, row-major,
column index fastest) for the n-th file and prints one JSON list with, per file,
{file, ok, shape, dtype} or {file, ok: false, error}.
"""
import json
import sys
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut


def main() -> None:
    out_dir, files = sys.argv[1], sys.argv[2:]
    results = []
    for n, path in enumerate(files):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = pydicom.dcmread(path, force=True)
                raw = ds.pixel_array
                rescaled = apply_modality_lut(raw, ds)
        except Exception as error:  # the reference cannot decode it: say so, the test decides
            results.append({"file": path, "ok": False, "error": f"{type(error).__name__}: {error}"})
            continue
        raw.astype("<f8").tofile(f"{out_dir}/{n}.raw.f64")
        np.asarray(rescaled).astype("<f8").tofile(f"{out_dir}/{n}.rescaled.f64")
        results.append({"file": path, "ok": True, "shape": list(raw.shape), "dtype": str(raw.dtype)})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
