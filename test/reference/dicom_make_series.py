"""Builds the DICOM folders the importer's integration tests read, from pydicom's test files.

Usage: dicom_make_series.py ROOT
Creates ROOT/<scenario>/... and prints a JSON manifest. Every slice gets fresh UIDs, so series
are grouped only by what this script intends. Names are shuffled so that file order says
nothing about slice order.
"""
import copy
import json
import os
import random
import shutil
import sys
import warnings

import numpy as np
import pydicom
from pydicom.encaps import encapsulate
from pydicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    RLELossless,
    generate_uid,
)

sys.path.insert(0, os.path.dirname(__file__))
from dicom_jpeg_lossless_encoder import encode_lossless  # noqa: E402

TEST_FILES = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
RNG = random.Random(1234)
UID_COUNTER = [0]

warnings.simplefilter("ignore")


def uid() -> str:
    UID_COUNTER[0] += 1
    return generate_uid(entropy_srcs=["simcvd-dicom-test", str(UID_COUNTER[0])])


def base(name: str) -> pydicom.Dataset:
    return pydicom.dcmread(os.path.join(TEST_FILES, name))


def rotation(ax: float, az: float) -> np.ndarray:
    cx, sx, cz, sz = np.cos(ax), np.sin(ax), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ rx


def set_pixels(ds: pydicom.Dataset, pixels: np.ndarray) -> None:
    dtype = ds.pixel_array.dtype.newbyteorder("<")
    ds.Rows, ds.Columns = pixels.shape
    ds.PixelData = pixels.astype(dtype).tobytes()


def save(ds: pydicom.Dataset, path: str, syntax=ExplicitVRLittleEndian) -> str:
    ds = copy.deepcopy(ds)
    if syntax == RLELossless:
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.compress(RLELossless)
    else:
        if syntax == ExplicitVRBigEndian:
            # pydicom writes the data set big-endian but leaves PixelData bytes as they are.
            arr = ds.pixel_array
            ds.PixelData = arr.astype(arr.dtype.newbyteorder(">")).tobytes()
        ds.file_meta.TransferSyntaxUID = syntax
        ds.is_little_endian = syntax != ExplicitVRBigEndian
        ds.is_implicit_VR = syntax == ImplicitVRLittleEndian
    ds.save_as(path, write_like_original=False)
    return path


def stack(
    source: str,
    folder: str,
    count: int,
    spacing: float,
    origin=(0.0, 0.0, 0.0),
    rot=np.eye(3),
    instance=lambda k: k + 1,
    syntaxes=(ExplicitVRLittleEndian,),
    slope_intercept=None,
    series_uid=None,
    description="test series",
    study_uid=None,
    skip=(),
    crop=None,
    pixel_spacing=None,
    window=None,
):
    """Writes `count` parallel slices along rot's third axis; returns the written paths."""
    os.makedirs(folder, exist_ok=True)
    template = base(source)
    series_uid = series_uid or uid()
    study_uid = study_uid or uid()
    row, col = rot[:, 0], rot[:, 1]
    normal = np.cross(row, col)
    paths = []
    for k in range(count):
        if k in skip:
            continue
        ds = copy.deepcopy(template)
        pixels = ds.pixel_array.astype(np.int32) + 7 * k
        set_pixels(ds, pixels[: crop[0], : crop[1]] if crop else pixels)
        if pixel_spacing:
            ds.PixelSpacing = list(pixel_spacing)
        if window:
            ds.WindowCenter, ds.WindowWidth = window
        ds.SeriesInstanceUID, ds.StudyInstanceUID = series_uid, study_uid
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = uid()
        ds.SeriesDescription = description
        ds.InstanceNumber = instance(k)
        ds.ImageOrientationPatient = [round(float(v), 6) for v in (*row, *col)]
        ds.ImagePositionPatient = [round(float(v), 4) for v in np.array(origin) + k * spacing * normal]
        ds.SliceThickness = spacing
        if slope_intercept:
            ds.RescaleSlope, ds.RescaleIntercept = slope_intercept(k)
        name = f"{RNG.getrandbits(40):010x}" + (".dcm" if k % 2 else "")
        paths.append(save(ds, os.path.join(folder, name), syntaxes[k % len(syntaxes)]))
    return paths


def encapsulated(ds: pydicom.Dataset, frame: bytes, syntax: str) -> pydicom.Dataset:
    ds = copy.deepcopy(ds)
    ds.PixelData = encapsulate([frame])
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.file_meta.TransferSyntaxUID = syntax
    ds.is_little_endian, ds.is_implicit_VR = True, False
    return ds


def codec_files(folder: str) -> dict:
    """Single files whose pixels pydicom cannot decode here, each with an uncompressed twin."""
    os.makedirs(folder, exist_ok=True)
    mr = base("MR_small.dcm")
    out = {}
    # JPEG Lossless SV1, 16-bit signed data coded as its unsigned bit patterns.
    pixels = mr.pixel_array
    jpeg = encapsulated(mr, encode_lossless(pixels.view(np.uint16), 16), "1.2.840.10008.1.2.4.70")
    out["jpegLossless16"] = save_as_is(jpeg, os.path.join(folder, "jpll16.dcm"))
    # 12-bit signed in 16-bit containers, with negative values.
    twelve = np.clip(pixels.astype(np.int32) - 1000, -2048, 2047).astype(np.int16)
    mr12 = copy.deepcopy(mr)
    mr12.BitsStored, mr12.HighBit = 12, 11
    set_pixels(mr12, twelve)
    out["jpegLossless12Twin"] = save(mr12, os.path.join(folder, "jpll12_native.dcm"))
    jpeg12 = encapsulated(mr12, encode_lossless(twelve.view(np.uint16) & 0xFFF, 12), "1.2.840.10008.1.2.4.70")
    out["jpegLossless12"] = save_as_is(jpeg12, os.path.join(folder, "jpll12.dcm"))
    # 8-bit unsigned: baseline JPEG (Pillow, which pydicom also decodes with) and RLE.
    eight = copy.deepcopy(mr)
    eight.BitsAllocated = eight.BitsStored = 8
    eight.HighBit, eight.PixelRepresentation = 7, 0
    scaled = (pixels.astype(np.float64) * 255 / pixels.max()).round().astype(np.uint8)
    eight.PixelData = scaled.tobytes()
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.fromarray(scaled, mode="L").save(buffer, format="JPEG", quality=90)
    out["jpegBaseline"] = save_as_is(
        encapsulated(eight, buffer.getvalue(), "1.2.840.10008.1.2.4.50"), os.path.join(folder, "jpeg8.dcm")
    )
    out["rle8"] = save(eight, os.path.join(folder, "rle8.dcm"), RLELossless)
    out["rle8Twin"] = save(eight, os.path.join(folder, "rle8_native.dcm"))
    out["deflated"] = save(mr, os.path.join(folder, "deflated.dcm"), DeflatedExplicitVRLittleEndian)
    # An unsupported syntax (MPEG2) wrapped around ordinary bytes: must be refused by name.
    mpeg = encapsulated(mr, mr.PixelData, "1.2.840.10008.1.2.4.100")
    out["unsupportedSyntax"] = save_as_is(mpeg, os.path.join(folder, "mpeg2.dcm"))
    # No preamble and no meta header, implicit and explicit VR little endian.
    for key, syntax in (("noMetaImplicit", ImplicitVRLittleEndian), ("noMetaExplicit", ExplicitVRLittleEndian)):
        bare = copy.deepcopy(mr)
        bare.is_little_endian, bare.is_implicit_VR = True, syntax == ImplicitVRLittleEndian
        del bare.file_meta
        bare.preamble = None
        path = os.path.join(folder, f"{key}.dcm")
        pydicom.filewriter.dcmwrite(path, bare, write_like_original=True)
        out[key] = path
    return out


def save_as_is(ds: pydicom.Dataset, path: str) -> str:
    ds.save_as(path, write_like_original=False)
    return path


def main() -> None:
    root = sys.argv[1]
    manifest = {}
    oblique = rotation(np.radians(20), np.radians(30))
    manifest["oblique"] = stack(
        "CT_small.dcm",
        os.path.join(root, "oblique"),
        6,
        2.5,
        origin=(-100.0, 50.0, 30.0),
        rot=oblique,
        instance=lambda k: 6 - k,  # instance numbers run against the normal
        crop=(120, 100),  # Rows != Columns and PixelSpacing row != column catch any i/j swap
        pixel_spacing=(0.7, 0.55),
        window=([40, 50], [400, 500]),
        syntaxes=(ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian, RLELossless),
    )
    manifest["floatRescale"] = stack(
        "MR_small.dcm",
        os.path.join(root, "float_rescale"),
        4,
        3.0,
        slope_intercept=lambda k: (0.25 if k != 2 else 0.5, 10.5),
    )
    two = os.path.join(root, "two_series")
    study = uid()
    manifest["twoSeriesA"] = stack("MR_small.dcm", two, 3, 1.5, study_uid=study, description="series A")
    manifest["twoSeriesB"] = stack(
        "CT_small.dcm", two, 2, 5.0, study_uid=study, description="series B", rot=rotation(0, np.radians(90))
    )
    # A header larger than the scanner's first read (256 KiB) must still be found.
    big = pydicom.dcmread(manifest["twoSeriesA"][1])
    big.add_new(0x00091010, "OB", bytes(300_000))
    big.save_as(manifest["twoSeriesA"][1])
    manifest["twoSeriesSub"] = stack("MR_small.dcm", os.path.join(two, "sub"), 2, 2.0, description="nested")
    with open(os.path.join(two, "notes.txt"), "w") as handle:
        handle.write("not a DICOM file\n")
    with open(os.path.join(two, "junk.bin"), "wb") as handle:
        handle.write(bytes(RNG.getrandbits(8) for _ in range(600)))
    shutil.copy(os.path.join(TEST_FILES, "reportsi.dcm"), os.path.join(two, "report.dcm"))
    manifest["twoSeriesExtras"] = [os.path.join(two, n) for n in ("junk.bin", "notes.txt", "report.dcm")]
    manifest["missing"] = stack("MR_small.dcm", os.path.join(root, "missing"), 6, 2.0, skip=(3,))
    dup_dir = os.path.join(root, "duplicate")
    series, study = uid(), uid()
    manifest["duplicate"] = stack("MR_small.dcm", dup_dir, 5, 2.0, series_uid=series, study_uid=study)
    manifest["duplicate"] += stack(
        "MR_small.dcm",
        dup_dir,
        1,
        2.0,
        origin=(0.0, 0.0, 4.0),
        series_uid=series,
        study_uid=study,
        instance=lambda k: 99,
    )
    rows_dir = os.path.join(root, "rows")
    manifest["rows"] = stack("MR_small.dcm", rows_dir, 4, 2.0)
    odd = pydicom.dcmread(manifest["rows"][2])
    set_pixels(odd, odd.pixel_array[:32, :])
    odd.save_as(manifest["rows"][2])
    os.makedirs(os.path.join(root, "truncated"))
    manifest["truncated"] = [shutil.copy(os.path.join(TEST_FILES, "MR_truncated.dcm"), os.path.join(root, "truncated"))]
    manifest["codecs"] = codec_files(os.path.join(root, "codecs"))
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
