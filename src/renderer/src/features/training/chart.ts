// Loss-curve helpers (renderer, pure): series from loss rows, downsampling that keeps spikes,
// SVG path geometry, and duration formatting for the training panel.
import { LOSS_COLUMNS, type LossColumn } from '../../../../shared/contract/training';

export type Point = [x: number, y: number];
export type { LossColumn };

/** The loss terms drawn as curves, in panel order. */
export const CHARTED_LOSSES: { column: LossColumn; title: string }[] = [
  { column: 'total', title: 'Total loss' },
  { column: 'supervised', title: 'Supervised' },
  { column: 'sdm', title: 'Signed distance' },
  { column: 'contrastive', title: 'Contrastive' },
  { column: 'pairwiseDistillation', title: 'Pair-wise distillation' },
  { column: 'consistency', title: 'Consistency' },
];

export const MAX_CHART_POINTS = 300;

/** (iteration, value) of one LOSS_COLUMNS column; non-finite values are left out. */
export function seriesOf(rows: readonly number[][], column: LossColumn): Point[] {
  const index = LOSS_COLUMNS.indexOf(column);
  const out: Point[] = [];
  for (const row of rows) {
    const x = row[0];
    const y = row[index];
    if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y))
      out.push([x, y]);
  }
  return out;
}

/**
 * At most `maxPoints` points in x order: the first and last, and the lowest and highest point
 * of each bucket in between, so spikes and dips survive (an average would hide them).
 */
export function downsample(points: readonly Point[], maxPoints = MAX_CHART_POINTS): Point[] {
  if (points.length <= maxPoints) return points.slice();
  const inner = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const keep = new Set<number>([0, points.length - 1]);
  const span = (points.length - 2) / inner;
  for (let b = 0; b < inner; b++) {
    const from = 1 + Math.floor(b * span);
    const to = Math.min(points.length - 1, 1 + Math.floor((b + 1) * span));
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (points[i]![1] < points[lo]![1]) lo = i;
      if (points[i]![1] > points[hi]![1]) hi = i;
    }
    if (from < to) {
      keep.add(lo);
      keep.add(hi);
    }
  }
  return [...keep].sort((a, b) => a - b).map((i) => points[i]!);
}

export interface ChartGeometry {
  /** SVG path data, empty without points. */
  d: string;
  minY: number;
  maxY: number;
  minX: number;
  maxX: number;
}

/** Maps points into a width×height box (y up), with `pad` pixels inside each edge. */
export function chartGeometry(
  points: readonly Point[],
  width: number,
  height: number,
  pad = 2,
): ChartGeometry {
  if (points.length === 0) return { d: '', minY: 0, maxY: 0, minX: 0, maxX: 0 };
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const sx = (width - 2 * pad) / (maxX - minX || 1);
  const sy = (height - 2 * pad) / (maxY - minY || 1);
  // A flat series sits in the middle rather than on an edge.
  const flat = maxY === minY;
  const d = points
    .map(([x, y], i) => {
      const px = pad + (x - minX) * sx;
      const py = flat ? height / 2 : height - pad - (y - minY) * sy;
      return `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
    })
    .join(' ');
  return { d, minY, maxY, minX, maxX };
}

/** "12 s", "4 min 10 s", "2 h 05 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Compact axis numbers: 3 significant digits, exponent for very small or large values. */
export function formatValue(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(1);
  return Number(value.toPrecision(3)).toString();
}
