// Window/level presets (renderer, pure): CT presets in Hounsfield units as OHIF ships them, and
// data-driven ones for MR and anything else (robust percentiles, full range).
import type { VolumeHeader } from '../../../../shared/contract/volume';

export interface WindowPreset {
  id: string;
  name: string;
  /** Returns [lower, upper] for the study in view. */
  range(header: Pick<VolumeHeader, 'robustRange' | 'minValue' | 'maxValue'>): [number, number];
}

const fromWidthLevel =
  (width: number, level: number): WindowPreset['range'] =>
  () => [level - width / 2, level + width / 2];

export const WINDOW_PRESETS: WindowPreset[] = [
  { id: 'auto', name: 'Auto (0.5–99.5 %)', range: (h) => h.robustRange },
  { id: 'full', name: 'Full range', range: (h) => [h.minValue, h.maxValue] },
  { id: 'ct-soft', name: 'CT soft tissue (W 400 L 40)', range: fromWidthLevel(400, 40) },
  { id: 'ct-lung', name: 'CT lung (W 1500 L −600)', range: fromWidthLevel(1500, -600) },
  { id: 'ct-bone', name: 'CT bone (W 2500 L 480)', range: fromWidthLevel(2500, 480) },
  { id: 'ct-brain', name: 'CT brain (W 80 L 40)', range: fromWidthLevel(80, 40) },
];

export function toWidthLevel(lower: number, upper: number): { width: number; level: number } {
  return { width: upper - lower, level: (upper + lower) / 2 };
}
