// PACS job → words (renderer, pure): the phase, "done / total, percentage, time left", whether
// the job has ended, and the result lines of a retrieve (imported studies, attached SEGs,
// skips with reasons, warnings). The SEG export's result has its own lines in features/project.
import type {
  PacsJobPhase,
  PacsJobState,
  PacsProgress,
  PacsRetrieveResult,
} from '../../../../shared/contract/pacs';

const ENDED: ReadonlySet<PacsJobPhase> = new Set(['finished', 'failed', 'cancelled']);

export function jobEnded(job: Pick<PacsJobState, 'phase'> | null): boolean {
  return job === null || ENDED.has(job.phase);
}

const PHASES: Record<PacsJobPhase, string> = {
  starting: 'Starting',
  listing: 'Listing instances',
  downloading: 'Downloading',
  importing: 'Importing',
  writing: 'Writing SEG',
  sending: 'Sending (STOW-RS)',
  finished: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function phaseText(phase: PacsJobPhase): string {
  return PHASES[phase];
}

/** Whole percent done, 0 while the total is unknown. */
export function progressPercent(progress: Pick<PacsProgress, 'done' | 'total'>): number {
  if (progress.total <= 0) return 0;
  return Math.min(100, Math.floor((progress.done / progress.total) * 100));
}

/** "about 40 s left", "about 3 min left", "about 1 h 5 min left". */
export function etaText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `about ${s} s left`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const h = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${h} h${rest ? ` ${rest} min` : ''} left`;
}

/** One line: "Downloading 12 / 40 (30%), about 20 s left — resumed 5". */
export function progressText(job: Pick<PacsJobState, 'phase' | 'progress'>): string {
  const phase = phaseText(job.phase);
  const p = job.progress;
  if (!p || jobEnded(job)) return phase;
  let text = `${phase} ${p.done} / ${p.total} (${progressPercent(p)}%)`;
  if (p.etaSeconds !== undefined && p.done < p.total) text += `, ${etaText(p.etaSeconds)}`;
  if (p.resumed) text += ` — ${p.resumed} found from an interrupted retrieve`;
  return text;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function retrieveHeadline(result: PacsRetrieveResult): string {
  const parts = [`Imported ${plural(result.imported.length, 'study', 'studies')}`];
  if (result.segmentations.length)
    parts.push(`attached ${plural(result.segmentations.length, 'SEG', 'SEGs')}`);
  if (result.skipped.length) parts.push(`skipped ${result.skipped.length}`);
  const counts = `${plural(result.downloaded, 'instance', 'instances')} downloaded${
    result.resumed ? `, ${result.resumed} resumed` : ''
  }`;
  return `${parts.join(', ')} (${counts})`;
}

/** The detail lines under the headline, each one fact. */
export function retrieveNotes(result: PacsRetrieveResult): string[] {
  return [
    ...result.imported.map((s) => `Study ${s.id}${s.labeled ? ' (with its label)' : ''}`),
    ...result.segmentations.map((s) => `SEG attached to ${s.studyId} as ${s.versionId}`),
    ...result.skipped.map((s) => `Skipped ${s.source}: ${s.reason}`),
    ...result.warnings.map((w) => `Warning: ${w}`),
    ...result.imported.flatMap((s) => s.warnings.map((w) => `Warning: ${s.id}: ${w}`)),
  ];
}
