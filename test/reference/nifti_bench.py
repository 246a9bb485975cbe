"""Times nibabel reading a NIfTI file (reference for bench/io.bench.ts).

Usage: nifti_bench.py PATH RUNS  -> prints JSON {"seconds": [...], "median": s, "shape": [...]}
Each run is nibabel.load(PATH).get_fdata(), timed inside Python (no interpreter start-up).
"""

import json
import statistics
import sys
import time

import nibabel as nib

path, runs = sys.argv[1], int(sys.argv[2])
seconds = []
for _ in range(runs):
    start = time.perf_counter()
    data = nib.load(path).get_fdata()
    seconds.append(time.perf_counter() - start)
    shape = list(data.shape)
    del data
json.dump({'seconds': seconds, 'median': statistics.median(seconds), 'shape': shape}, sys.stdout)
