// Loss curves (renderer): one small SVG line chart per loss term and one for validation Dice,
// drawn from the job's rows, downsampled to a few hundred points (no charting library).
import { memo, useMemo } from 'react';
import {
  CHARTED_LOSSES,
  chartGeometry,
  downsample,
  formatValue,
  seriesOf,
  type Point,
} from './chart';

const WIDTH = 120;
const HEIGHT = 44;

function Sparkline({ title, points }: { title: string; points: Point[] }) {
  const geometry = useMemo(() => chartGeometry(downsample(points), WIDTH, HEIGHT), [points]);
  const last = points.at(-1);
  return (
    <figure className="loss-chart">
      <figcaption>
        <span>{title}</span>
        <span className="loss-last">{last ? formatValue(last[1]) : '—'}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={
          last
            ? `${title}: ${formatValue(last[1])} at iteration ${last[0]} (range ${formatValue(geometry.minY)} to ${formatValue(geometry.maxY)})`
            : `${title}: no data yet`
        }
      >
        {geometry.d && <path d={geometry.d} />}
      </svg>
      {geometry.d && (
        <div className="loss-range" aria-hidden="true">
          <span>{formatValue(geometry.minY)}</span>
          <span>{formatValue(geometry.maxY)}</span>
        </div>
      )}
    </figure>
  );
}

export const LossCharts = memo(function LossCharts({
  rows,
  validation,
}: {
  rows: number[][];
  validation: { iteration: number; dice: number }[];
}) {
  const series = useMemo(
    () => CHARTED_LOSSES.map(({ column, title }) => ({ title, points: seriesOf(rows, column) })),
    [rows],
  );
  const dice = useMemo(() => validation.map((p): Point => [p.iteration, p.dice]), [validation]);
  return (
    <div className="loss-charts" aria-label="Loss curves">
      {series.map((s) => (
        <Sparkline key={s.title} title={s.title} points={s.points} />
      ))}
      <Sparkline title="Validation Dice" points={dice} />
    </div>
  );
});
