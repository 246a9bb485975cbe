// Study loading and label editing against a fake back end and a fake viewer session: opening a
// study, autosave on top of the version in view, conflicts, undo/redo, switching studies with
// an unsaved edit, never saving half a stroke (nor calling it saved), and the annotated slices
// — painted or marked done — saved with each version and read back with it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../../shared/contract/errors';
import type { EditorContext } from './context';
import { AUTOSAVE_DELAY_MS, LabelEditing } from './labelEditing';
import { useEditStore } from './store';
import { StudyLoader } from './studyLoader';
import {
  FakeApi,
  FakeSession,
  labelsOf,
  resetStores,
} from '../../../../../test/renderer/editorFakes';

let api: FakeApi;
let session: FakeSession;
let editing: LabelEditing;
let loader: StudyLoader;

const state = () => useEditStore.getState();

async function autosave(): Promise<void> {
  await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
  await editing.queue.whenSettled();
}

beforeEach(() => {
  vi.useFakeTimers();
  resetStores();
  api = new FakeApi();
  api.addStudy('s1', { status: 'in-progress' });
  api.addStudy('s2');
  api.addVersion('s1', [0, 0, 0, 0, 2, 2, 0, 0]); // v1
  api.publishProject();
  const ctx: EditorContext = { api, session: null };
  editing = new LabelEditing(ctx, { retryDelaysMs: [1000] });
  loader = new StudyLoader(ctx, editing);
  session = new FakeSession((diff, slice) => editing.record(diff, slice));
  loader.attach(session);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('study loading and label editing', () => {
  it('opens a study with its stored label and autosaves an edit on top of that version', async () => {
    await loader.open('s1');
    expect(labelsOf(session.loads[0]!.labels)).toEqual([0, 0, 0, 0, 2, 2, 0, 0]);
    expect(state()).toMatchObject({ studyId: 's1', loading: false, final: false, undoCount: 0 });

    session.paint([0, 1], 1);
    expect(state()).toMatchObject({ editsPending: true, undoCount: 1 });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 10);
    expect(api.saves).toHaveLength(0); // autosave waits for a pause
    await autosave();
    expect(api.saves).toEqual([
      {
        studyId: 's1',
        baseVersion: 'v1',
        data: [1, 1, 0, 0, 2, 2, 0, 0],
        final: false,
        annotatedSlices: { i: [], j: [], k: [] },
      },
    ]);
    expect(state()).toMatchObject({
      editsPending: false,
      save: { status: 'idle', unsaved: false },
    });
    expect(editing.hasUnsavedWork()).toBe(false);

    // The next save builds on the version just written.
    session.paint([7], 1);
    await autosave();
    expect(api.saves[1]).toMatchObject({ baseVersion: 'v2', data: [1, 1, 0, 0, 2, 2, 0, 1] });
  });

  it('stops at a conflict with a newer version and saves over it when the user keeps theirs', async () => {
    await loader.open('s1');
    api.addVersion('s1', [3, 3, 3, 3, 3, 3, 3, 3]); // saved meanwhile by someone else (v2)
    session.paint([0], 1);
    await autosave();
    expect(api.saves.at(-1)).toMatchObject({ baseVersion: 'v1' });
    expect(state().save).toMatchObject({ status: 'conflict', unsaved: true });
    expect(editing.hasUnsavedWork()).toBe(true);

    editing.keepMine();
    await editing.queue.whenSettled();
    expect(api.saves.at(-1)).toMatchObject({
      baseVersion: undefined,
      data: [1, 0, 0, 0, 2, 2, 0, 0],
    });
    expect(api.studies.get('s1')!.versions.map((v) => v.id)).toEqual(['v1', 'v2', 'v3']);
    expect(state().save).toMatchObject({ status: 'idle', unsaved: false });
  });

  it('after a conflict, discards the edit and shows the newer version when the user reloads', async () => {
    await loader.open('s1');
    api.addVersion('s1', [3, 3, 3, 3, 3, 3, 3, 3]);
    session.paint([0], 1);
    await autosave();
    expect(state().save.status).toBe('conflict');

    loader.discardEditsAndReload();
    await vi.waitFor(() => expect(session.loads).toHaveLength(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(labelsOf(session.loads[1]!.labels)).toEqual([3, 3, 3, 3, 3, 3, 3, 3]);
    expect(state()).toMatchObject({ loading: false, save: { status: 'idle' }, undoCount: 0 });
    expect(editing.hasUnsavedWork()).toBe(false);
  });

  it('undoes and redoes edits in the labelmap, and a new edit drops the redo steps', async () => {
    await loader.open('s1');
    session.paint([0], 1);
    session.paint([1], 1);
    editing.undo();
    expect(labelsOf(session.shown)).toEqual([1, 0, 0, 0, 2, 2, 0, 0]);
    expect(state()).toMatchObject({ undoCount: 1, redoCount: 1 });
    editing.undo();
    expect(labelsOf(session.shown)).toEqual([0, 0, 0, 0, 2, 2, 0, 0]);
    editing.redo();
    expect(labelsOf(session.shown)).toEqual([1, 0, 0, 0, 2, 2, 0, 0]);
    expect(state()).toMatchObject({ undoCount: 1, redoCount: 1 });
    session.paint([4], 0);
    expect(state()).toMatchObject({ undoCount: 2, redoCount: 0 });
    editing.redo(); // nothing to redo any more
    expect(labelsOf(session.shown)).toEqual([1, 0, 0, 0, 0, 2, 0, 0]);
    await autosave();
    expect(api.saves.at(-1)!.data).toEqual([1, 0, 0, 0, 0, 2, 0, 0]);
  });

  it('queues an edit at once on a study switch and shows it again while it cannot be saved', async () => {
    await loader.open('s1');
    session.paint([2], 1);
    api.saveFailures.push(new ApiError('IO_FAILED', 'disk full'), new ApiError('IO_FAILED', 'x'));
    const opening = loader.open('s2');
    expect(api.callsOf('labels.save')).toHaveLength(1); // sent on leaving, not after a pause
    await opening;
    expect(state()).toMatchObject({ studyId: 's2', unsavedStudies: ['s1'] });
    expect(labelsOf(session.loads[1]!.labels)).toBeNull(); // s2 has no label yet
    expect(editing.hasUnsavedWork()).toBe(true);

    await loader.open('s1');
    expect(labelsOf(session.loads[2]!.labels)).toEqual([0, 0, 1, 0, 2, 2, 0, 0]);
    expect(api.callsOf('labels.read')).toHaveLength(2); // s1 and s2; the edit came from memory
    await vi.advanceTimersByTimeAsync(5000); // the retries go through once the disk is back
    await editing.queue.whenSettled();
    expect(api.studies.get('s1')!.versions.at(-1)!.data).toEqual(
      Uint8Array.of(0, 0, 1, 0, 2, 2, 0, 0),
    );
    expect(editing.hasUnsavedWork()).toBe(false);
  });

  it('never saves half a stroke', async () => {
    await loader.open('s1');
    session.paint([0], 1);
    session.stroke = true; // the user is drawing the next stroke
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 3);
    expect(api.saves).toHaveLength(0);
    session.stroke = false;
    await autosave();
    expect(api.saves).toHaveLength(1);
  });

  it('marks the annotation finished and saves it at once', async () => {
    await loader.open('s1');
    editing.setFinal(true);
    await editing.queue.whenSettled();
    expect(api.saves).toEqual([
      { studyId: 's1', baseVersion: 'v1', data: [0, 0, 0, 0, 2, 2, 0, 0], final: true },
    ]);
  });

  it('shows a newer load even when an older one answers later, at the slice asked for', async () => {
    const first = loader.open('s1');
    loader.showStudyAt('s2', 5);
    await loader.open('s2');
    await first;
    expect(session.studyId).toBe('s2');
    expect(session.loads.map((l) => l.header.studyId)).toEqual(['s2']);
    expect(session.shownSlices).toEqual([[2, 5]]);
    expect(state()).toMatchObject({ studyId: 's2', loading: false });
  });

  it('annotates the slice a stroke was drawn on and saves it with the version', async () => {
    await loader.open('s1');
    session.paint([0, 1], 1, 3);
    session.paint([2], 1, 3);
    session.paint([6], 1, 6);
    expect(state().annotated).toEqual({ i: [3, 6], j: [], k: [] });
    await autosave();
    expect(api.saves.at(-1)).toMatchObject({
      final: false,
      annotatedSlices: { i: [3, 6], j: [], k: [] },
    });
    // A replacement (interpolation, a merge) annotates nothing.
    session.labels.replace(Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1));
    expect(state().annotated).toEqual({ i: [3, 6], j: [], k: [] });
  });

  it('marks a slice done without paint ("no structure") and takes the mark back', async () => {
    await loader.open('s2');
    session.slice = 5;
    editing.toggleSliceDoneInView('axial');
    expect(state()).toMatchObject({ annotated: { i: [5], j: [], k: [] }, editsPending: true });
    await autosave();
    expect(api.saves).toEqual([
      {
        studyId: 's2',
        baseVersion: null,
        data: [0, 0, 0, 0, 0, 0, 0, 0],
        final: false,
        annotatedSlices: { i: [5], j: [], k: [] },
      },
    ]);
    editing.toggleSliceDoneInView('axial');
    expect(state().annotated).toEqual({ i: [], j: [], k: [] });
    await autosave();
    expect(api.saves.at(-1)?.annotatedSlices).toEqual({ i: [], j: [], k: [] });
  });

  it('reads the annotated slices back with the version, so a later save keeps them', async () => {
    api.addVersion('s2', [0, 0, 0, 3, 0, 0, 0, 0], false, { i: [3], j: [1], k: [] });
    await loader.open('s2');
    expect(state().annotated).toEqual({ i: [3], j: [1], k: [] });
    session.paint([7], 1, 7);
    await autosave();
    expect(api.saves.at(-1)?.annotatedSlices).toEqual({ i: [3, 7], j: [1], k: [] });
  });

  it('keeps the annotated slices of an edit waiting to be saved across a study switch', async () => {
    await loader.open('s1');
    session.paint([4], 1, 4);
    api.saveFailures.push(new ApiError('IO_FAILED', 'disk full'));
    await loader.open('s2');
    await loader.open('s1');
    expect(state().annotated).toEqual({ i: [4], j: [], k: [] });
  });

  it('never says "saved" while a stroke is being drawn', async () => {
    await loader.open('s1');
    editing.editStarted();
    expect(state().changing).toBe(true);
    expect(editing.hasUnsavedWork()).toBe(true);
    session.paint([0], 1, 0);
    expect(state()).toMatchObject({ changing: false, editsPending: true });
  });

  it('leaves nothing unsaved when what started changing changed nothing', async () => {
    await loader.open('s1');
    editing.editStarted();
    editing.editUnchanged();
    expect(state()).toMatchObject({ changing: false, editsPending: false });
    expect(editing.hasUnsavedWork()).toBe(false);
  });

  it('shows what the back end asks to check about a label saved as finished', async () => {
    api.finishWarnings = ['3 slices between slice 1 and slice 5 have no paint.'];
    await loader.open('s1');
    editing.setFinal(true);
    await editing.queue.whenSettled();
    expect(state().finishWarnings).toEqual(api.finishWarnings);
    editing.setFinal(false);
    expect(state().finishWarnings).toEqual([]);
  });
});
