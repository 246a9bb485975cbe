// Save status (renderer): whether the open study's edits are on disk, saving, retrying or
// failed — with the actions that fix it — or, for a proposal under review, its draft; and the
// "finished" toggle for the annotation.
import { useEffect, useState } from 'react';
import { labelEditing, studyLoader } from './instance';
import { useEditStore } from './store';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function SaveStatus() {
  const studyId = useEditStore((s) => s.studyId);
  const save = useEditStore((s) => s.save);
  const editsPending = useEditStore((s) => s.editsPending);
  // A stroke being drawn is an edit too: never "saved" while the user paints.
  const changing = useEditStore((s) => s.changing);
  const final = useEditStore((s) => s.final);
  const loading = useEditStore((s) => s.loading);
  const others = useEditStore((s) => s.unsavedStudies);
  const drafts = useEditStore((s) => s.reviewDrafts);
  const review = useEditStore((s) => s.review);
  const draftNote = drafts.length > 0 && (
    <span className="status-busy">Edited proposals not saved yet: {drafts.join(', ')}</span>
  );
  const now = useNow(save.status === 'retrying');
  if (!studyId) return null;
  if (review) {
    // A proposal is saved as a draft, never as a label, until it is accepted: say which.
    const text = !review.edited
      ? 'Reviewing a proposal'
      : review.draft === 'saved'
        ? 'Proposal edited — draft saved (a label once accepted)'
        : review.draft === 'saving'
          ? 'Proposal edited — saving the draft…'
          : review.draft === 'failed'
            ? `Proposal edited — draft not saved: ${review.draftError ?? 'unknown error'}`
            : 'Proposal edited — draft not saved yet';
    return (
      <div className="save-status">
        <span
          role="status"
          aria-live="polite"
          className={`save-text status-${review.draft === 'failed' ? 'error' : 'busy'}`}
          data-save-state="review"
          title={text}
        >
          {text}
        </span>
        {draftNote}
      </div>
    );
  }

  let text: string;
  let tone = 'ok';
  if (save.status === 'conflict') {
    text = `Not saved: ${save.error}`;
    tone = 'error';
  } else if (save.status === 'failed') {
    text = `Save failed: ${save.error}`;
    tone = 'error';
  } else if (save.status === 'retrying') {
    const seconds = Math.max(0, Math.ceil(((save.retryAtMs ?? now) - now) / 1000));
    text = `Save failed (${save.error}); retrying in ${seconds} s — edits are kept`;
    tone = 'error';
  } else if (save.status === 'saving') {
    text = 'Saving…';
    tone = 'busy';
  } else if (editsPending || changing || save.unsaved) {
    text = 'Unsaved changes';
    tone = 'busy';
  } else {
    text = 'All changes saved';
  }

  return (
    <div className="save-status">
      <span
        role="status"
        aria-live="polite"
        className={`save-text status-${tone}`}
        data-save-state={tone}
        title={text}
      >
        {text}
      </span>
      {(save.status === 'failed' || save.status === 'retrying') && (
        <button type="button" onClick={() => labelEditing.saveNow()}>
          Retry now
        </button>
      )}
      {save.status === 'conflict' && (
        <>
          <button type="button" onClick={() => labelEditing.keepMine()}>
            Keep my edit as newest version
          </button>
          <button type="button" onClick={() => studyLoader.discardEditsAndReload()}>
            Discard my edit and reload
          </button>
        </>
      )}
      <label className="final-toggle">
        <input
          type="checkbox"
          checked={final}
          disabled={loading}
          onChange={(e) => labelEditing.setFinal(e.target.checked)}
        />
        Annotation finished
      </label>
      {others.length > 0 && <span className="status-busy">Also unsaved: {others.join(', ')}</span>}
      {draftNote}
    </div>
  );
}
