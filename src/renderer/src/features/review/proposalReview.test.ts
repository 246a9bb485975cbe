// Proposal review against a fake back end and a fake viewer session: a proposal opens as such
// and is never autosaved, its edits survive a study switch as a draft (unless the proposal to
// review changed), accepting saves it as a label version, rejecting reopens the study without
// it, and the uncertainty overlay follows the open study.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EditorContext } from '../editor/context';
import { AUTOSAVE_DELAY_MS, LabelEditing } from '../editor/labelEditing';
import { useEditStore } from '../editor/store';
import { StudyLoader } from '../editor/studyLoader';
import { FakeApi, FakeSession, labelsOf, resetStores } from '../editor/testFakes';
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
  const ctx: EditorContext = { api, session: null };
  editing = new LabelEditing(ctx);
  loader = new StudyLoader(ctx, editing);
  review = new ProposalReview(ctx, loader, editing);
  overlay = new UncertaintyOverlay(ctx, loader);
  session = new FakeSession((diff) => editing.record(diff));
  loader.attach(session);
  await loader.open('s1');
});

afterEach(() => {
  vi.useRealTimers();
});

describe('proposal review', () => {
  it('opens a proposal as a proposal and never autosaves its edits', async () => {
    expect(labelsOf(session.loads[0]!.labels)).toEqual(PROPOSED);
    expect(session.mode).toBe('proposal');
    expect(state().review).toEqual({ modelId: 'm1', edited: false, busy: false });

    session.paint([5], 1);
    expect(state().review?.edited).toBe(true);
    expect(state()).toMatchObject({ undoCount: 1, editsPending: false });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 4);
    editing.saveNow();
    editing.setFinal(true);
    await editing.queue.whenSettled();
    expect(api.callsOf('labels.save')).toEqual([]);
    expect(state().final).toBe(false); // finished only by accepting
    expect(editing.hasUnsavedWork()).toBe(true);
  });

  it('keeps the edited proposal across a study switch and brings it back', async () => {
    session.paint([5], 1);
    await loader.open('s2');
    expect(state()).toMatchObject({ studyId: 's2', review: null, reviewDrafts: ['s1'] });
    expect(session.mode).toBe('human');
    expect(editing.hasUnsavedWork()).toBe(true);
    session.paint([0], 5); // s2 is an ordinary label: it autosaves
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    await editing.queue.whenSettled();
    expect(api.callsOf('labels.save')).toHaveLength(1);

    await loader.open('s1');
    expect(labelsOf(session.loads.at(-1)!.labels)).toEqual([0, 1, 1, 1, 0, 1, 0, 0]);
    expect(state()).toMatchObject({
      reviewDrafts: [],
      review: { modelId: 'm1', edited: true, busy: false },
      message: 'Your unsaved edits of the proposal of m1 are back: accept to save them.',
    });
    expect(session.mode).toBe('proposal');
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
    expect(state()).toMatchObject({
      reviewDrafts: [],
      review: { modelId: 'm2', edited: false },
      message:
        'Your edits of the proposal of m1 were not kept: that proposal is no longer the one to review.',
    });
  });

  it('does not bring back edits made over a label that was saved since', async () => {
    session.paint([5], 1);
    await loader.open('s2');
    api.addVersion('s1', [4, 4, 4, 4, 4, 4, 4, 4]); // another window labeled s1 meanwhile
    await loader.open('s1');
    expect(labelsOf(session.loads.at(-1)!.labels)).toEqual(PROPOSED);
    expect(state()).toMatchObject({ reviewDrafts: [], review: { modelId: 'm1', edited: false } });
    expect(state().message).toMatch(/were not kept/);
  });

  it('accepts the edited proposal as a final label version, which then autosaves as usual', async () => {
    session.paint([5], 1);
    const version = await review.accept();
    expect(version?.id).toBe('v2');
    expect(api.callsOf('proposals.accept')).toEqual([
      expect.objectContaining({ studyId: 's1', modelId: 'm1', baseVersion: null }),
    ]);
    expect(api.studies.get('s1')!.versions.at(-1)!.data).toEqual(
      Uint8Array.of(0, 1, 1, 1, 0, 1, 0, 0),
    );
    expect(state()).toMatchObject({
      review: null,
      final: true,
      undoCount: 0,
      message: 'Saved the proposal of m1 as label v2 (edited).',
    });
    expect(session.mode).toBe('human');
    expect(statusOf('s1')).toBe('labeled');

    session.paint([7], 1);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    await editing.queue.whenSettled();
    expect(api.saves).toEqual([
      { studyId: 's1', baseVersion: 'v2', data: [0, 1, 1, 1, 0, 1, 0, 1], final: true },
    ]);
  });

  it('accepts an unedited proposal without sending a mask', async () => {
    await review.accept();
    expect(api.callsOf('proposals.accept')).toEqual([
      { studyId: 's1', modelId: 'm1', baseVersion: null },
    ]);
    expect(state().message).toBe('Saved the proposal of m1 as label v2.');
  });

  it('rejects the proposal and reopens the study without it', async () => {
    session.paint([5], 1);
    await review.reject();
    expect(api.callsOf('proposals.reject')).toEqual([{ studyId: 's1', modelId: 'm1' }]);
    expect(statusOf('s1')).toBe('rejected');
    expect(labelsOf(session.loads.at(-1)!.labels)).toBeNull();
    expect(state()).toMatchObject({
      studyId: 's1',
      review: null,
      reviewDrafts: [],
      message: 'Rejected the proposal of m1.',
    });
    expect(session.mode).toBe('human');
    expect(editing.hasUnsavedWork()).toBe(false);
  });

  it('shows the uncertainty overlay from study to study while it is on', async () => {
    await overlay.set(true);
    expect(labelsOf(session.uncertainty)).toEqual(new Array(8).fill(200));
    expect(state().uncertainty).toBe('on');
    await loader.open('s2');
    await vi.waitFor(() => expect(state().uncertainty).toBe('unavailable'));
    expect(session.uncertainty).toBeNull();
    await overlay.set(false);
    expect(state().uncertainty).toBe('off');
  });
});
