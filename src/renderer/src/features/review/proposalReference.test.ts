// Merging a proposal into a person's label (pure): it fills only what they left unpainted.
import { describe, expect, it } from 'vitest';
import { mergeUnder } from './proposalReference';

describe('mergeUnder', () => {
  it('adds the proposal where the label is background and never overwrites paint', () => {
    const { merged, added } = mergeUnder(Uint8Array.of(0, 2, 0, 0), Uint8Array.of(1, 1, 0, 3));
    expect([...merged]).toEqual([1, 2, 0, 3]);
    expect(added).toBe(2);
  });
});
