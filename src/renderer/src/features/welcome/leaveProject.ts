// Leaving the open project (renderer): before any switch or close, pending edits are saved;
// edits that cannot be saved are only dropped when the user says so, and the editor forgets the
// study in view so nothing of one project is ever written into another.
import { labelEditing } from '../editor/instance';
import { useEditStore } from '../editor/store';

/** Resolves to false when the user chose to stay (unsaved edits). */
export async function leaveProject(): Promise<boolean> {
  labelEditing.flushToQueue();
  await labelEditing.queue.whenSettled();
  if (labelEditing.hasUnsavedWork()) {
    const studies = labelEditing.queue.unsavedStudies();
    const which = studies.length ? ` (${studies.join(', ')})` : '';
    const leave = window.confirm(
      `Some edits could not be saved${which}. Leave this project and lose them?`,
    );
    if (!leave) return false;
    for (const studyId of studies) labelEditing.queue.discard(studyId);
  }
  // The viewer remounts for the next project; without this it would reopen this study there.
  useEditStore.setState({ studyId: null, loadError: null, editsPending: false });
  return true;
}
