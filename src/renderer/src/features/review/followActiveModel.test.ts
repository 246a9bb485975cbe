// Following the active model (pure; runs in Node): what the open study should show and what it
// takes to get there.
import { describe, expect, it } from 'vitest';
import { followAction, wantedFor } from './followActiveModel';
import { withSkipped } from './skipped';

const p = (studyId: string, modelId: string, extra: object = {}) => ({
  studyId,
  modelId,
  decision: 'pending' as const,
  humanLabel: null,
  ...extra,
});

describe('following the active model', () => {
  it('wants the active model’s pending proposal, as a reference over a person’s label', () => {
    const list = [
      p('a', 'm2'),
      p('b', 'm2', { humanLabel: 'v0003' }),
      p('c', 'm2', { decision: 'rejected' }),
    ];
    expect(wantedFor('a', 'm2', list)).toEqual({ kind: 'proposal', modelId: 'm2' });
    expect(wantedFor('b', 'm2', list)).toEqual({ kind: 'reference', modelId: 'm2' });
    expect(wantedFor('c', 'm2', list)).toBeNull();
    expect(wantedFor('a', 'm1', list)).toBeNull();
    expect(wantedFor('z', 'm2', list)).toBeNull();
  });

  it('reopens the study when the proposal under review changes, redraws a reference otherwise', () => {
    const m1 = { kind: 'proposal' as const, modelId: 'm1' };
    const m2 = { kind: 'proposal' as const, modelId: 'm2' };
    const r1 = { kind: 'reference' as const, modelId: 'm1' };
    const r2 = { kind: 'reference' as const, modelId: 'm2' };
    expect(followAction(m1, m1)).toBe('none');
    expect(followAction(null, null)).toBe('none');
    expect(followAction(m1, m2)).toBe('reload');
    expect(followAction(m1, null)).toBe('reload');
    expect(followAction(null, m2)).toBe('reload');
    expect(followAction(r1, r2)).toBe('reference');
    expect(followAction(r1, null)).toBe('reference');
    expect(followAction(null, r2)).toBe('reference');
  });
});

describe('skipped studies', () => {
  it('keeps each once, oldest first, a study skipped again moving to the end', () => {
    expect(withSkipped([], 'a')).toEqual(['a']);
    expect(withSkipped(['a', 'b'], 'a')).toEqual(['b', 'a']);
    expect(withSkipped(['a', 'b'], 'c')).toEqual(['a', 'b', 'c']);
  });
});
