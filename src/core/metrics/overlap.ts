// Overlap metrics (pure): Dice and Jaccard of one label value between two label maps.

export interface OverlapCounts {
  intersection: number;
  predicted: number;
  truth: number;
}

export function overlapCounts(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  label = 1,
): OverlapCounts {
  if (pred.length !== truth.length)
    throw new Error(`label maps differ in size: ${pred.length} vs ${truth.length}`);
  let intersection = 0;
  let predicted = 0;
  let truthCount = 0;
  for (let v = 0; v < pred.length; v++) {
    const p = pred[v] === label;
    const t = truth[v] === label;
    if (p) predicted++;
    if (t) truthCount++;
    if (p && t) intersection++;
  }
  return { intersection, predicted, truth: truthCount };
}

/** 2|P∩T| / (|P| + |T|); 1 when both are empty (nothing to find, nothing found). */
export function dice(pred: ArrayLike<number>, truth: ArrayLike<number>, label = 1): number {
  const c = overlapCounts(pred, truth, label);
  const denominator = c.predicted + c.truth;
  return denominator === 0 ? 1 : (2 * c.intersection) / denominator;
}

/** |P∩T| / |P∪T|; 1 when both are empty. */
export function jaccard(pred: ArrayLike<number>, truth: ArrayLike<number>, label = 1): number {
  const c = overlapCounts(pred, truth, label);
  const union = c.predicted + c.truth - c.intersection;
  return union === 0 ? 1 : c.intersection / union;
}
