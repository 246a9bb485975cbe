// A label written as a DICOM SEG (dcmjs) and read back: segments, codes, frames and positions,
// placed on the study grid again voxel for voxel; and the SEGs that must be refused.
import { describe, expect, it } from 'vitest';
import type { LabelClass } from '../../shared/contract/project';
import type { DicomSeriesReference } from '../volume/dicom';
import type { Mat4, Vec3 } from '../volume/volume';
import { buildSegmentation, type SegAlgorithm } from './build';
import { segmentCodes } from './codes';
import { placeFrames } from './placement';
import { parseSeg, type ParsedSeg } from './read';
import { derivedUid } from './uids';

const dims: Vec3 = [6, 5, 4];
// LPS: rows along +x at 0.8 mm, columns along +y at 0.9 mm, slices 2 mm apart along +z.
const affine: Mat4 = [-0.8, 0, 0, -10, 0, -0.9, 0, -20, 0, 0, 2, 30, 0, 0, 0, 1];
const classes: LabelClass[] = [
  { value: 1, name: 'Left atrium', color: '#e0533d' },
  { value: 3, name: 'blob', color: '#3d8be0' },
];

function reference(overrides: Partial<DicomSeriesReference> = {}): DicomSeriesReference {
  return {
    studyInstanceUid: '1.2.3',
    seriesInstanceUid: '1.2.3.4',
    frameOfReferenceUid: '1.2.3.9',
    modality: 'MR',
    seriesDescription: 'LGE',
    seriesNumber: 3,
    attributes: { PatientName: 'Müller^Anna', PatientID: 'P1', StudyDate: '20240101' },
    rows: 5,
    columns: 6,
    orientationLps: [1, 0, 0, 0, 1, 0],
    pixelSpacingMm: [0.9, 0.8],
    sliceSpacingMm: 2,
    slices: [0, 1, 2, 3].map((k) => ({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
      sopInstanceUid: `1.2.3.4.${k + 1}`,
      positionLps: [10, 20, 30 + 2 * k] as Vec3,
    })),
    ...overrides,
  };
}

function labelVolume(): Uint8Array {
  const data = new Uint8Array(dims[0] * dims[1] * dims[2]);
  const at = (i: number, j: number, k: number) => i + dims[0] * (j + dims[1] * k);
  for (let k = 1; k <= 2; k++)
    for (let j = 1; j < 4; j++) for (let i = 2; i < 5; i++) data[at(i, j, k)] = 1;
  data[at(0, 0, 3)] = 3;
  data[at(5, 4, 3)] = 3;
  return data;
}

async function roundTrip(algorithm: SegAlgorithm = { type: 'MANUAL' }, ref = reference()) {
  const built = await buildSegmentation({
    reference: ref,
    dims,
    labels: labelVolume(),
    classes,
    algorithm,
    seriesInstanceUid: derivedUid('series'),
    sopInstanceUid: derivedUid('instance'),
    seriesDescription: 'SimCVD SEG v0001',
    contentDescription: 'label v0001',
    softwareVersion: '0.1.0',
  });
  return { built, seg: await parseSeg(built.bytes, 'test.seg.dcm') };
}

function rasterize(seg: ParsedSeg, slices: number[]): Uint8Array {
  const data = new Uint8Array(dims[0] * dims[1] * dims[2]);
  const size = dims[0] * dims[1];
  const value = new Map([
    [1, 1],
    [2, 3],
  ]);
  seg.frames.forEach((frame, f) => {
    for (let p = 0; p < size; p++)
      if (seg.isSet(f, p)) data[slices[f]! * size + p] = value.get(frame.segmentNumber)!;
  });
  return data;
}

describe('DICOM SEG written and read back', () => {
  it('has one segment per label value present, named, coded and coloured', async () => {
    const { built, seg } = await roundTrip();
    expect(built.segments.map((s) => [s.number, s.label, s.value, s.frames])).toEqual([
      [1, 'Left atrium', 1, 2],
      [2, 'blob', 3, 1],
    ]);
    expect(seg.segments[0]!.type).toEqual(segmentCodes('Left atrium').type);
    expect(seg.segments[0]!.type!.CodeValue).toBe('82471001');
    expect(seg.segments[0]!.category!.CodeValue).toBe('123037004');
    expect(seg.segments[1]!.type!.CodeValue).toBe('85756007'); // the generic "Tissue"
    expect(seg.segments[0]!.algorithmType).toBe('MANUAL');
    expect(seg.segments[0]!.algorithmName).toBeUndefined();
    // #e0533d is a warm red: high L*, a* well above neutral (32768).
    expect(seg.segments[0]!.cielab![0]).toBeGreaterThan(30000);
    expect(seg.segments[0]!.cielab![1]).toBeGreaterThan(40000);
  });

  it('has a frame per slice a segment touches, at that slice’s position, referencing the series', async () => {
    const { built, seg } = await roundTrip();
    expect(built.frames).toBe(3);
    expect(seg.frames.map((f) => [f.segmentNumber, f.positionLps[2]])).toEqual([
      [1, 32],
      [1, 34],
      [2, 36],
    ]);
    expect(seg.referencedSeriesUids).toEqual(['1.2.3.4']);
    expect(seg.frameOfReferenceUid).toBe('1.2.3.9');
    expect(seg.studyInstanceUid).toBe('1.2.3');
    expect(seg.sopInstanceUid).toBe(derivedUid('instance'));
    expect(seg.sopInstanceUid).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
  });

  it('places back on the study grid voxel for voxel', async () => {
    const { seg } = await roundTrip();
    const placed = placeFrames(seg, { dims, affine });
    expect(placed.slices).toEqual([1, 2, 3]);
    expect(Buffer.from(rasterize(seg, placed.slices!)).equals(Buffer.from(labelVolume()))).toBe(
      true,
    );
  });

  it('names the model of an accepted proposal as a SEMIAUTOMATIC algorithm', async () => {
    const { seg } = await roundTrip({ type: 'SEMIAUTOMATIC', modelId: 'm0002', edited: true });
    expect(seg.segments.map((s) => [s.algorithmType, s.algorithmName])).toEqual([
      ['SEMIAUTOMATIC', 'm0002'],
      ['SEMIAUTOMATIC', 'm0002'],
    ]);
  });

  it('references the source frame of a multi-frame series', async () => {
    const ref = reference({
      slices: [0, 1, 2, 3].map((k) => ({
        sopClassUid: '1.2.840.10008.5.1.4.1.1.4.1',
        sopInstanceUid: '1.2.3.4.77',
        frameNumber: 4 - k,
        positionLps: [10, 20, 30 + 2 * k] as Vec3,
      })),
    });
    const { built } = await roundTrip({ type: 'MANUAL' }, ref);
    const text = Buffer.from(built.bytes).toString('latin1');
    // One referenced instance, listed once; frames point at its frames 3, 2 and 1.
    expect(text.split('1.2.3.4.77').length - 1).toBe(1 + built.frames);
  });

  it('refuses a label off the series grid, an empty label and an unsupported series', async () => {
    const build = (ref: DicomSeriesReference, labels = labelVolume()) =>
      buildSegmentation({
        reference: ref,
        dims,
        labels,
        classes,
        algorithm: { type: 'MANUAL' },
        seriesInstanceUid: '2.25.1',
        sopInstanceUid: '2.25.2',
        seriesDescription: 's',
        contentDescription: 'c',
        softwareVersion: '0',
      });
    await expect(build(reference({ rows: 7 }))).rejects.toMatchObject({
      code: 'GEOMETRY_MISMATCH',
    });
    await expect(build(reference(), new Uint8Array(labelVolume().length))).rejects.toThrow(/empty/);
    await expect(build(reference({ segUnsupported: 'MOSAIC tiles' }))).rejects.toThrow(/MOSAIC/);
  });
});

describe('placing a SEG on a study grid', () => {
  it('refuses frames between slices, beside the grid, or turned', async () => {
    const { seg } = await roundTrip();
    const shifted = {
      ...seg,
      frames: seg.frames.map((f) => ({
        ...f,
        positionLps: [10, 20, f.positionLps[2] + 1] as Vec3,
      })),
    };
    expect(placeFrames(shifted, { dims, affine }).reason).toMatch(
      /frame 1 at \(10, 20, 33\) mm is not on a slice/,
    );
    const beside = {
      ...seg,
      frames: seg.frames.map((f) => ({ ...f, positionLps: [12, 20, f.positionLps[2]] as Vec3 })),
    };
    expect(placeFrames(beside, { dims, affine }).reason).toMatch(/not on a slice/);
    const turned = {
      ...seg,
      frames: seg.frames.map((f) => ({
        ...f,
        orientationLps: [0, 1, 0, 1, 0, 0] as typeof f.orientationLps,
      })),
    };
    expect(placeFrames(turned, { dims, affine }).reason).toMatch(/frame 1 is oriented/);
    expect(placeFrames(seg, { dims: [6, 5, 2], affine }).reason).toMatch(
      /outside the study's 2 slices/,
    );
    expect(placeFrames(seg, { dims: [5, 6, 4], affine }).reason).toMatch(/6×5 pixels/);
  });
});

describe('parseSeg', () => {
  it('refuses what is not a SEG', async () => {
    await expect(parseSeg(Buffer.from('not dicom at all'), 'x.dcm')).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});
