// The Train panel's words for a run (pure): the plan's study counts, the backend with its
// threads, and when an estimate is stale.
import { describe, expect, it } from 'vitest';
import { backendName, describeStudies, estimateKey, studiesFingerprint } from './estimateText';

describe('estimate text', () => {
  it('counts finished, partially labeled (with slices) and unlabeled studies', () => {
    const counts = {
      labeled: 2,
      partiallyLabeled: 2,
      annotatedSlices: 7,
      unlabeled: 10,
      validation: 0,
    };
    expect(describeStudies(counts)).toBe(
      '2 labeled, 2 partially labeled (7 slices), 8 unlabeled (the partial ones feed the unlabeled terms too)',
    );
    expect(
      describeStudies({ ...counts, partiallyLabeled: 0, annotatedSlices: 0, validation: 1 }),
    ).toBe('2 labeled, 10 unlabeled, 1 held back for validation');
    expect(describeStudies({ ...counts, partiallyLabeled: 1, annotatedSlices: 1 })).toMatch(
      /\(1 slice\)/,
    );
  });

  it('names the compute threads of the cpu and wasm backends only', () => {
    expect(backendName({ name: 'cpu', reason: 'no GPU', threads: 3 })).toBe(
      'cpu, 3 compute threads',
    );
    expect(backendName({ name: 'wasm', reason: 'x', threads: 1 })).toBe('wasm, 1 compute thread');
    expect(backendName({ name: 'tfjs-node-gpu', reason: 'CUDA', threads: 3 })).toBe(
      'tfjs-node-gpu',
    );
  });

  it('keys an estimate by what was asked, and the studies by what training would use', () => {
    expect(estimateKey('tiny', undefined, 'auto')).not.toBe(
      estimateKey('quick', undefined, 'auto'),
    );
    expect(estimateKey('custom', { iterations: 5 }, 'auto')).not.toBe(
      estimateKey('custom', { iterations: 6 }, 'auto'),
    );
    const a = [{ id: 's', status: 'partial', annotatedSlices: { i: 0, j: 0, k: 3 } }];
    const b = [{ id: 's', status: 'partial', annotatedSlices: { i: 0, j: 0, k: 4 } }];
    expect(studiesFingerprint(a)).not.toBe(studiesFingerprint(b));
  });
});
