// Where the next training starts (renderer): continue from the active model version — the next
// round of the loop, shorter, from its weights — or from scratch. Continuing is offered only when
// the model's network fits the project (same label classes); otherwise it says why.
import type { ContinuationCheck } from '../../../../shared/contract/training';

export type StartChoice = 'continue' | 'scratch';

export function StartFrom({
  check,
  choice,
  disabled,
  onChange,
}: {
  check: ContinuationCheck | null;
  choice: StartChoice;
  disabled: boolean;
  onChange(choice: StartChoice): void;
}) {
  if (!check) return null;
  const continuing = check.possible && choice === 'continue';
  const labels = `${check.newLabels} new label${check.newLabels === 1 ? '' : 's'}`;
  return (
    <fieldset className="training-start-from" disabled={disabled}>
      <legend>Start from</legend>
      <label className="inline">
        <input
          type="radio"
          name="start-from"
          checked={continuing}
          disabled={!check.possible}
          onChange={() => onChange('continue')}
        />
        Continue from {check.modelId} ({labels})
      </label>
      {!check.possible && (
        <p className="hint">
          Cannot continue from {check.modelId}: {check.reason}.
        </p>
      )}
      <label className="inline">
        <input
          type="radio"
          name="start-from"
          checked={!continuing}
          onChange={() => onChange('scratch')}
        />
        From scratch
      </label>
    </fieldset>
  );
}
