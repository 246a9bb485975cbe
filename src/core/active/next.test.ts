import { describe, expect, it } from 'vitest';
import { pickNext } from './next';
import type { RankedStudy } from './rank';

const ranked: RankedStudy[] = ['a', 'b', 'c'].map((studyId, i) => ({
  rank: i + 1,
  studyId,
  score: 1 - i / 10,
  slice: i,
}));
const next = (current: string | null, skipped: string[]) =>
  pickNext(ranked, current, skipped)?.studyId ?? null;

describe('pickNext', () => {
  it('takes the best-ranked study that is neither open nor skipped', () => {
    expect(next(null, [])).toBe('a');
    expect(next('a', [])).toBe('b');
    expect(next('b', ['a'])).toBe('c');
  });

  it('never returns to a skipped study while another is left (no 006 → 007 → 006)', () => {
    // a opened first; Next skips a → b; Next skips b → c (not a, the better-ranked one).
    expect(next('b', ['a'])).toBe('c');
  });

  it('once every study was skipped, brings back the one skipped longest ago', () => {
    expect(next('c', ['a', 'b'])).toBe('a');
    expect(next('a', ['b', 'c', 'a'])).toBe('b');
  });

  it('returns null when only the open study is left', () => {
    expect(pickNext(ranked.slice(0, 1), 'a', [])).toBeNull();
    expect(pickNext([], null, [])).toBeNull();
  });
});
