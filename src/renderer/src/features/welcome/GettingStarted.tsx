// "Getting started" (renderer): on the demo project, the loop in four steps — annotate, train
// (quick), review a proposal, export — ticking themselves as the user does them. Dismissable.
import { useEffect } from 'react';
import { useStudiesStore } from '../studies/store';
import { CHECKLIST_STEPS } from './checklist';
import { useChecklistStore } from './checklistStore';

export function GettingStarted() {
  const root = useStudiesStore((s) => s.project?.root);
  const demoPath = useStudiesStore((s) => s.app?.defaultDemoPath);
  const isDemo = Boolean(root && demoPath && root.startsWith(demoPath));
  const done = useChecklistStore((s) => s.done);
  const dismissed = useChecklistStore((s) => s.dismissed);
  const dismiss = useChecklistStore((s) => s.dismiss);
  const connect = useChecklistStore((s) => s.connect);

  useEffect(() => (isDemo && root ? connect(root) : undefined), [isDemo, root, connect]);

  if (!isDemo || dismissed) return null;
  const count = CHECKLIST_STEPS.filter((step) => done[step.id]).length;
  return (
    <section className="panel getting-started" aria-labelledby="getting-started-title">
      <div className="row">
        <h2 id="getting-started-title">
          Getting started{' '}
          <span className="count">
            ({count} of {CHECKLIST_STEPS.length})
          </span>
        </h2>
        <button type="button" className="link-button" onClick={dismiss}>
          Dismiss
        </button>
      </div>
      <ol aria-label="Getting started steps">
        {CHECKLIST_STEPS.map((step) => (
          <li key={step.id} className={done[step.id] ? 'done' : undefined}>
            <input type="checkbox" readOnly checked={done[step.id]} aria-label={step.title} />
            <span>
              <strong>{step.title}</strong> <small>{step.hint}</small>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
