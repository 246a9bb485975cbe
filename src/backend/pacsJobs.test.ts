import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors';
import type { PacsJobState } from '../shared/contract/pacs';
import { PacsJobSlot } from './pacsJobs';

function slotWithClock() {
  let now = 1_000_000;
  const events: PacsJobState[] = [];
  const slot = new PacsJobSlot(
    (event, payload) => event === 'pacsJobChanged' && events.push(payload as PacsJobState),
    () => now,
  );
  return { slot, events, tick: (ms: number) => (now += ms) };
}

describe('PacsJobSlot', () => {
  it('runs one job at a time, with phases, progress and an ETA from the rate so far', async () => {
    const { slot, events, tick } = slotWithClock();
    let release!: () => void;
    const job = slot.start('retrieve', 'Test PACS', async (control) => {
      control.phase('downloading');
      control.progress({ done: 0, total: 10, item: '' });
      tick(2000);
      control.progress({ done: 4, total: 10, item: '1.2.4' });
      await new Promise<void>((resolve) => (release = resolve));
      control.progress({ done: 10, total: 10, item: '1.2.10' });
      return {
        retrieve: {
          imported: [],
          segmentations: [],
          skipped: [],
          warnings: [],
          downloaded: 10,
          resumed: 0,
        },
      };
    });
    expect(job).toMatchObject({ kind: 'retrieve', phase: 'downloading', target: 'Test PACS' });
    expect(slot.busy).toBe(true);
    expect(slot.current!.progress).toEqual({ done: 4, total: 10, item: '1.2.4', etaSeconds: 3 });
    expect(() => slot.start('exportSeg', 'x', async () => ({}))).toThrow(AppError);
    release();
    await slot.settled();
    expect(slot.current).toMatchObject({ phase: 'finished', retrieve: { downloaded: 10 } });
    expect(slot.busy).toBe(false);
    expect(events.map((e) => e.phase)).toEqual(
      expect.arrayContaining(['starting', 'downloading', 'finished']),
    );
    expect(events.at(-1)!.finishedAt).toBeDefined();
  });

  it('cancels through the signal and records failures with their code', async () => {
    const { slot } = slotWithClock();
    slot.start(
      'retrieve',
      'x',
      (control) =>
        new Promise((_, reject) =>
          control.signal.addEventListener('abort', () =>
            reject(new AppError('CANCELLED', 'stopped')),
          ),
        ),
    );
    expect(slot.cancel()!.phase).toBe('starting');
    await slot.settled();
    expect(slot.current).toMatchObject({ phase: 'cancelled' });
    expect(slot.current!.error).toBeUndefined();
    slot.start('exportSeg', 'x', async () => {
      throw new AppError('REMOTE_FAILED', 'refused');
    });
    await slot.settled();
    expect(slot.current).toMatchObject({
      phase: 'failed',
      error: { code: 'REMOTE_FAILED', message: 'refused' },
    });
  });
});
