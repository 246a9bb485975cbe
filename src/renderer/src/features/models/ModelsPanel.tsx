// Model versions (renderer): every trained model with its profile, iterations, validation Dice,
// date and the labeled studies it learned from; which one is active; "Use this model" makes
// another one active (rolling back to an older model, or forward again).
import { useEffect } from 'react';
import type { ModelListEntry } from '../../../../shared/contract/models';
import { useReviewStore } from '../review/store';

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function ModelItem({ model, busy }: { model: ModelListEntry; busy: boolean }) {
  const dice = model.metrics.validationDice;
  return (
    <li className={`model-item${model.active ? ' active' : ''}`} aria-label={`Model ${model.id}`}>
      <div className="model-head">
        <strong>{model.id}</strong>
        {model.active && <span className="model-badge">active</span>}
        <span className="hint">{formatDate(model.createdAt)}</span>
      </div>
      <dl className="model-facts">
        <dt>Profile</dt>
        <dd>
          {model.profile}
          {model.supervisedOnly ? ' (supervised only)' : ''}
        </dd>
        <dt>Iterations</dt>
        <dd>{model.iterations}</dd>
        <dt>Started from</dt>
        <dd>{model.parent ? `${model.parent} (continued)` : 'scratch'}</dd>
        <dt>Validation Dice</dt>
        <dd>{dice === null ? '–' : dice.toFixed(3)}</dd>
        <dt>Proposals</dt>
        <dd>{model.proposals}</dd>
      </dl>
      <details>
        <summary>
          Trained on {model.labeled.length} labeled
          {model.labeled.length === 1 ? ' study' : ' studies'}
          {model.unlabeled.length > 0 ? ` + ${model.unlabeled.length} unlabeled` : ''}
        </summary>
        <ul className="model-studies">
          {model.labeled.map((l) => (
            <li key={l.studyId}>
              {l.studyId} <span className="hint">label {l.labelVersion}</span>
            </li>
          ))}
        </ul>
      </details>
      {!model.active && (
        <button
          type="button"
          aria-label={`Use this model (${model.id})`}
          disabled={busy}
          onClick={() => void useReviewStore.getState().setActive(model.id)}
        >
          Use this model
        </button>
      )}
    </li>
  );
}

export function ModelsPanel() {
  const models = useReviewStore((s) => s.models);
  const busy = useReviewStore((s) => s.busy);
  useEffect(() => {
    void useReviewStore.getState().refresh();
  }, []);
  return (
    <section className="panel models-panel" aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      {models.length === 0 ? (
        <p className="hint">No model yet: train one on the labeled studies.</p>
      ) : (
        <ul className="model-list">
          {[...models].reverse().map((m) => (
            <ModelItem key={m.id} model={m} busy={busy !== null} />
          ))}
        </ul>
      )}
    </section>
  );
}
