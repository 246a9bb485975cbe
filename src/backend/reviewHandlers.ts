// API handlers for review (plain Node). PLACEHOLDER until the review work lands.
import { AppError } from '../core/errors';
import type { ReviewApiResults } from '../shared/contract/review';
import type { ProjectContext } from './context';

type ReviewHandlers = { [M in keyof ReviewApiResults]: (p: never) => Promise<ReviewApiResults[M]> };

export function createReviewHandlers(_ctx: ProjectContext): ReviewHandlers {
  const todo = async (): Promise<never> => {
    throw new AppError('UNSUPPORTED', 'not yet');
  };
  return {
    'models.list': todo,
    'models.setActive': todo,
    'models.history': todo,
    'proposals.predict': todo,
    'proposals.list': todo,
    'proposals.read': todo,
    'proposals.accept': todo,
    'proposals.reject': todo,
    'studies.rank': todo,
  };
}
