// Geometry the browser tests check against (Node, pure): distances in RAS+ millimetres.
import type { Vec3 } from './project';

/** Distance from point p to the segment a–b. */
export function distanceToSegment(p: Vec3, a: Vec3, b: Vec3): number {
  const ab = b.map((x, n) => x - a[n]!);
  const ap = p.map((x, n) => x - a[n]!);
  const t = Math.max(
    0,
    Math.min(1, ap.reduce((s, x, n) => s + x * ab[n]!, 0) / ab.reduce((s, x) => s + x * x, 0)),
  );
  return Math.hypot(...p.map((x, n) => x - (a[n]! + t * ab[n]!)));
}
