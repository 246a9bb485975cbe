"""Reports what nibabel reads from NIfTI files (the reference for our reader and writer).

Usage: nifti_dump.py OUTDIR SPEC...   SPEC is PATH or PATH::VOLUME (index into dims 4+).
Prints a JSON list, one entry per SPEC, and writes each image's get_fdata() (the chosen
volume only) to OUTDIR/<n>.f64 as raw float64 in Fortran (i-fastest) order.
"""

import json
import math
import os
import sys

import nibabel as nib
import numpy as np


def clean(value):
    """JSON-safe: numpy -> Python, NaN/inf -> strings."""
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, bytes):
        return value.decode('latin-1').rstrip('\x00')
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def raw_header(img):
    """The header exactly as stored in the file (nibabel's loaded header is repaired/reset)."""
    holder = img.file_map.get('header', img.file_map['image'])
    with nib.openers.ImageOpener(holder.filename) as f:
        h = type(img.header).from_fileobj(f, check=False)
    fields = ['sform_code', 'qform_code', 'quatern_b', 'quatern_c', 'quatern_d', 'qoffset_x',
              'qoffset_y', 'qoffset_z', 'xyzt_units', 'vox_offset', 'scl_slope', 'scl_inter',
              'cal_min', 'cal_max', 'descrip', 'magic', 'datatype', 'bitpix']
    raw = {k: clean(h[k]) for k in fields}
    raw['pixdim'] = clean(h['pixdim'])
    raw['dim'] = clean(h['dim'])
    raw['srow'] = clean(np.concatenate([h['srow_x'], h['srow_y'], h['srow_z']]))
    raw['endianness'] = h.endianness
    raw['sizeof_hdr'] = clean(h['sizeof_hdr'])
    return raw


def raw_block(img):
    holder = img.file_map.get('header', img.file_map['image'])
    with nib.openers.ImageOpener(holder.filename) as f:
        return f.read(type(img.header).template_dtype.itemsize)


def describe(spec, n, out_dir):
    path, _, volume = spec.partition('::')
    img = nib.load(path)
    h = img.header
    data = img.get_fdata()
    spatial = data.shape[:3] + (1,) * (3 - min(3, data.ndim))
    flat = data.reshape(spatial + (-1,), order='F')
    chosen = flat[..., int(volume) if volume else 0]
    out = os.path.join(out_dir, f'{n}.f64')
    np.asfortranarray(chosen, dtype='<f8').T.tofile(out)  # .T of F-order = C-order bytes i-fastest
    sform, scode = h.get_sform(coded=True)
    qform, qcode = h.get_qform(coded=True)
    # nibabel moves scaling from the header into the array proxy on load.
    slope, inter = img.dataobj.slope, img.dataobj.inter
    return {
        'spec': spec,
        'class': type(img).__name__,
        'shape': list(img.shape),
        'volumes': int(flat.shape[-1]),
        'endianness': h.endianness,
        'dtype': str(h.get_data_dtype().newbyteorder('=')),
        'affine': clean(img.affine),
        'sform': clean(sform) if sform is not None else None,
        'sform_code': int(scode),
        'qform': clean(qform) if qform is not None else None,
        'qform_code': int(qcode),
        'zooms': clean(h.get_zooms()[:3]),
        'slope': clean(slope),
        'inter': clean(inter),
        'raw': raw_header(img),
        'diagnose': type(h).diagnose_binaryblock(raw_block(img)),
        'data': out,
    }


def main():
    nib.imageglobals.logger.setLevel(40)  # header repairs are expected in some cases
    out_dir = sys.argv[1]
    json.dump([describe(spec, n, out_dir) for n, spec in enumerate(sys.argv[2:])], sys.stdout)


main()
