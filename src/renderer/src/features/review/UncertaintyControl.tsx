// The uncertainty overlay switch and its legend (renderer): shown only for a study with a
// proposal (under review or as a reference); the legend gives the colour of each uncertainty
// range, transparent below the lowest.
import { uncertaintyLegend } from '../../viewer/uncertaintyLut';
import type { EditState } from '../editor/store';
import { uncertaintyOverlay } from './instance';

const LEGEND = uncertaintyLegend();

export function UncertaintyControl({ state }: { state: EditState['uncertainty'] }) {
  return (
    <div className="uncertainty-control">
      <div className="row">
        <button
          type="button"
          aria-pressed={state === 'on' || state === 'loading'}
          disabled={state === 'loading'}
          onClick={() => void uncertaintyOverlay.set(state === 'off' || state === 'unavailable')}
        >
          Uncertainty overlay
        </button>
        {state === 'unavailable' && (
          <span className="hint">No uncertainty map for this study.</span>
        )}
      </div>
      {state === 'on' && <UncertaintyLegend />}
    </div>
  );
}

export function UncertaintyLegend() {
  const low = LEGEND[0]!.from;
  return (
    <figure className="color-legend" aria-label="Uncertainty legend">
      <div className="legend-bar" aria-hidden="true">
        {LEGEND.map((swatch) => (
          <span key={swatch.from} style={{ background: swatch.color }} />
        ))}
      </div>
      <figcaption>
        Uncertainty (normalised entropy): <span>{low.toFixed(1)}</span> low → <span>1.0</span> high;
        clear below {low.toFixed(1)}
      </figcaption>
    </figure>
  );
}
