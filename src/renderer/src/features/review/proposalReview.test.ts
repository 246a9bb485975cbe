// Proposal review against a fake back end and a fake viewer session: a proposal opens as such
// and is never autosaved as a label — its edits are saved as a draft, which a reload or a
// study switch brings back (unless the proposal to review changed) — accepting saves what is on
// screen, rejecting can be undone, a person's own label shows the proposal as a reference to
// merge, the open study follows a new active model, and the uncertainty overlay follows the
// proposal on screen.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProposalInfo } from '../../../../shared/contract/proposals';
import type { EditorContext } from '../editor/context';
import { AUTOSAVE_DELAY_MS, LabelEditing } from '../editor/labelEditing';
import { useEditStore } from '../editor/store';
import { StudyLoader } from '../editor/studyLoader';
import {
  FakeApi,
  FakeSession,
  labelsOf,
  resetStores,
} from '../../../../../test/renderer/editorFakes';
import { useStudiesStore } from '../studies/store';
import { ProposalReview } from './proposalReview';
import { UncertaintyOverlay } from './uncertaintyOverlay';

const PROPOSED = [0, 1, 1, 1, 0, 0, 0, 0];

let api: FakeApi;
let session: FakeSession;
let editing: LabelEditing;
let loader: StudyLoader;
let review: ProposalReview;
let overlay: UncertaintyOverlay;

const state = () => useEditStore.getState();
const statusOf = (id: string) =>
  useStudiesStore.getState().project?.studies.find((s) => s.id === id)?.status;

/** The app's editor over the fake back end, as a fresh page would build it. */
function openPage(): void {
  const ctx: EditorContext = { api, session: null };
  editing = new LabelEditing(ctx);
  loader = new StudyLoader(ctx, editing);
  review = new ProposalReview(ctx, loader, editing);
  overlay = new UncertaintyOverlay(ctx, loader);
  session = new FakeSession((diff, slice) => editing.record(diff, slice));
  loader.attach(session);
}

/** A page reload: the stores start empty and the editor is built again. */
function reloadPage(): void {
  resetStores();
  api.publishProject();
  openPage();
}

async function pause(): Promise<void> {
  await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 10);
}

const proposalInfo = (studyId: string, modelId: string, humanLabel: string | null) =>
  ({ studyId, modelId, decision: 'pending', humanLabel }) as ProposalInfo;

beforeEach(async () => {
  vi.useFakeTimers();
  resetStores();
  api = new FakeApi();
  api.addStudy('s1', {
    status: 'proposal',
    proposal: {
      modelId: 'm1',
      data: Uint8Array.from(PROPOSED),
      uncertainty: new Uint8Array(8).fill(200),
    },
  });
  api.addStudy('s2', { status: 'in-progress' });
  api.addVersion('s2', [0, 0, 0, 0, 0, 0, 0, 5]);
  api.publishProject();
  openPage();
  await loader.open('s1');
});

afterEach(() => {
  vi.useRealTimers();
});

describe('proposal review', () => {
  it('opens a proposal as a proposal and saves its edits as a draft, never as a label', async () => {
    expect(labelsOf(session.loads[0]!.labels)).toEqual(PROPOSED);
    expect(session.mode).toBe('proposal');
    expect(state().review).toMatchObject({ modelId: 'm1', edited: false, draft: 'none' });

    session.paint([5], 1);
    expect(state().review).toMatchObject({ edited: true, draft: 'unsaved' });
    expect(state()).toMatchObject({ undoCount: 1, editsPending: false });
    expect(editing.hasUnsavedWork()).toBe(true);
    await pause();
    expect(api.callsOf('proposals.saveDraft')).toHaveLength(1);
    expect(api.studies.get('s1')!.draft).toMatchObject({ modelId: 'm1' });
    expect(labelsOf(api.studies.get('s1')!.draft!.data)).toEqual([0, 1, 1, 1, 0, 1, 0, 0]);
    expect(state().review).toMatchObject({ draft: 'saved', draftSavedAt: 't1' });
    expect(editing.hasUnsavedWork()).toBe(false); // the draft is in the project

    editing.saveNow();
    editing.setFinal(true);
    await editing.queue.whenSettled();
    expect(api.callsOf('labels.save')).toEqual([]);
    expect(state().final).toBe(false); // finished only by accepting
  });

  it('brings the edits back after a reload, from the draft in the project', async () => {
    session.paint([5], 1);
    await pause();
    reloadPage();
    await loader.open('s1');
    expect(labelsOf(session.loads.at(-1)!.labels)).toEqual([0, 1, 1, 1, 0, 1, 0, 0]);
    expect(state().review).toMatchObject({ modelId: 'm1', edited: true, draft: 'saved' });
    expect(state().message).toMatch(/Your edits of the proposal of m1 are back/);
    expect(session.mode).toBe('proposal');
  });

  it('saves the draft at once when the user leaves the study, and brings it back', async () => {
    session.paint([5], 1);
    const opening = loader.open('s2'); // before the autosave pause
    expect(api.callsOf('proposals.saveDraft')).toHaveLength(1);
    await opening;
    expect(state()).toMatchObject({ studyId: 's2', review: null });
    expect(session.mode).toBe('human');
    await vi.waitFor(() => expect(state().reviewDrafts).toEqual([]));
    expect(editing.hasUnsavedWork()).toBe(false);

    await loader.open('s1');
    expect(labelsOf(session.loads.at(-1)!.labels)).toEqual([0, 1, 1, 1, 0, 1, 0, 0]);
    expect(state().review).toMatchObject({ edited: true, draft: 'saved' });
  });

  it('keeps the edits in memory while their draft cannot be saved', async () => {
    api.draftFailures.push(new Error('disk full') as never);
    session.paint([5], 1);
    await loader.open('s2');
    expect(state().reviewDrafts).toEqual(['s1']);
    expect(editing.hasUnsavedWork()).toBe(true);
    await loader.open('s1');
    expect(labelsOf(session.loads.at(-1)!.labels)).toEqual([0, 1, 1, 1, 0, 1, 0, 0]);
    expect(state().review).toMatchObject({ edited: true, draft: 'unsaved' });
    await pause();
    expect(state().review).toMatchObject({ draft: 'saved' });
  });

  it('discards the draft when the edits are undone back to the proposal', async () => {
    session.paint([5], 1);
    await pause();
    editing.undo();
    expect(state().review?.edited).toBe(false);
    await pause();
    expect(api.studies.get('s1')!.draft).toBeNull();
    expect(state().review?.draft).toBe('none');
  });

  it('does not bring back edits of a proposal that is no longer the one to review', async () => {
    session.paint([5], 1);
    await loader.open('s2');
    api.studies.get('s1')!.proposal = {
      modelId: 'm2',
      data: Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0),
      uncertainty: null,
    };
    await loader.open('s1');
    expect(labelsOf(session.loads.at(-1)!.labels)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(state().review).toMatchObject({ modelId: 'm2', edited: false });
  });

  it('accepts exactly what is on screen, with the model of the proposal shown', async () => {
    session.paint([5], 1);
    await pause();
    const version = await review.accept();
    expect(version?.id).toBe('v2');
    const [accept] = api.callsOf('proposals.accept') as { data: ArrayBuffer }[];
    expect(accept).toMatchObject({ studyId: 's1', modelId: 'm1', baseVersion: null });
    expect(labelsOf(new Uint8Array(accept!.data))).toEqual([0, 1, 1, 1, 0, 1, 0, 0]);
    expect(state()).toMatchObject({
      review: null,
      final: true,
      undoCount: 0,
      message: 'Saved the proposal of m1 as label v2 (edited).',
    });
    expect(session.mode).toBe('human');
    expect(statusOf('s1')).toBe('labeled');
    expect(api.studies.get('s1')!.draft).toBeNull();

    session.paint([7], 1);
    await pause();
    await editing.queue.whenSettled();
    expect(api.saves).toEqual([
      { studyId: 's1', baseVersion: 'v2', data: [0, 1, 1, 1, 0, 1, 0, 1], final: true },
    ]);
  });

  it('sends the mask on screen even when it is the proposal as predicted', async () => {
    await review.accept();
    const [accept] = api.callsOf('proposals.accept') as { data: ArrayBuffer; modelId: string }[];
    expect(accept!.modelId).toBe('m1');
    expect(labelsOf(new Uint8Array(accept!.data))).toEqual(PROPOSED);
    expect(state().message).toBe('Saved the proposal of m1 as label v2.');
  });

  it('rejects the proposal, keeping its draft, and brings it back on undo', async () => {
    session.paint([5], 1);
    const rejected = await review.reject();
    expect(rejected).toEqual({ studyId: 's1', modelId: 'm1' });
    expect(api.callsOf('proposals.reject')).toEqual([{ studyId: 's1', modelId: 'm1' }]);
    expect(statusOf('s1')).toBe('rejected');
    expect(labelsOf(session.loads.at(-1)!.labels)).toBeNull();
    expect(state()).toMatchObject({ studyId: 's1', review: null });
    expect(session.mode).toBe('human');
    expect(editing.hasUnsavedWork()).toBe(false);

    await review.undoReject('s1', 'm1');
    expect(statusOf('s1')).toBe('proposal');
    expect(labelsOf(session.loads.at(-1)!.labels)).toEqual([0, 1, 1, 1, 0, 1, 0, 0]);
    expect(state().review).toMatchObject({ modelId: 'm1', edited: true });
  });

  it('discards the edits and shows the proposal as predicted', async () => {
    session.paint([5], 1);
    await pause();
    await review.discardEdits();
    expect(api.studies.get('s1')!.draft).toBeNull();
    expect(labelsOf(session.loads.at(-1)!.labels)).toEqual(PROPOSED);
    expect(state().review).toMatchObject({ edited: false, draft: 'none' });
    expect(state().message).toBe('Discarded your edits of the proposal of m1.');
  });

  it('shows the proposal of a study with a person’s label as a reference, to merge', async () => {
    api.studies.get('s2')!.proposal = {
      modelId: 'm1',
      data: Uint8Array.of(0, 0, 3, 3, 0, 0, 0, 3),
      uncertainty: null,
    };
    await review.follow('m1', [proposalInfo('s2', 'm1', 'v1')]);
    await loader.open('s2');
    expect(session.mode).toBe('human');
    expect(labelsOf(session.shown)).toEqual([0, 0, 0, 0, 0, 0, 0, 5]);
    expect(labelsOf(session.reference)).toEqual([0, 0, 3, 3, 0, 0, 0, 3]);
    expect(state()).toMatchObject({ review: null, reference: { modelId: 'm1', visible: true } });

    review.reference.setVisible(false);
    expect(session.reference).toBeNull();
    review.reference.merge();
    // Only where the person left the label empty: their own paint wins.
    expect(labelsOf(session.shown)).toEqual([0, 0, 3, 3, 0, 0, 0, 5]);
    expect(state().message).toMatch(/2 voxels added/);
    expect(state().undoCount).toBe(1);
    await pause();
    await editing.queue.whenSettled();
    expect(api.saves.at(-1)).toMatchObject({ studyId: 's2', data: [0, 0, 3, 3, 0, 0, 0, 5] });
  });

  it('asks for no reference where the active model has no proposal of a person’s study', async () => {
    await review.follow('m1', []);
    await loader.open('s2');
    expect(session.reference).toBeNull();
    expect(
      api.callsOf('proposals.read').filter((c) => (c as { studyId: string }).studyId === 's2'),
    ).toEqual([]);
  });

  it('follows a new active model: the open proposal reopens as the new model’s', async () => {
    api.studies.get('s1')!.proposal = {
      modelId: 'm2',
      data: Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 0),
      uncertainty: null,
    };
    await review.follow('m2', [proposalInfo('s1', 'm2', null)]);
    expect(labelsOf(session.loads.at(-1)!.labels)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    expect(state().review).toMatchObject({ modelId: 'm2', edited: false });
    expect(state().message).toMatch(/m2 is the active model now/);
    const loads = session.loads.length;
    await review.follow('m2', [proposalInfo('s1', 'm2', null)]);
    expect(session.loads).toHaveLength(loads); // already showing it
  });

  it('follows a new active model on a person’s label by redrawing the reference only', async () => {
    api.studies.get('s2')!.proposal = {
      modelId: 'm1',
      data: Uint8Array.of(0, 3, 0, 0, 0, 0, 0, 0),
      uncertainty: null,
    };
    await loader.open('s2');
    session.paint([0], 5);
    const loads = session.loads.length;
    api.studies.get('s2')!.proposal = {
      modelId: 'm2',
      data: Uint8Array.of(0, 0, 0, 3, 0, 0, 0, 0),
      uncertainty: null,
    };
    await review.follow('m2', [proposalInfo('s2', 'm2', 'v1')]);
    expect(session.loads).toHaveLength(loads); // the undo history of the label stays
    expect(state().undoCount).toBe(1);
    expect(labelsOf(session.reference)).toEqual([0, 0, 0, 3, 0, 0, 0, 0]);
    expect(state().reference?.modelId).toBe('m2');
  });

  it('shows the uncertainty of the proposal on screen, and none for a study without one', async () => {
    await overlay.set(true);
    expect(labelsOf(session.uncertainty)).toEqual(new Array(8).fill(200));
    expect(state().uncertainty).toBe('on');
    expect(api.callsOf('proposals.read').at(-1)).toMatchObject({
      kind: 'uncertainty',
      modelId: 'm1',
    });
    await loader.open('s2');
    await vi.waitFor(() => expect(state().uncertainty).toBe('unavailable'));
    expect(session.uncertainty).toBeNull();
    await overlay.set(false);
    expect(state().uncertainty).toBe('off');
  });
});
