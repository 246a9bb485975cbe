// API handlers for training (plain Node). PLACEHOLDER until the training work lands.
import { AppError } from '../core/errors';
import type { TrainingApiResults } from '../shared/contract/training';
import type { ProjectContext } from './context';

type TrainingHandlers = { [M in keyof TrainingApiResults]: (p: never) => Promise<TrainingApiResults[M]> };

export function createTrainingHandlers(_ctx: ProjectContext): TrainingHandlers {
  const todo = async (): Promise<never> => {
    throw new AppError('UNSUPPORTED', 'not yet');
  };
  return {
    'training.estimate': todo,
    'training.start': todo,
    'training.cancel': todo,
    'training.status': todo,
    'training.preview': todo,
  };
}
