// Label set editor (renderer): the project's classes — pick the one to paint, rename, recolour,
// add, remove unused ones — plus per-label visibility and opacity in the views.
import { useEffect, useState } from 'react';
import type { LabelClass } from '../../../../shared/contract/project';
import { useStudiesStore } from '../studies/store';
import { DEFAULT_LABEL_DISPLAY, useAnnotationStore } from './store';

const PALETTE = ['#e0533d', '#3d8de0', '#4cc26a', '#e0c03d', '#a65de0', '#3dd6d0', '#e07b3d'];

export function LabelPanel() {
  const labels = useStudiesStore((s) => s.project?.labels);
  const saveLabelClasses = useStudiesStore((s) => s.saveLabelClasses);
  const activeLabel = useAnnotationStore((s) => s.activeLabel);
  const display = useAnnotationStore((s) => s.display);
  const labelsHidden = useAnnotationStore((s) => s.labelsHidden);
  const [draft, setDraft] = useState<LabelClass[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // Keyed by content: the project is refetched on many events (jobs, saves, reviews), and a new
  // but equal label list must not throw away an edit the user has not saved yet.
  const savedKey = JSON.stringify(labels ?? []);
  useEffect(() => setDraft(JSON.parse(savedKey) as LabelClass[]), [savedKey]);
  if (!labels) return null;
  const changed = JSON.stringify(draft) !== JSON.stringify(labels);
  const a = useAnnotationStore.getState;

  const update = (value: number, patch: Partial<LabelClass>) =>
    setDraft(draft.map((l) => (l.value === value ? { ...l, ...patch } : l)));
  const add = () => {
    const value = Math.max(0, ...draft.map((l) => l.value)) + 1;
    if (value > 255) return;
    setDraft([
      ...draft,
      { value, name: `label ${value}`, color: PALETTE[(value - 1) % PALETTE.length]! },
    ]);
  };
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      if (draft.some((l) => !l.name.trim())) throw new Error('Every label needs a name.');
      await saveLabelClasses(draft.map((l) => ({ ...l, name: l.name.trim() })));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="labels-title">
      <h2 id="labels-title">Labels</h2>
      <ul className="label-list">
        {draft.map((l) => {
          const d = display[l.value] ?? DEFAULT_LABEL_DISPLAY;
          const saved = labels.some((s) => s.value === l.value);
          return (
            <li key={l.value} className={activeLabel === l.value ? 'active' : undefined}>
              <input
                type="radio"
                name="active-label"
                aria-label={`Paint with ${l.name}`}
                checked={activeLabel === l.value}
                disabled={!saved}
                onChange={() => a().setActiveLabel(l.value)}
              />
              <input
                type="color"
                aria-label={`Colour of ${l.name}`}
                value={l.color}
                onChange={(e) => update(l.value, { color: e.target.value })}
              />
              <input
                type="text"
                aria-label={`Name of label ${l.value}`}
                value={l.name}
                maxLength={64}
                onChange={(e) => update(l.value, { name: e.target.value })}
              />
              <input
                type="checkbox"
                aria-label={`Show ${l.name}`}
                checked={d.visible}
                onChange={(e) => a().setDisplay(l.value, { visible: e.target.checked })}
              />
              <input
                type="range"
                aria-label={`Opacity of ${l.name}`}
                min={0}
                max={1}
                step={0.05}
                value={d.opacity}
                onChange={(e) => a().setDisplay(l.value, { opacity: Number(e.target.value) })}
              />
              {!saved && (
                <button
                  type="button"
                  aria-label={`Remove ${l.name}`}
                  onClick={() => setDraft(draft.filter((x) => x.value !== l.value))}
                >
                  ×
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <div className="row">
        <button type="button" onClick={add}>
          Add label
        </button>
        <button type="button" onClick={() => void save()} disabled={!changed || saving}>
          Save label set
        </button>
        <button type="button" aria-pressed={labelsHidden} onClick={() => a().toggleAllLabels()}>
          {labelsHidden ? 'Show labels' : 'Hide labels'}
        </button>
      </div>
      <p className="hint">
        Saved labels stay in the set: masks on disk may use them. New labels can be removed until
        saved.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
