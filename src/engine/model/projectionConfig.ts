// Shape of the contrastive projection head (pure, no TF.js: read by the app's main process
// through the training profiles). [P] paper, [D] our default.

/** Which tensor axis of `[N, D, H, W, 1]` indexes the slices. D is the k axis (axial for LA). */
export type SliceAxis = 'D' | 'H' | 'W';

export interface ProjectionHeadConfig {
  /** Every slice is pooled to poolSize × poolSize [P] (128; the ablation also tries 64). */
  poolSize: number;
  /** Hidden widths of the MLP; [512, 512] gives 16384→512→512→128 at pool 128 [D]. */
  hiddenWidths: number[];
  /** Embedding width [D]. */
  outputWidth: number;
  /** AlphaDropout rate on Q [P]. */
  dropoutRate: number;
  /** Slice axis [D]: D, the k axis. */
  sliceAxis: SliceAxis;
}

export const DEFAULT_PROJECTION_HEAD_CONFIG: Readonly<ProjectionHeadConfig> = {
  poolSize: 128,
  hiddenWidths: [512, 512],
  outputWidth: 128,
  dropoutRate: 0.1,
  sliceAxis: 'D',
};
