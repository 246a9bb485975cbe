// The Train panel's choices (renderer, browser storage): profile, custom iterations, the
// unlabeled terms, predicting afterwards and where to start from — kept in localStorage, so a
// reload (or the next session) keeps what the user picked.
import {
  TRAINING_PROFILES,
  type TrainingProfileChoice,
} from '../../../../shared/contract/training';
import type { StartChoice } from './StartFrom';

// The time each takes is measured on this machine and shown under the choice, not promised here.
export const PROFILE_LABEL: Record<TrainingProfileChoice, string> = {
  quick: 'Quick (2 mm grid, small network, 300 iterations)',
  paper: 'Paper (112×112×80, 6000 iterations)',
  tiny: 'Tiny (smoke test)',
  custom: 'Custom',
};

export interface TrainForm {
  profile: TrainingProfileChoice;
  iterations: number;
  supervisedOnly: boolean;
  predictAfter: boolean;
  startFrom: StartChoice;
}

const FORM_KEY = 'simcvd.training.form';
const DEFAULT_FORM: TrainForm = {
  profile: 'quick',
  iterations: 300,
  supervisedOnly: false,
  predictAfter: true,
  startFrom: 'continue',
};

/** The last choices, or the defaults. */
export function loadForm(): TrainForm {
  try {
    const saved = JSON.parse(localStorage.getItem(FORM_KEY) ?? '{}') as Partial<TrainForm>;
    return {
      profile: TRAINING_PROFILES.includes(saved.profile!) ? saved.profile! : DEFAULT_FORM.profile,
      iterations:
        Number.isInteger(saved.iterations) && saved.iterations! > 0
          ? saved.iterations!
          : DEFAULT_FORM.iterations,
      supervisedOnly: saved.supervisedOnly === true,
      predictAfter: saved.predictAfter !== false,
      startFrom: saved.startFrom === 'scratch' ? 'scratch' : 'continue',
    };
  } catch {
    return DEFAULT_FORM;
  }
}

export function saveForm(form: TrainForm): TrainForm {
  try {
    localStorage.setItem(FORM_KEY, JSON.stringify(form));
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this page only.
  }
  return form;
}
