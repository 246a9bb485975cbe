"""Reference for the demo generator's field helpers (src/core/demo/field.ts): reads JSON
{dims, sigma, data, radius, mask} from stdin and prints scipy.ndimage's Gaussian blur
(mode 'nearest', truncate 3) and box dilation. Arrays are i-fastest (NIfTI order)."""
import json
import sys

import numpy as np
from scipy import ndimage


def main():
    req = json.load(sys.stdin)
    nx, ny, nz = req["dims"]
    # i-fastest flat data is C-order (k, j, i); scipy's axes are therefore reversed.
    data = np.asarray(req["data"], dtype=np.float64).reshape(nz, ny, nx)
    sx, sy, sz = req["sigma"]
    blurred = ndimage.gaussian_filter(data, sigma=(sz, sy, sx), mode="nearest", truncate=3.0)
    rx, ry, rz = req["radius"]
    mask = np.asarray(req["mask"], dtype=bool).reshape(nz, ny, nx)
    box = np.ones((2 * rz + 1, 2 * ry + 1, 2 * rx + 1), dtype=bool)
    dilated = ndimage.binary_dilation(mask, structure=box)
    eroded = ndimage.binary_erosion(mask, structure=box, border_value=1)
    json.dump(
        {
            "blurred": blurred.ravel().tolist(),
            "dilated": dilated.astype(int).ravel().tolist(),
            "eroded": eroded.astype(int).ravel().tolist(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
