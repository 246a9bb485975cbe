// Draft saving of an edited proposal (fake timers and a fake back end; runs in Node): after a
// pause, at once when asked, one save at a time, never half a stroke, retried after a failure,
// and discarded when the edits are undone back to the proposal.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DRAFT_RETRY_MS, DraftSaver, type DraftPort, type DraftState } from './draftSaver';

const DELAY = 1000;
let labels: Uint8Array | null;
let saved: number[][];
let discarded: number;
let failures: Error[];
let states: DraftState[];
let release: (() => void) | null;

function port(hold = false): DraftPort {
  return {
    read: () => labels?.slice() ?? null,
    isOriginal: (l) => l.every((v) => v === 0),
    save: async (l) => {
      if (hold) await new Promise<void>((r) => (release = r));
      const failure = failures.shift();
      if (failure) throw failure;
      saved.push([...l]);
      return `t${saved.length}`;
    },
    discard: async () => void discarded++,
    onState: (s) => void states.push(s),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  labels = Uint8Array.of(0, 1);
  saved = [];
  discarded = 0;
  failures = [];
  states = [];
  release = null;
});
afterEach(() => vi.useRealTimers());

describe('DraftSaver', () => {
  it('saves after a pause in editing, once, with what is on screen then', async () => {
    const saver = new DraftSaver(port(), DELAY);
    saver.changed();
    labels = Uint8Array.of(2, 1);
    saver.changed();
    expect(saver.current.status).toBe('unsaved');
    await vi.advanceTimersByTimeAsync(DELAY - 10);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(saved).toEqual([[2, 1]]);
    expect(saver.current).toEqual({ status: 'saved', savedAt: 't1', error: null });
    expect(saver.unsaved).toBe(false);
  });

  it('saves at once on flushNow, reading the labels when asked', async () => {
    const saver = new DraftSaver(port(), DELAY);
    saver.changed();
    const flushed = saver.flushNow();
    labels = Uint8Array.of(9, 9); // the view moved on to another study
    await flushed;
    expect(saved).toEqual([[0, 1]]);
  });

  it('waits for the stroke to end, and retries after a failure', async () => {
    const saver = new DraftSaver(port(), DELAY);
    labels = null; // a stroke is being drawn
    saver.changed();
    await vi.advanceTimersByTimeAsync(DELAY + 10);
    expect(saved).toEqual([]);
    labels = Uint8Array.of(0, 3);
    failures.push(new Error('disk full'));
    await vi.advanceTimersByTimeAsync(DELAY + 10);
    expect(saver.current).toMatchObject({ status: 'failed', error: 'disk full' });
    expect(saver.unsaved).toBe(true);
    await vi.advanceTimersByTimeAsync(DRAFT_RETRY_MS + 10);
    expect(saved).toEqual([[0, 3]]);
    expect(saver.current.status).toBe('saved');
  });

  it('sends one save at a time and saves again for edits made meanwhile', async () => {
    const saver = new DraftSaver(port(true), DELAY);
    saver.changed();
    await vi.advanceTimersByTimeAsync(DELAY + 10);
    expect(saver.current.status).toBe('saving');
    labels = Uint8Array.of(5, 5);
    saver.changed();
    await vi.advanceTimersByTimeAsync(DELAY + 10);
    expect(saved).toEqual([]); // the second waits for the first
    release!();
    await vi.advanceTimersByTimeAsync(0);
    release!();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual([
      [0, 1],
      [5, 5],
    ]);
    expect(saver.current.status).toBe('saved');
  });

  it('discards the draft when the edits are back to the proposal as predicted', async () => {
    const saver = new DraftSaver(port(), DELAY, { savedAt: 't0', dirty: false });
    expect(saver.current.status).toBe('saved');
    labels = Uint8Array.of(0, 0);
    saver.changed();
    await vi.advanceTimersByTimeAsync(DELAY + 10);
    expect(discarded).toBe(1);
    expect(saver.current).toMatchObject({ status: 'none', savedAt: null });
  });

  it('starts saving a draft that only existed in memory', async () => {
    const saver = new DraftSaver(port(), DELAY, { savedAt: null, dirty: true });
    expect(saver.current.status).toBe('unsaved');
    await vi.advanceTimersByTimeAsync(DELAY + 10);
    expect(saved).toHaveLength(1);
  });
});
