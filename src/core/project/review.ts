// Reviewing model proposals (plain Node): which studies have a proposal waiting, accepting one
// as a new final label version whose provenance names the model (edited or as predicted),
// rejecting one, and the proposal volumes the viewer shows. Human labels are never touched
// except by adding a version on accept.
import {
  hasFinalLabel,
  summarizeStudy,
  type LabelVersion,
  type StudyRecord,
  type StudySummary,
} from '../../shared/contract/project';
import { AppError } from '../errors';
import { pathExists } from '../fs/exists';
import { readVolumeFile } from '../volume/nifti';
import type { Volume } from '../volume/volume';
import { activeModelId } from './activeModel';
import type { ProposalBrief } from '../../shared/contract/proposals';
import { modelProposals, type ReviewedProposal } from './proposalFacts';
import { discardProposalDraft, proposalDraftInfo, type ProposalDraftInfo } from './proposalDrafts';
import { proposalFile, resolveModelId } from './proposals';
import type { ProjectStore, StudyReview } from './store';

export type ProposalDecision = 'pending' | 'accepted' | 'rejected';

/** What summarizing needs: the active model and the proposals it made, with their facts. */
export interface ReviewView {
  activeModelId: string | null;
  proposals: Map<string, ReviewedProposal>;
}

export async function reviewView(
  store: ProjectStore,
  studies?: StudyRecord[],
): Promise<ReviewView> {
  const active = await activeModelId(store);
  const proposals = active ? (await modelProposals(store, active, { studies })).proposals : [];
  return { activeModelId: active, proposals: new Map(proposals.map((p) => [p.studyId, p])) };
}

/** The decision about `modelId`'s proposal for this study (a decision on another model's
 *  proposal says nothing about this one). */
export function decisionFor(study: StudyRecord, modelId: string): ProposalDecision {
  return study.review?.modelId === modelId ? study.review.decision : 'pending';
}

/**
 * True when the active model proposed a mask for this study, nobody has decided on it, and no
 * person has started a label (a study with human paint is theirs: the proposal is only a
 * reference there).
 */
export function hasPendingProposal(study: StudyRecord, view: ReviewView): boolean {
  return (
    view.activeModelId !== null &&
    view.proposals.has(study.id) &&
    study.currentLabel === null &&
    decisionFor(study, view.activeModelId) === 'pending'
  );
}

/** The table's view of a proposal: its size and warnings. */
export function proposalBrief(proposal: ReviewedProposal): ProposalBrief {
  return {
    modelId: proposal.modelId,
    foregroundVoxels: proposal.facts.foregroundVoxels,
    volumeMl: proposal.facts.volumeMl,
    classes: proposal.facts.classes,
    flags: proposal.flags,
  };
}

export function summarizeForReview(study: StudyRecord, view: ReviewView): StudySummary {
  const pending = hasPendingProposal(study, view);
  // A rejection of an older model's proposal does not hide the active model's new proposal.
  const summary = summarizeStudy(pending ? { ...study, review: null } : study, pending);
  const proposal = pending ? view.proposals.get(study.id) : undefined;
  return proposal ? { ...summary, proposal: proposalBrief(proposal) } : summary;
}

/** Every study with its status, "proposal", "accepted" and "rejected" included. */
export async function summarizeStudies(store: ProjectStore): Promise<StudySummary[]> {
  const studies = await store.listStudies();
  const view = await reviewView(store, studies);
  return studies.map((s) => summarizeForReview(s, view));
}

export async function summarizeStudyById(
  store: ProjectStore,
  studyId: string,
): Promise<StudySummary> {
  return summarizeForReview(await store.getStudy(studyId), await reviewView(store));
}

export interface ProposalListEntry extends ReviewedProposal {
  decision: ProposalDecision;
  /** The study's current label when a person has started one (not finished): not to review. */
  humanLabel: string | null;
  /** Unaccepted edits saved for this proposal, if any. */
  draft: ProposalDraftInfo | null;
}

/**
 * A model's proposals with facts, flags and the decision on each. Proposals for studies that
 * got a finished label some other way since are left out: there is nothing to review any more.
 */
export async function listProposalsForReview(
  store: ProjectStore,
  modelId: string,
): Promise<{ validationDice: number | null; proposals: ProposalListEntry[] }> {
  const all = await store.listStudies();
  const studies = new Map(all.map((s) => [s.id, s]));
  const { validationDice, proposals } = await modelProposals(store, modelId, { studies: all });
  const out: ProposalListEntry[] = [];
  for (const proposal of proposals) {
    const study = studies.get(proposal.studyId);
    if (!study) continue;
    const decision = decisionFor(study, modelId);
    if (decision === 'pending' && hasFinalLabel(study)) continue;
    out.push({
      ...proposal,
      decision,
      humanLabel: hasFinalLabel(study) ? null : study.currentLabel,
      draft: await proposalDraftInfo(store, study.id, modelId),
    });
  }
  return { validationDice, proposals: out };
}

/** The file of a proposal, checked to exist (with a message saying how to make it). */
async function existingProposalFile(
  store: ProjectStore,
  studyId: string,
  modelId: string,
  kind: 'label' | 'uncertainty',
): Promise<string> {
  await store.getStudy(studyId);
  await resolveModelId(store, modelId);
  const file = proposalFile(store, modelId, studyId, kind);
  if (!(await pathExists(file))) {
    throw new AppError(
      'NOT_FOUND',
      `Model ${modelId} has no proposal for study "${studyId}": predict proposals with it first ` +
        '("Predict proposals" in the app, or "simcvd predict").',
    );
  }
  return file;
}

/** A proposal's label map or float uncertainty map, checked to lie on the study's grid. */
export async function readProposal(
  store: ProjectStore,
  studyId: string,
  modelId: string,
  kind: 'label' | 'uncertainty',
): Promise<Volume> {
  const file = await existingProposalFile(store, studyId, modelId, kind);
  const study = await store.getStudy(studyId);
  const volume = await readVolumeFile(file);
  if (volume.dims.some((n, a) => n !== study.dims[a])) {
    throw new AppError(
      'CORRUPT_FILE',
      `${file} is ${volume.dims.join('×')} but study "${studyId}" is ${study.dims.join('×')}; ` +
        'predict the proposals again.',
    );
  }
  return volume;
}

/** Uncertainty in [0, 1] as bytes (×255, rounded); non-finite values count as 0. */
export function uncertaintyToBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let n = 0; n < values.length; n++) {
    const v = values[n]!;
    out[n] = Number.isFinite(v) ? Math.round(Math.min(1, Math.max(0, v)) * 255) : 0;
  }
  return out;
}

function sameVoxels(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) return false;
  return true;
}

/**
 * CONFLICT when the proposal decided on is not the active model's: the screen showed an older
 * model's proposal (a new model finished, or another became active, meanwhile).
 */
async function assertActive(store: ProjectStore, studyId: string, modelId: string): Promise<void> {
  const active = await activeModelId(store);
  if (active !== modelId)
    throw new AppError(
      'CONFLICT',
      `The proposal for study "${studyId}" came from ${modelId}, but the active model is now ` +
        `${active ?? 'none'}; reopen the study to review ${active ?? 'it'}'s proposal.`,
    );
}

function assertUndecided(study: StudyRecord, modelId: string): void {
  const decision = decisionFor(study, modelId);
  if (decision !== 'pending') {
    throw new AppError(
      'CONFLICT',
      `The proposal of ${modelId} for study "${study.id}" was already ${decision} ` +
        `(${study.review!.at}). Restore an earlier label version to undo an accept.`,
    );
  }
}

export interface AcceptRequest {
  studyId: string;
  modelId: string;
  /** The user's edited mask (uint8, file order); absent: the proposal as predicted. */
  data?: Uint8Array;
  /** Version the review started from (null: unlabeled); absent: no check. */
  baseVersion?: string | null;
  note?: string;
}

/**
 * Accepts a proposal as the study's new final label version, provenance {model, edited}; the
 * decision is recorded in the same write. Refuses to silently replace a finished label.
 */
export async function acceptProposal(
  store: ProjectStore,
  request: AcceptRequest,
): Promise<{ version: LabelVersion; study: StudySummary }> {
  const { studyId, modelId } = request;
  const study = await store.getStudy(studyId);
  const proposal = await readProposal(store, studyId, modelId, 'label');
  await assertActive(store, studyId, modelId);
  assertUndecided(study, modelId);
  if (request.baseVersion === undefined && hasFinalLabel(study)) {
    throw new AppError(
      'CONFLICT',
      `Study "${studyId}" already has a finished label (${study.currentLabel}); accepting the ` +
        `proposal of ${modelId} would replace it. Send the version you reviewed as baseVersion ` +
        'to replace it anyway.',
    );
  }
  const expected = study.dims[0] * study.dims[1] * study.dims[2];
  if (request.data && request.data.length !== expected) {
    throw new AppError(
      'BAD_INPUT',
      `The edited mask for study "${studyId}" has ${request.data.length} voxels but the image ` +
        `has ${study.dims.join('×')} = ${expected}; reload the study and review it again.`,
    );
  }
  const data = request.data ?? proposal.data;
  // A final label with no foreground is refused by training, so it must not enter that way.
  if (!data.some((v) => v !== 0)) {
    throw new AppError(
      'BAD_INPUT',
      `The ${request.data ? 'edited mask' : `proposal of ${modelId}`} for study "${studyId}" ` +
        'has no foreground voxels. Draw the structure before accepting, or reject the proposal.',
    );
  }
  const edited = request.data !== undefined && !sameVoxels(request.data, proposal.data);
  const review: StudyReview = {
    modelId,
    decision: 'accepted',
    at: new Date().toISOString(),
    ...(request.note ? { note: request.note } : {}),
  };
  const version = await store.saveLabel(
    studyId,
    { dims: study.dims, affine: study.affine, data },
    {
      provenance: { kind: 'model', modelId, edited },
      final: true,
      note: request.note ?? `${edited ? 'edited and accepted' : 'accepted'} proposal of ${modelId}`,
      review,
      ...(request.baseVersion !== undefined ? { baseVersion: request.baseVersion } : {}),
    },
  );
  // The draft is a label version now.
  await discardProposalDraft(store, studyId, modelId);
  return { version, study: await summarizeStudyById(store, studyId) };
}

/** Records that a proposal is wrong; the study's labels stay exactly as they are. */
export async function rejectProposal(
  store: ProjectStore,
  request: { studyId: string; modelId: string; note?: string },
): Promise<StudySummary> {
  const { studyId, modelId } = request;
  await existingProposalFile(store, studyId, modelId, 'label');
  await assertActive(store, studyId, modelId);
  assertUndecided(await store.getStudy(studyId), modelId);
  await store.recordReview(studyId, {
    modelId,
    decision: 'rejected',
    at: new Date().toISOString(),
    ...(request.note ? { note: request.note } : {}),
  });
  return summarizeStudyById(store, studyId);
}

/**
 * Takes back a rejection of `modelId`'s proposal: the proposal is pending again (any draft of
 * it was kept). Only the latest decision can be taken back, and only while it is a rejection.
 */
export async function undoRejectProposal(
  store: ProjectStore,
  request: { studyId: string; modelId: string },
): Promise<StudySummary> {
  const { studyId, modelId } = request;
  const study = await store.getStudy(studyId);
  if (study.review?.modelId !== modelId || study.review.decision !== 'rejected')
    throw new AppError(
      'CONFLICT',
      `Study "${studyId}" has no rejection of ${modelId}'s proposal to undo` +
        (study.review
          ? ` (its last decision: ${study.review.decision}, ${study.review.modelId}).`
          : '.'),
    );
  await store.recordReview(studyId, null);
  return summarizeStudyById(store, studyId);
}
