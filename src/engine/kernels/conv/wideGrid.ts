// The "wide" output grid of a stride-1 conv's filter gradient (engine, wherever TF.js runs), on
// plain Float32Arrays: the zero-padded channels-first input, dy spread onto the grid and the
// transposed patch gather of convValues.ts's JavaScript path, as long memcpys.
import type { ConvGeometry } from './im2col';

/**
 * Stride-1 filter gradient on a "wide" output grid: rows (n, od, oh, w') with w' running over
 * the padded input width Wp = outW + k − 1, the last k − 1 columns being padding. On that grid
 * the patches of one tap and channel over a whole output plane are ONE contiguous run of the
 * zero-padded channels-first input, so the transposed gather is a few long memcpys instead of
 * per-voxel copies. The extra columns get zero dy (wideRows), so they add nothing.
 */
export function wideWidth(g: ConvGeometry): number {
  return g.outW + g.k - 1;
}

/** x zero-padded by `pad` in front (and to the output's reach behind) on D, H and W,
 *  channels first: [cin][n][outD + k − 1][outH + k − 1][Wp], plus k floats of slack. */
export function paddedChannelsFirst(x: Float32Array, g: ConvGeometry): Float32Array {
  const { batch, inD, inH, inW, cin, k, pad } = g;
  const [dp, hp, wp] = [g.outD + k - 1, g.outH + k - 1, wideWidth(g)];
  const out = new Float32Array(cin * batch * dp * hp * wp + k);
  for (let n = 0; n < batch; n++) {
    for (let d = 0; d < inD; d++) {
      for (let h = 0; h < inH; h++) {
        const src = ((n * inD + d) * inH + h) * inW * cin;
        const dst = ((n * dp + d + pad) * hp + h + pad) * wp + pad;
        for (let c = 0; c < cin; c++) {
          const plane = c * batch * dp * hp * wp + dst;
          for (let w = 0; w < inW; w++) out[plane + w] = x[src + w * cin + c];
        }
      }
    }
  }
  return out;
}

/** dy [N·oD·oH·oW, cout] spread onto the wide grid, zeros in the padding columns. */
export function wideRows(dy: Float32Array, g: ConvGeometry): Float32Array {
  const { outW, cout } = g;
  const wp = wideWidth(g);
  const lines = dy.length / (outW * cout);
  const out = new Float32Array(lines * wp * cout);
  for (let l = 0; l < lines; l++) {
    out.set(dy.subarray(l * outW * cout, (l + 1) * outW * cout), l * wp * cout);
  }
  return out;
}

/** Transposed patches [k³·cin, rows] of output planes [p0, p1) on the wide grid. */
export function im2colTWide(
  xpad: Float32Array,
  g: ConvGeometry,
  p0: number,
  p1: number,
  colsT: Float32Array,
): void {
  const { batch, cin, k, outD, outH } = g;
  const [dp, hp, wp] = [outD + k - 1, outH + k - 1, wideWidth(g)];
  const run = outH * wp;
  const rows = (p1 - p0) * run;
  for (let p = p0; p < p1; p++) {
    const n = Math.floor(p / outD);
    const od = p - n * outD;
    for (let t = 0; t < k * k * k; t++) {
      const [kd, kh, kw] = [Math.floor(t / (k * k)), Math.floor(t / k) % k, t % k];
      for (let c = 0; c < cin; c++) {
        const src = ((c * batch + n) * dp + od + kd) * hp * wp + kh * wp + kw;
        colsT.set(xpad.subarray(src, src + run), (t * cin + c) * rows + (p - p0) * run);
      }
    }
  }
}
