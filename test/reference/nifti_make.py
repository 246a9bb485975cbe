"""Writes the NIfTI cases the TypeScript reader is checked against (reference: nibabel).

Usage: nifti_make.py OUTDIR  -> writes files into OUTDIR and prints a JSON manifest
[{name, file, volumes, sform_code, qform_code}] on stdout. Header fields that nibabel will not
write on its own (odd scaling, broken qfac, vox_offset) are patched into the bytes afterwards.
"""

import gzip
import json
import os
import shutil
import struct
import sys

import nibabel as nib
import numpy as np

DATA = '/usr/lib/python3/dist-packages/nibabel/tests/data'
SHAPE = (7, 6, 5)
rng = np.random.default_rng(20240611)
out_dir = sys.argv[1]
manifest = []


def rotation(ax, ay, az):
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def oblique(zooms=(0.8, 1.25, 3.0), angles=(0.2, -0.15, 0.4), flip=False, origin=(-40.5, 22.25, 7.0)):
    a = np.eye(4)
    r = rotation(*angles)
    if flip:
        r = r @ np.diag([1, 1, -1])
    a[:3, :3] = r @ np.diag(zooms)
    a[:3, 3] = origin
    return a


def data_for(dtype, shape=SHAPE):
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    if dt.kind == 'f':
        v = rng.normal(0, 1000, n)
        v[:3] = [0.0, -1.5e-3, 2.5e4]
    else:
        info = np.iinfo(dt)
        lo, hi = max(info.min, -(2**52)), min(info.max, 2**52)
        v = rng.integers(lo, hi, n, dtype=np.int64 if dt != np.uint64 else np.uint64, endpoint=True)
        v[:2] = [lo, hi]
    return v.astype(dt).reshape(shape, order='F')


def header(klass=nib.Nifti1Header, endian='<', dtype=np.int16, shape=SHAPE):
    h = klass(endianness=endian)
    h.set_data_dtype(dtype)
    h.set_data_shape(shape)
    return h


def with_forms(h, sform=None, scode=0, qform=None, qcode=0):
    h.set_sform(sform if sform is not None else np.eye(4), code=scode)
    h.set_qform(qform if qform is not None else np.eye(4), code=qcode)
    return h


def save(name, h, data, image_klass=nib.Nifti1Image, volumes=1):
    img = image_klass(data, None, header=h)
    path = os.path.join(out_dir, name)
    img.to_filename(path)
    manifest.append(
        {
            'name': name,
            'file': path,
            'volumes': volumes,
            'sform_code': int(h['sform_code']),
            'qform_code': int(h['qform_code']),
            'endianness': h.endianness,
        }
    )
    return path


def patch(path, offset, fmt, value):
    with open(path, 'r+b') as f:
        f.seek(offset)
        f.write(struct.pack(fmt, value))


aff = oblique()
both = dict(sform=aff, scode=2, qform=aff, qcode=1)

# Every datatype, little- and big-endian.
for dt in ['u1', 'i1', 'i2', 'u2', 'i4', 'u4', 'f4', 'f8', 'i8', 'u8']:
    save(f'dtype_{dt}.nii', with_forms(header(dtype=dt), **both), data_for(dt))
for dt in ['i2', 'u2', 'i4', 'u4', 'f4', 'f8', 'i8']:
    save(f'be_{dt}.nii', with_forms(header(endian='>', dtype=dt), **both), data_for(dt))

# Scaling (patched after writing so nibabel's writer cannot rescale the data).
for name, dt, endian, slope, inter in [
    ('scaled_i2.nii', 'i2', '<', 2.5, -10.0),
    ('scaled_u1.nii', 'u1', '<', 0.5, 3.0),
    ('scaled_f4.nii', 'f4', '<', 2.0, 1.0),
    ('scaled_f8.nii', 'f8', '<', 3.0, 0.25),
    ('scaled_i8.nii', 'i8', '<', 0.5, 0.0),
    ('scaled_be_i2.nii', 'i2', '>', -1.5, 100.0),
    ('slope0_i2.nii', 'i2', '<', 0.0, 7.0),
    ('slopenan_i2.nii', 'i2', '<', float('nan'), 7.0),
    ('slope1_i2.nii', 'i2', '<', 1.0, 0.0),
]:
    path = save(name, with_forms(header(endian=endian, dtype=dt), **both), data_for(dt))
    patch(path, 112, endian + 'f', slope)
    patch(path, 116, endian + 'f', inter)

# Which transform wins.
other = oblique(zooms=(2, 2, 2), angles=(0, 0, 0.3), origin=(1, 2, 3))
save('sform_only.nii', with_forms(header(), sform=aff, scode=2, qform=other, qcode=0), data_for('i2'))
save('qform_only.nii', with_forms(header(), sform=other, scode=0, qform=aff, qcode=1), data_for('i2'))
save('neither.nii', with_forms(header(), sform=other, scode=0, qform=other, qcode=0), data_for('i2'))
save('sform_wins.nii', with_forms(header(), sform=aff, scode=4, qform=other, qcode=1), data_for('i2'))
flipped = oblique(flip=True, zooms=(0.5, 0.7, 2.5))
save('qform_flipped.nii', with_forms(header(), qform=flipped, qcode=2), data_for('i2'))
# nibabel repairs on load: qfac 0 -> 1, negative pixdim -> abs, invalid sform_code -> 0.
path = save('repairs.nii', with_forms(header(), sform=other, scode=0, qform=aff, qcode=1), data_for('i2'))
patch(path, 76, '<f', 0.0)
patch(path, 84, '<f', -1.25)
patch(path, 254, '<h', 9)
manifest[-1]['sform_code'] = 9

# Extension (vox_offset past 352), 2-D, 4-D, 5-D, gzip.
h = with_forms(header(), **both)
h.extensions.append(nib.nifti1.Nifti1Extension('comment', b'hello from nibabel, padded'))
save('extension.nii', h, data_for('i2'))
save('two_d.nii', with_forms(header(shape=(7, 6)), **both), data_for('i2', (7, 6)))
path = save('two_d_noform.nii', with_forms(header(shape=(7, 6))), data_for('i2', (7, 6)))
patch(path, 88, '<f', 5.0)  # pixdim[3]: nibabel ignores it for a 2-D base affine
save('four_d.nii.gz', with_forms(header(shape=SHAPE + (3,)), **both), data_for('i2', SHAPE + (3,)), volumes=3)
save('five_d.nii', with_forms(header(dtype='f4', shape=SHAPE + (1, 2)), **both), data_for('f4', SHAPE + (1, 2)), volumes=2)
save('gz_i2.nii.gz', with_forms(header(), **both), data_for('i2'))
save('gz_be_f4.nii.gz', with_forms(header(endian='>', dtype='f4'), **both), data_for('f4'))

# NIfTI-2.
n2 = dict(klass=nib.Nifti2Header)
save('nifti2.nii', with_forms(header(**n2), **both), data_for('i2'), nib.Nifti2Image)
save('nifti2_be_f8.nii', with_forms(header(endian='>', dtype='f8', **n2), **both), data_for('f8'), nib.Nifti2Image)
save('nifti2.nii.gz', with_forms(header(dtype='u2', **n2), sform=aff, scode=3), data_for('u2'), nib.Nifti2Image)
path = save('nifti2_scaled.nii', with_forms(header(**n2), **both), data_for('i2'), nib.Nifti2Image)
patch(path, 176, '<d', 0.125)
patch(path, 184, '<d', -3.0)
save('nifti2_4d.nii', with_forms(header(shape=SHAPE + (2,), **n2), **both), data_for('i2', SHAPE + (2,)), nib.Nifti2Image, 2)

# .hdr/.img pairs.
# (Pair images convert a plain header to a pair header, dropping its byte order.)
p1 = dict(klass=nib.nifti1.Nifti1PairHeader)
save('pair1.hdr', with_forms(header(**p1), **both), data_for('i2'), nib.Nifti1Pair)
save('pair1_gz.img.gz', with_forms(header(endian='>', dtype='f4', **p1), **both), data_for('f4'), nib.Nifti1Pair)
save('pair2.hdr', with_forms(header(endian='>', dtype='i4', klass=nib.nifti2.Nifti2PairHeader), **both), data_for('i4'), nib.Nifti2Pair)
path = save('pair_offset.hdr', with_forms(header(**p1), sform=aff, scode=1), data_for('i2'), nib.Nifti1Pair)
patch(path, 108, '<f', 16.0)
img_path = path[:-4] + '.img'
with open(img_path, 'rb') as f:
    body = f.read()
with open(img_path, 'wb') as f:
    f.write(b'\x00' * 16 + body)

# nibabel's own header-only test files, given an image file of the right size.
for hdr_name, klass in [('nifti1.hdr', nib.Nifti1Header), ('nifti2.hdr', nib.Nifti2Header)]:
    dst = os.path.join(out_dir, 'nibabel_' + hdr_name)
    shutil.copyfile(os.path.join(DATA, hdr_name), dst)
    with open(dst, 'rb') as f:
        h = klass.from_fileobj(f)
    raw = data_for(h.get_data_dtype().newbyteorder('='), h.get_data_shape())
    with open(dst[:-4] + '.img', 'wb') as f:
        f.seek(int(h['vox_offset']))
        f.write(raw.astype(h.get_data_dtype()).tobytes(order='F'))
    manifest.append({'name': 'nibabel_' + hdr_name, 'file': dst, 'volumes': 1,
                     'sform_code': int(h['sform_code']), 'qform_code': int(h['qform_code']),
                     'endianness': h.endianness})

json.dump(manifest, sys.stdout)
