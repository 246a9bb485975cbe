"""Reads a DICOM SEG with pydicom and checks it against its source series and a label mask.

Usage: seg_check.py SEG SOURCE_JSON LABEL_NIFTI VALUES_JSON
SOURCE_JSON: one entry of dicom_from_nifti.py's manifest (the series the SEG was drawn on).
VALUES_JSON: {"segment label": label value} of the project's classes.
Prints JSON: the SEG's identity, segments and frames as pydicom reads them, whether each frame
sits at the position of the source slice it references, and whether the decoded masks,
placed on the source grid, equal the label (nibabel) voxel for voxel.
"""
import json
import sys

import nibabel as nib
import numpy as np
import pydicom


def code(item, keyword):
    seq = getattr(item, keyword, None)
    if not seq:
        return None
    c = seq[0]
    return [str(c.CodeValue), str(c.CodingSchemeDesignator), str(c.CodeMeaning)]


def main() -> None:
    seg_path, source_path, label_path, values_json = sys.argv[1:5]
    ds = pydicom.dcmread(seg_path)
    source = json.load(open(source_path))
    values = json.loads(values_json)
    slice_of = {s["sop"]: k for k, s in enumerate(source["slices"])}
    positions = [np.array(s["position"]) for s in source["slices"]]

    segments = []
    for s in ds.SegmentSequence:
        segments.append(
            {
                "number": int(s.SegmentNumber),
                "label": str(s.SegmentLabel),
                "algorithmType": str(s.SegmentAlgorithmType),
                "algorithmName": str(getattr(s, "SegmentAlgorithmName", "")) or None,
                "category": code(s, "SegmentedPropertyCategoryCodeSequence"),
                "type": code(s, "SegmentedPropertyTypeCodeSequence"),
                "cielab": [int(v) for v in getattr(s, "RecommendedDisplayCIELabValue", [])],
            }
        )
    label_of = {s["number"]: s["label"] for s in segments}

    pixels = ds.pixel_array
    if pixels.ndim == 2:
        pixels = pixels[np.newaxis]
    label = np.asarray(nib.load(label_path).dataobj).astype(np.int32)
    decoded = np.zeros(label.shape, dtype=np.int32)
    frames, positions_ok = [], True
    for f, group in enumerate(ds.PerFrameFunctionalGroupsSequence):
        number = int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        position = np.array([float(v) for v in group.PlanePositionSequence[0].ImagePositionPatient])
        src = group.DerivationImageSequence[0].SourceImageSequence[0]
        sop = str(src.ReferencedSOPInstanceUID)
        k = slice_of.get(sop)
        if k is None or not np.allclose(position, positions[k], atol=1e-4):
            positions_ok = False
        frames.append({"segment": number, "position": position.tolist(), "sourceSop": sop, "slice": k})
        if k is not None:
            # Frame pixels are [row, column]; the NIfTI grid is [i = column, j = row, k].
            mask = pixels[f].T.astype(bool)
            decoded[:, :, k][mask] = values[label_of[number]]

    shared = ds.SharedFunctionalGroupsSequence[0]
    out = {
        "sopClassUid": str(ds.SOPClassUID),
        "modality": str(ds.Modality),
        "studyInstanceUid": str(ds.StudyInstanceUID),
        "seriesInstanceUid": str(ds.SeriesInstanceUID),
        "sopInstanceUid": str(ds.SOPInstanceUID),
        "frameOfReferenceUid": str(ds.FrameOfReferenceUID),
        "referencedSeries": [str(r.SeriesInstanceUID) for r in ds.ReferencedSeriesSequence],
        "referencedInstances": len(ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence),
        "patientName": str(ds.PatientName),
        "patientId": str(ds.PatientID),
        "specificCharacterSet": str(ds.SpecificCharacterSet),
        "segmentationType": str(ds.SegmentationType),
        "numberOfFrames": int(ds.NumberOfFrames),
        "rows": int(ds.Rows),
        "columns": int(ds.Columns),
        "orientation": [float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient],
        "pixelSpacing": [float(v) for v in shared.PixelMeasuresSequence[0].PixelSpacing],
        "segments": segments,
        "frames": frames,
        "positionsMatchSource": positions_ok,
        "labelVoxels": int((label > 0).sum()),
        "mismatchedVoxels": int((decoded != label).sum()),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
