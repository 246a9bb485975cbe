// How the Train panel words a run (renderer, pure): the studies it would use — finished,
// partially labeled (with their annotated slices), unlabeled, held back for validation — the
// backend with its compute threads, and the key that tells whether an estimate answers the
// choices on screen now.
import {
  describeBackend,
  type EngineBackendInfo,
  type StartFrom,
  type TrainingEstimate,
  type TrainingOptions,
  type TrainingProfileChoice,
} from '../../../../shared/contract/training';

/** "2 labeled, 2 partially labeled (7 slices), 8 unlabeled (…), 1 held back for validation". */
export function describeStudies(
  e: Pick<
    TrainingEstimate,
    'labeled' | 'partiallyLabeled' | 'annotatedSlices' | 'unlabeled' | 'validation'
  >,
): string {
  const parts = [`${e.labeled} labeled`];
  if (e.partiallyLabeled > 0)
    parts.push(
      `${e.partiallyLabeled} partially labeled (${e.annotatedSlices} slice${e.annotatedSlices === 1 ? '' : 's'})`,
    );
  // The plan's unlabeled studies include the partial ones (their unannotated voxels feed the
  // unlabeled terms): counted once here, with that said.
  const only = Math.max(0, e.unlabeled - e.partiallyLabeled);
  parts.push(
    e.partiallyLabeled > 0
      ? `${only} unlabeled (the partial ones feed the unlabeled terms too)`
      : `${e.unlabeled} unlabeled`,
  );
  if (e.validation > 0) parts.push(`${e.validation} held back for validation`);
  return parts.join(', ');
}

/** The backend's name with its compute threads (cpu/wasm), without the reason it was chosen. */
export function backendName(b: EngineBackendInfo): string {
  return describeBackend({ ...b, reason: '' }).replace(' ()', '');
}

/** Which request an estimate answers: profile, custom options and where the run starts. */
export function estimateKey(
  profile: TrainingProfileChoice,
  options: TrainingOptions | undefined,
  from: StartFrom | undefined,
): string {
  return JSON.stringify([profile, options ?? null, from ?? null]);
}

/**
 * What the study list says training would use — statuses and annotated slices — so the
 * estimate is asked again when another study is finished or annotated.
 */
export function studiesFingerprint(
  studies: readonly {
    id: string;
    status: string;
    annotatedSlices: { i: number; j: number; k: number };
  }[],
): string {
  return studies
    .map(
      (s) =>
        `${s.id}:${s.status}:${s.annotatedSlices.i}/${s.annotatedSlices.j}/${s.annotatedSlices.k}`,
    )
    .join('|');
}
