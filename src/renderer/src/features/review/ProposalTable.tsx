// The active model's proposals (renderer): per study its size and warnings, mean uncertainty and
// what happened to it — to review, accepted, rejected, or the person's own label in progress
// (the proposal is then a reference, not to review). A row opens the study at its slice.
import type { ProposalInfo } from '../../../../shared/contract/proposals';
import { studyLoader } from '../editor/instance';
import { FLAG_SHORT, formatMl } from '../studies/proposalText';

function decisionLabel(p: ProposalInfo): string {
  if (p.decision === 'accepted') return 'Accepted';
  if (p.decision === 'rejected') return 'Rejected';
  return p.humanLabel ? 'Your label (reference)' : 'To review';
}

export function ProposalTable({
  proposals,
  openStudyId,
}: {
  proposals: ProposalInfo[];
  openStudyId: string | null;
}) {
  return (
    <table className="proposal-table" aria-label="Proposals">
      <thead>
        <tr>
          <th scope="col">Study</th>
          <th scope="col">Size</th>
          <th scope="col">Uncertainty</th>
          <th scope="col">Decision</th>
        </tr>
      </thead>
      <tbody>
        {proposals.map((p) => (
          <tr key={p.studyId} className={p.studyId === openStudyId ? 'current' : undefined}>
            <td>
              <button
                type="button"
                className="study-open"
                aria-label={`Review ${p.studyId}`}
                onClick={() => studyLoader.showStudyAt(p.studyId, p.topSlice)}
              >
                {p.studyId}
              </button>
            </td>
            <td className="num" title={p.flags.map((f) => f.message).join('\n') || undefined}>
              {formatMl(p.volumeMl)}
              {p.flags.map((f) => (
                <span key={`${f.kind}-${f.value ?? ''}`} className="flag">
                  {' '}
                  ⚠ {FLAG_SHORT[f.kind]}
                </span>
              ))}
            </td>
            <td className="num">{p.studyScore.toFixed(3)}</td>
            <td>
              <span
                className={`decision decision-${p.humanLabel && p.decision === 'pending' ? 'reference' : p.decision}`}
              >
                {decisionLabel(p)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
