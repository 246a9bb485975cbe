// Review commands (renderer): accept or reject the proposal in view and go to the next study to
// review, registered by id for the review panel's buttons. They run the review store's actions,
// which show what failed instead of throwing.
import type { AnyCommand } from '../../commands/registry';
import { useReviewStore } from './store';

export function reviewCommands(): AnyCommand[] {
  const review = () => useReviewStore.getState();
  return [
    { id: 'review.accept', label: 'Accept', group: 'Review', run: () => review().accept() },
    { id: 'review.reject', label: 'Reject', group: 'Review', run: () => review().reject() },
    { id: 'review.nextStudy', label: 'Next study', group: 'Review', run: () => review().next() },
  ];
}
