// Unit tests for the label save queue (pure logic with a fake sender; runs in Node).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../../shared/contract/errors';
import type { SaveLabelResult } from '../../../../shared/contract/labels';
import { SaveQueue, type SendLabel } from './saveQueue';

const result = (id: string): SaveLabelResult =>
  ({ version: { id }, study: { id: 's' } }) as unknown as SaveLabelResult;
const job = (generation: number) => ({
  studyId: 's',
  data: Uint8Array.of(generation),
  final: false,
  annotatedSlices: { i: [], j: [], k: [] },
  generation,
});

afterEach(() => vi.useRealTimers());

describe('SaveQueue', () => {
  it('chains saves on the version each save returned and coalesces waiting edits', async () => {
    const sent: { gen: number; base: string | null | undefined }[] = [];
    let release: (() => void) | undefined;
    const send: SendLabel = async (j) => {
      sent.push({ gen: j.generation, base: j.baseVersion });
      if (j.generation === 1) await new Promise<void>((r) => (release = r));
      return result(`v${sent.length + 1}`);
    };
    const queue = new SaveQueue(send);
    queue.setBase('s', 'v1');
    queue.enqueue(job(1));
    queue.enqueue(job(2));
    queue.enqueue(job(3)); // replaces 2 while 1 is in flight
    expect(queue.unsavedJob('s')!.generation).toBe(3);
    release!();
    await queue.whenSettled();
    expect(sent).toEqual([
      { gen: 1, base: 'v1' },
      { gen: 3, base: 'v2' },
    ]);
    expect(queue.state('s')).toMatchObject({ status: 'idle', savedGeneration: 3, unsaved: false });
  });

  it('keeps a failed edit in memory and retries it with back-off until it is saved', async () => {
    vi.useFakeTimers();
    let failures = 2;
    const send = vi.fn<SendLabel>(async () => {
      if (failures-- > 0) throw new ApiError('IO_FAILED', 'server gone');
      return result('v9');
    });
    const queue = new SaveQueue(send, [100, 200]);
    queue.enqueue(job(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.state('s')).toMatchObject({
      status: 'retrying',
      unsaved: true,
      error: 'server gone',
    });
    expect(queue.unsavedJob('s')!.data[0]).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(send).toHaveBeenCalledTimes(3);
    expect(queue.state('s')).toMatchObject({ status: 'idle', unsaved: false, savedGeneration: 1 });
  });

  it('stops on a conflict until the user overwrites, then saves without a base', async () => {
    const bases: (string | null | undefined)[] = [];
    const send: SendLabel = async (j) => {
      bases.push(j.baseVersion);
      if (bases.length === 1) throw new ApiError('CONFLICT', 'someone else saved');
      return result('v5');
    };
    const queue = new SaveQueue(send);
    queue.setBase('s', 'v3');
    queue.enqueue(job(1));
    await queue.whenSettled();
    expect(queue.state('s').status).toBe('conflict');
    queue.overwrite('s');
    await queue.whenSettled();
    expect(bases).toEqual(['v3', undefined]);
    expect(queue.state('s').unsaved).toBe(false);
  });
});
