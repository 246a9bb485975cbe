// Review commands (renderer): accept the proposal in view (A), ask to reject it (R: the panel
// then asks once), and go to the next study to review (N) — registered by id for the review
// panel's buttons, the keyboard and the help overlay. They run the review store's actions,
// which show what failed instead of throwing.
import { plainKey } from '../../commands/keys';
import { storeCondition, type AnyCommand } from '../../commands/registry';
import { useEditStore } from '../editor/store';
import { useReviewStore } from './store';

export function reviewCommands(): AnyCommand[] {
  const review = () => useReviewStore.getState();
  const reviewing = storeCondition(useEditStore, (s) => s.review !== null && !s.review.busy);
  return [
    {
      id: 'review.accept',
      label: 'Accept',
      description: 'Accept the proposal in view as the study’s label (what is on screen)',
      group: 'Review',
      shortcut: { keys: 'A', bindings: [plainKey('a')] },
      enabled: reviewing,
      run: () => review().accept(),
    },
    {
      id: 'review.reject',
      label: 'Reject',
      description: 'Reject the proposal in view (asks first; can be undone)',
      group: 'Review',
      shortcut: { keys: 'R', bindings: [plainKey('r')] },
      enabled: reviewing,
      run: () => review().askReject(),
    },
    {
      id: 'review.nextStudy',
      label: 'Next study',
      description: 'Next study to review, at its most uncertain slice',
      group: 'Review',
      shortcut: { keys: 'N', bindings: [plainKey('n')] },
      enabled: storeCondition(useReviewStore, (s) => s.activeModelId !== null),
      run: () => review().next(),
    },
  ];
}
