// Unit tests (Node) for preview requests to a trainer: answers are matched by request id and
// decoded, errors keep their code, silence times out clearly, and an ended trainer fails fast.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { HostMessage } from '../protocol';
import { previewRequester, type PreviewReply } from './previewRequest';

function setup(timeoutMs = 1000) {
  const sent: HostMessage[] = [];
  const replies = new EventEmitter<{ preview: [PreviewReply] }>();
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const request = previewRequester((m) => sent.push(m), replies, ended, timeoutMs);
  return { sent, replies, end, request };
}

describe('previewRequester', () => {
  it('sends a numbered request and resolves with the matching answer, decoded', async () => {
    const { sent, replies, request } = setup();
    const pending = request('case_001', 4);
    const first = sent[0] as Extract<HostMessage, { type: 'preview' }>;
    expect(first).toMatchObject({ type: 'preview', studyId: 'case_001', k: 4, network: 'teacher' });
    const other = request('case_002', 1, 'student');
    const second = sent[1] as Extract<HostMessage, { type: 'preview' }>;
    expect(second.requestId).not.toBe(first.requestId);
    const payload = (studyId: string, k: number, bytes: number[]) => ({
      studyId,
      k,
      iteration: 3,
      network: 'teacher' as const,
      dims: [2, 2] as [number, number],
      probabilityBase64: Buffer.from(bytes).toString('base64'),
    });
    replies.emit('preview', {
      type: 'preview',
      requestId: second.requestId,
      preview: payload('case_002', 1, [9, 9, 9, 9]),
    });
    replies.emit('preview', {
      type: 'preview',
      requestId: first.requestId,
      preview: payload('case_001', 4, [0, 64, 128, 255]),
    });
    const result = await pending;
    expect(result).toMatchObject({ studyId: 'case_001', k: 4, iteration: 3, dims: [2, 2] });
    expect([...new Uint8Array(result.probability)]).toEqual([0, 64, 128, 255]);
    expect([...new Uint8Array((await other).probability)]).toEqual([9, 9, 9, 9]);
  });

  it('rejects with the trainer error code', async () => {
    const { sent, replies, request } = setup();
    const pending = request('nope', 0);
    const { requestId } = sent[0] as Extract<HostMessage, { type: 'preview' }>;
    replies.emit('preview', {
      type: 'preview',
      requestId,
      error: { code: 'NOT_FOUND', message: 'Study "nope" does not exist.' },
    });
    await expect(pending).rejects.toMatchObject({ code: 'NOT_FOUND', message: /nope/ });
  });

  it('times out with a clear message when the trainer stays silent', async () => {
    const { request } = setup(30);
    await expect(request('case_001', 0)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /did not answer the preview request/,
    });
  });

  it('fails waiting and later requests with NOT_FOUND once training ended', async () => {
    const { request, end, replies } = setup();
    const pending = request('case_001', 0);
    end();
    await expect(pending).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(request('case_001', 0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(replies.listenerCount('preview')).toBe(0);
  });
});
