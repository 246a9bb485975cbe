"""Writes a DICOM SEG the way another tool might (pydicom, not dcmjs), on a source series.

Usage: seg_foreign.py SOURCE_JSON SOURCE_NIFTI OUT_SEG OUT_EXPECTED
SOURCE_JSON: one entry of dicom_from_nifti.py's manifest; SOURCE_NIFTI: the image it came from.
The SEG is FRACTIONAL (8-bit, maximum 255), with two segments — "Left atrium" (SCT 82471001,
AUTOMATIC) and "Scar" (SCT 12402003) that overlaps it — frames in descending slice order, the
orientation per frame, and faint values (100, under half the maximum) that are not in the
segment. OUT_EXPECTED is the label map a reader should make of it on the source grid: each
voxel the number of the highest segment it is in.
"""
import json
import os
import sys

import nibabel as nib
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

SEG_CLASS = "1.2.840.10008.5.1.4.1.1.66.4"


def code(value, scheme, meaning):
    c = Dataset()
    c.CodeValue, c.CodingSchemeDesignator, c.CodeMeaning = value, scheme, meaning
    return Sequence([c])


def item(**attributes):
    d = Dataset()
    for key, value in attributes.items():
        setattr(d, key, value)
    return d


def main() -> None:
    source_json, source_nifti, out_seg, out_expected = sys.argv[1:5]
    source = json.load(open(source_json))
    image = nib.load(source_nifti)
    nx, ny, nz = image.shape[:3]
    first = pydicom.dcmread(os.path.join(source["folder"], sorted(os.listdir(source["folder"]))[0]))

    # Segment 1: a ball; segment 2: a box through its side. Values: 200 in, 100 faint, 0 out.
    i, j, k = np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij")
    ball = (i - nx / 2) ** 2 + (j - ny / 2) ** 2 + ((k - nz / 2) * 2) ** 2 < (nx / 5) ** 2
    box = (abs(i - nx / 2 - nx / 6) < 3) & (abs(j - ny / 2) < 4) & (abs(k - nz / 2) < 3)
    faint = (abs(i - 4) < 2) & (abs(j - 4) < 2)
    masks = {1: ball, 2: box}
    expected = np.zeros((nx, ny, nz), dtype=np.uint8)
    expected[ball] = 1
    expected[box] = 2

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SEG_CLASS
    meta.MediaStorageSOPInstanceUID = sop = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = "ISO_IR 192"
    for keyword in ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyDate", "StudyTime",
                    "AccessionNumber", "ReferringPhysicianName", "StudyID", "StudyInstanceUID", "FrameOfReferenceUID"):
        setattr(ds, keyword, getattr(first, keyword))
    ds.SOPClassUID, ds.SOPInstanceUID = SEG_CLASS, sop
    ds.SeriesInstanceUID, ds.SeriesNumber, ds.InstanceNumber = generate_uid(), 77, 1
    ds.Modality, ds.Manufacturer = "SEG", "Other Tool"
    ds.ImageType = ["DERIVED", "PRIMARY"]
    ds.ContentLabel, ds.ContentDescription, ds.ContentCreatorName = "OTHER", "from another tool", ""
    ds.ContentDate, ds.ContentTime = "20240301", "120000"
    ds.SegmentationType, ds.SegmentationFractionalType, ds.MaximumFractionalValue = "FRACTIONAL", "PROBABILITY", 255
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.Rows, ds.Columns = ny, nx
    ds.SegmentSequence = Sequence([
        item(SegmentNumber=1, SegmentLabel="Left atrium", SegmentAlgorithmType="AUTOMATIC",
             SegmentAlgorithmName="OtherTool 2.1",
             SegmentedPropertyCategoryCodeSequence=code("123037004", "SCT", "Anatomical Structure"),
             SegmentedPropertyTypeCodeSequence=code("82471001", "SCT", "Left atrium")),
        item(SegmentNumber=2, SegmentLabel="Scar", SegmentAlgorithmType="MANUAL",
             RecommendedDisplayCIELabValue=[40000, 50000, 30000],
             SegmentedPropertyCategoryCodeSequence=code("85756007", "SCT", "Tissue"),
             SegmentedPropertyTypeCodeSequence=code("12402003", "SCT", "Scar tissue")),
    ])
    ds.SharedFunctionalGroupsSequence = Sequence([
        item(PixelMeasuresSequence=Sequence([item(PixelSpacing=first.PixelSpacing, SliceThickness=first.SliceThickness)]))
    ])
    frames, groups = [], []
    for number in (1, 2):
        for kk in reversed(range(nz)):
            if not masks[number][:, :, kk].any():
                continue
            plane = np.zeros((nx, ny), dtype=np.uint8)
            plane[faint[:, :, kk]] = 100
            plane[masks[number][:, :, kk]] = 200
            frames.append(plane.T)  # rows are j, columns are i
            slice_ = source["slices"][kk]
            groups.append(item(
                SegmentIdentificationSequence=Sequence([item(ReferencedSegmentNumber=number)]),
                PlanePositionSequence=Sequence([item(ImagePositionPatient=slice_["position"])]),
                PlaneOrientationSequence=Sequence([item(ImageOrientationPatient=first.ImageOrientationPatient)]),
                DerivationImageSequence=Sequence([item(SourceImageSequence=Sequence([
                    item(ReferencedSOPClassUID=first.SOPClassUID, ReferencedSOPInstanceUID=slice_["sop"])
                ]))]),
            ))
    ds.PerFrameFunctionalGroupsSequence = Sequence(groups)
    ds.NumberOfFrames = len(frames)
    ds.PixelData = np.stack(frames).astype(np.uint8).tobytes()
    ds.ReferencedSeriesSequence = Sequence([item(
        SeriesInstanceUID=source["series"],
        ReferencedInstanceSequence=Sequence([
            item(ReferencedSOPClassUID=first.SOPClassUID, ReferencedSOPInstanceUID=s["sop"]) for s in source["slices"]
        ]),
    )])
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(out_seg, write_like_original=False)
    nib.save(nib.Nifti1Image(expected, image.affine), out_expected)
    print(json.dumps({"frames": len(frames), "voxels": {"1": int(ball.sum()), "2": int(box.sum())}}))


if __name__ == "__main__":
    main()
