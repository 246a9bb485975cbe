// Preview requests to a training process (engine host, caller side): numbers each request,
// waits for the answer the trainer sends between two iterations, and fails clearly when the
// trainer is gone or does not answer in time. Used by the handle in client.ts.
import { AppError } from '../../../core/errors';
import type { EngineMessage, HostMessage, PreviewNetwork } from '../protocol';

export type PreviewReply = Extract<EngineMessage, { type: 'preview' }>;

export interface TrainingPreviewResult {
  studyId: string;
  k: number;
  /** Completed iterations of the network shown. */
  iteration: number;
  network: PreviewNetwork;
  /** [nx, ny] of the study's image grid. */
  dims: [number, number];
  /** nx·ny uint8 foreground probabilities ×255, i fastest. */
  probability: ArrayBuffer;
}

export type RequestPreview = (
  studyId: string,
  k: number,
  network?: PreviewNetwork,
) => Promise<TrainingPreviewResult>;

export const PREVIEW_TIMEOUT_MS = 60_000;

interface ReplySource {
  on(event: 'preview', listener: (reply: PreviewReply) => void): unknown;
  off(event: 'preview', listener: (reply: PreviewReply) => void): unknown;
}

let nextRequest = 1;

export function previewRequester(
  send: (message: HostMessage) => void,
  replies: ReplySource,
  ended: Promise<unknown>,
  timeoutMs = PREVIEW_TIMEOUT_MS,
): RequestPreview {
  let over = false;
  const waiting = new Set<() => void>();
  const finish = () => {
    over = true;
    for (const fail of waiting) fail();
  };
  ended.then(finish, finish);
  return (studyId, k, network = 'teacher') =>
    new Promise<TrainingPreviewResult>((resolve, reject) => {
      if (over) {
        reject(new AppError('NOT_FOUND', 'Training has ended: there is nothing to preview.'));
        return;
      }
      const requestId = `p${nextRequest++}`;
      const cleanup = () => {
        clearTimeout(timer);
        replies.off('preview', onReply);
        waiting.delete(onEnd);
      };
      const onReply = (reply: PreviewReply) => {
        if (reply.requestId !== requestId) return;
        cleanup();
        if (reply.preview) {
          const { probabilityBase64, ...rest } = reply.preview;
          const bytes = Buffer.from(probabilityBase64, 'base64');
          resolve({
            ...rest,
            probability: new Uint8Array(bytes).buffer,
          });
        } else {
          const error = reply.error ?? {
            code: 'INTERNAL' as const,
            message: 'Empty preview reply.',
          };
          reject(new AppError(error.code, error.message));
        }
      };
      const onEnd = () => {
        cleanup();
        reject(new AppError('NOT_FOUND', 'Training ended before the preview was computed.'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new AppError(
            'CONFLICT',
            `The trainer did not answer the preview request within ${Math.round(timeoutMs / 1000)} s (an iteration or validation is taking longer); try again later.`,
          ),
        );
      }, timeoutMs);
      replies.on('preview', onReply);
      waiting.add(onEnd);
      send({ type: 'preview', requestId, studyId, k, network });
    });
}
