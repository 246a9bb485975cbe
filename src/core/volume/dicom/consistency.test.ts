// Unit tests (Node) for the per-file and per-series checks that precede stacking.
import { describe, expect, it } from 'vitest';
import { checkSeriesConsistency, unsupportedImageReason } from './consistency';
import type { DicomHeader } from './header';

function header(overrides: Partial<DicomHeader> = {}): DicomHeader {
  return {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    sopInstanceUid: '1',
    studyInstanceUid: 'st',
    seriesInstanceUid: 'se',
    carried: {},
    modality: 'CT',
    seriesDescription: '',
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    hasPixelData: true,
    hasFloatPixelData: false,
    image: {
      rows: 4,
      columns: 4,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 0,
    },
    photometricInterpretation: 'MONOCHROME2',
    imageType: ['ORIGINAL', 'PRIMARY'],
    numberOfFrames: 1,
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    pixelSpacingMm: [0.5, 0.5],
    rescaleSlope: 1,
    rescaleIntercept: 0,
    ...overrides,
  };
}

describe('unsupportedImageReason', () => {
  it('accepts a greyscale single-frame slice and names what is wrong otherwise', () => {
    expect(unsupportedImageReason(header())).toBeUndefined();
    expect(unsupportedImageReason(header({ numberOfFrames: 15 }))).toMatch(
      /NumberOfFrames = 15\) without per-frame positions/,
    );
    expect(
      unsupportedImageReason(header({ numberOfFrames: 15, gridFrameOffsetVector: [0, 5] })),
    ).toBeUndefined();
    expect(unsupportedImageReason(header({ mosaic: { images: 0 } }))).toMatch(
      /MOSAIC whose tile count/,
    );
    expect(unsupportedImageReason(header({ hasPixelData: false }))).toMatch(/no Pixel Data/);
    expect(
      unsupportedImageReason(
        header({
          image: { ...header().image, samplesPerPixel: 3 },
          photometricInterpretation: 'RGB',
        }),
      ),
    ).toMatch(/colour.*RGB/);
  });
});

describe('checkSeriesConsistency', () => {
  it('tolerates rounding in orientation and spacing', () => {
    const near = header({
      imageOrientationPatient: [1, 0.00001, 0, 0, 1, 0],
      pixelSpacingMm: [0.50001, 0.5],
    });
    expect(() => checkSeriesConsistency([header(), near], ['a', 'b'])).not.toThrow();
  });

  it('names the attribute and both files when slices differ', () => {
    const tilted = header({ imageOrientationPatient: [1, 0, 0, 0, 0.9, 0.43589] });
    expect(() => checkSeriesConsistency([header(), header(), tilted], ['a', 'b', 'c'])).toThrow(
      /ImageOrientationPatient is \[1, 0, 0, 0, 1, 0\] in a but \[1, 0, 0, 0, 0.9, 0.43589\] in c/,
    );
    expect(() =>
      checkSeriesConsistency([header(), header({ pixelSpacingMm: [0.7, 0.5] })], ['a', 'b']),
    ).toThrow(/PixelSpacing/);
  });
});
