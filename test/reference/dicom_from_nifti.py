"""Writes NIfTI volumes as DICOM MR series (one study and patient each), for the PACS tests.

Usage: dicom_from_nifti.py OUT_DIR NIFTI [NIFTI ...]
For each NIfTI file, writes OUT_DIR/<name>/<k>.dcm — one single-frame MR slice per k, with the
volume's geometry converted from RAS to LPS (so importing the series gives the NIfTI's grid
back) — and prints a JSON manifest: per file its StudyInstanceUID, SeriesInstanceUID,
FrameOfReferenceUID, PatientID and the SOPInstanceUID and ImagePositionPatient of each slice.
UIDs come from pydicom's generate_uid with fixed entropy, so runs are reproducible. The first two
patients' names need ISO_IR 100 (Latin-1) and ISO_IR 192 (UTF-8).
"""
import json
import os
import sys

import nibabel as nib
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage, generate_uid

LPS = np.diag([-1.0, -1.0, 1.0])
# Patient names in two character sets, so decoding and re-encoding them is tested too.
PATIENTS = [("Müller^Anna", "ISO_IR 100"), ("Łukasz^Żółć", "ISO_IR 192")]


def uid(*parts: str) -> str:
    return generate_uid(entropy_srcs=["simcvd-pacs-test", *parts])


def ds_string(value: float) -> str:
    """A DS value (at most 16 characters) as close to `value` as that allows."""
    for digits in range(12, 0, -1):
        text = f"{value:.{digits}g}"
        if len(text) <= 16:
            return text
    return f"{value:.1e}"


def write_series(out_dir: str, nifti: str, index: int) -> dict:
    image = nib.load(nifti)
    data = np.asarray(image.dataobj)
    name = os.path.basename(nifti).split(".")[0]
    affine = image.affine.copy()
    affine[:3, :] = LPS @ affine[:3, :]
    spacing = np.linalg.norm(affine[:3, :3], axis=0)
    row, col = affine[:3, 0] / spacing[0], affine[:3, 1] / spacing[1]
    study, series, frame = uid(name, "study"), uid(name, "series"), uid(name, "for")
    patient_id = f"SIMCVD{index + 1:03d}"
    patient_name, charset = PATIENTS[index] if index < len(PATIENTS) else (f"Demo^Patient{index + 1}", "ISO_IR 100")
    folder = os.path.join(out_dir, name)
    os.makedirs(folder, exist_ok=True)
    slices = []
    for k in range(data.shape[2]):
        sop = uid(name, "slice", str(k))
        position = affine[:3, :3] @ np.array([0.0, 0.0, k]) + affine[:3, 3]
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = MRImageStorage
        meta.MediaStorageSOPInstanceUID = sop
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SpecificCharacterSet = charset
        ds.SOPClassUID, ds.SOPInstanceUID = MRImageStorage, sop
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.PatientName = patient_name
        ds.PatientID = patient_id
        ds.PatientBirthDate, ds.PatientSex = "19700101", "O"
        ds.StudyDate, ds.StudyTime = f"202401{index + 1:02d}", "101500"
        ds.SeriesDate, ds.SeriesTime = ds.StudyDate, ds.StudyTime
        ds.AccessionNumber, ds.StudyID = f"ACC{index + 1:04d}", f"{index + 1}"
        ds.ReferringPhysicianName = ""
        ds.StudyDescription = f"Cardiac MR {name}"
        ds.SeriesDescription = "LGE 3D"
        ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "MR", 3, k + 1
        ds.Manufacturer = "SimCVD test"
        ds.PositionReferenceIndicator = ""
        ds.ImageType = ["ORIGINAL", "PRIMARY", "M"]
        ds.ImageOrientationPatient = [ds_string(v) for v in (*row, *col)]
        ds.ImagePositionPatient = [ds_string(v) for v in position]
        ds.PixelSpacing = [ds_string(spacing[1]), ds_string(spacing[0])]
        ds.SliceThickness = ds_string(spacing[2])
        ds.Rows, ds.Columns = data.shape[1], data.shape[0]
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        # DICOM pixels are row-major (column index fastest): the NIfTI slice transposed.
        ds.PixelData = np.ascontiguousarray(data[:, :, k].T.astype("<i2")).tobytes()
        ds.is_little_endian, ds.is_implicit_VR = True, False
        path = os.path.join(folder, f"{k:04d}.dcm")
        ds.save_as(path, write_like_original=False)
        slices.append({"sop": sop, "position": [float(p) for p in ds.ImagePositionPatient]})
    return {
        "name": name,
        "folder": folder,
        "study": study,
        "series": series,
        "frameOfReference": frame,
        "patientId": patient_id,
        "patientName": patient_name,
        "slices": slices,
    }


def main() -> None:
    out_dir, files = sys.argv[1], sys.argv[2:]
    print(json.dumps([write_series(out_dir, f, i) for i, f in enumerate(files)]))


if __name__ == "__main__":
    main()
