// Generator of the BatchNorm passes that the compute pool runs (engine, wherever TF.js runs):
// per-channel float64 sums over one block of rows of a channels-last [rows, c] float32 matrix,
// and the per-channel affine map, two channels at a time in f64x2 (c even). A work item is one
// block of `blockRows` rows; each sums item writes its own slot of partial sums, which the caller
// adds in block order: rows are summed in the same order whatever thread runs the block.
//
//   kind 1  slot[j] = Σ x[r, j]                       (centre 0)
//   kind 2  slot[j] = Σ (x[r, j] − mean[j])²
//   kind 3  slot[j] = Σ u[r, j],  slot[c + j] = Σ u[r, j]·(x[r, j] − mean[j])
//   kind 4  out[r, j] = f32(a[j]·u[r, j] + b[j]·(x[r, j] − mean[j]) + e[j])
//
// The affine pass evaluates exactly the float64 expression of fusedBatchNorm.ts's JavaScript
// loop, in the same order, and rounds once to float32, so its values equal that loop's.
import { FunctionBuilder, I32, V128, type ModuleBuilder } from './wasmEmitter';

/** Word offsets in a channel job record (words 0, 1 and 15: counter, items, kind). */
export const CHANNEL_WORDS = {
  rows: 2,
  c: 3,
  blockRows: 4,
  x: 5,
  u: 6,
  mean: 7,
  out: 8,
  a: 9,
  b: 10,
  e: 11,
} as const;

export const KIND_SUM = 1;
export const KIND_SQUARES = 2;
export const KIND_GRADIENT_SUMS = 3;
export const KIND_AFFINE = 4;

/** The affine item: out = a·u + b·(x − mean) + e over the block, channels in groups of 2
 *  pairs (then single pairs) with the group's coefficients in registers, down the rows. */
function affineItem(): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32]);
  const [job, item] = [0, 1];
  const [r0, rows, rowBytes, j, p, pu, po, left] = Array.from({ length: 8 }, () => f.local(I32));
  const word = (name: keyof typeof CHANNEL_WORDS) =>
    f.get(job).mem('i32Load', CHANNEL_WORDS[name] * 4);
  word('c').i32(4).op('i32Mul').set(rowBytes);
  f.get(item);
  word('blockRows').op('i32Mul').set(r0);
  // rows = min(blockRows, rows − r0)
  word('rows').get(r0).op('i32Sub').set(rows);
  f.get(rows);
  word('blockRows').get(rows);
  word('blockRows').op('i32LtU').op('select').set(rows);
  for (const pairs of [2, 1]) {
    const coefficient = (['a', 'b', 'e', 'mean'] as const).map((name) => ({
      name,
      regs: Array.from({ length: pairs }, () => f.local(V128)),
    }));
    const [a, b, e, mean] = coefficient.map((c) => c.regs);
    const x = f.local(V128);
    f.block(() =>
      f.loop(() => {
        f.get(j)
          .i32(8 * pairs)
          .op('i32Add')
          .get(rowBytes)
          .op('i32GtU')
          .brIf(1);
        // The float64 [c] arrays: pair q at byte 2·(j + 8q).
        for (const { name, regs } of coefficient) {
          regs.forEach((reg, g) => {
            word(name)
              .get(j)
              .i32(1)
              .op('i32Shl')
              .op('i32Add')
              .mem('v128Load', 16 * g)
              .set(reg);
          });
        }
        const start = (name: 'x' | 'u' | 'out', target: number) => {
          word(name).get(r0).get(rowBytes).op('i32Mul').op('i32Add').get(j).op('i32Add');
          f.set(target);
        };
        start('x', p);
        start('u', pu);
        start('out', po);
        f.get(rows).set(left);
        f.loop(() => {
          for (let g = 0; g < pairs; g++) {
            // ((a·u) + (b·(x − mean))) + e, then one rounding to float32.
            f.get(p)
              .mem('v128Load64Zero', 8 * g)
              .op('f64x2PromoteLowF32x4')
              .set(x);
            f.get(po).get(a[g]);
            f.get(pu)
              .mem('v128Load64Zero', 8 * g)
              .op('f64x2PromoteLowF32x4')
              .op('f64x2Mul');
            f.get(b[g]).get(x).get(mean[g]).op('f64x2Sub').op('f64x2Mul').op('f64x2Add');
            f.get(e[g]).op('f64x2Add').op('f32x4DemoteF64x2Zero');
            f.mem('v128Store64Lane', 8 * g, 0);
          }
          f.addLocal(p, rowBytes).addLocal(pu, rowBytes).addLocal(po, rowBytes);
          f.get(left).i32(1).op('i32Sub').tee(left).brIf(0);
        });
        f.addTo(j, 8 * pairs).br(0);
      }),
    );
  }
  return f;
}

/**
 * A sums item with the running sums in registers: channels in groups of `pairs` pairs (8
 * channels, then single pairs for c % 8), each group summed down the block's rows. Per channel
 * the rows are added in order from 0, exactly as a one-pass loop would.
 */
function sumsItem(kind: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32]);
  const [job, item] = [0, 1];
  const [r0, rows, rowBytes, base, uBase, slots, j, p, pu, left] = Array.from({ length: 10 }, () =>
    f.local(I32),
  );
  const word = (name: keyof typeof CHANNEL_WORDS) =>
    f.get(job).mem('i32Load', CHANNEL_WORDS[name] * 4);
  word('c').i32(4).op('i32Mul').set(rowBytes);
  f.get(item);
  word('blockRows').op('i32Mul').set(r0);
  word('rows').get(r0).op('i32Sub').set(rows);
  f.get(rows);
  word('blockRows').get(rows);
  word('blockRows').op('i32LtU').op('select').set(rows);
  word('x').get(r0).get(rowBytes).op('i32Mul').op('i32Add').set(base);
  word('u').get(r0).get(rowBytes).op('i32Mul').op('i32Add').set(uBase);
  const sumsPerChannel = kind === KIND_GRADIENT_SUMS ? 2 : 1;
  // Slots of this block: sumsPerChannel·c float64 (2·rowBytes bytes per sum).
  word('out')
    .get(item)
    .get(rowBytes)
    .i32(2 * sumsPerChannel)
    .op('i32Mul')
    .op('i32Mul');
  f.op('i32Add').set(slots);
  for (const pairs of [4, 1]) {
    const acc = Array.from({ length: pairs * sumsPerChannel }, () => f.local(V128));
    const mean = Array.from({ length: kind === KIND_SUM ? 0 : pairs }, () => f.local(V128));
    const [x, d] = [f.local(V128), f.local(V128)];
    f.block(() =>
      f.loop(() => {
        f.get(j)
          .i32(8 * pairs)
          .op('i32Add')
          .get(rowBytes)
          .op('i32GtU')
          .brIf(1);
        for (const a of acc) f.f64(0).op('f64x2Splat').set(a);
        mean.forEach((m, g) => {
          word('mean')
            .get(j)
            .i32(1)
            .op('i32Shl')
            .op('i32Add')
            .mem('v128Load', 16 * g)
            .set(m);
        });
        f.get(base).get(j).op('i32Add').set(p);
        f.get(uBase).get(j).op('i32Add').set(pu);
        f.get(rows).set(left);
        f.loop(() => {
          for (let g = 0; g < pairs; g++) {
            f.get(p)
              .mem('v128Load64Zero', 8 * g)
              .op('f64x2PromoteLowF32x4')
              .set(x);
            if (kind === KIND_SUM) {
              f.get(acc[g]).get(x).op('f64x2Add').set(acc[g]);
            } else if (kind === KIND_SQUARES) {
              f.get(x).get(mean[g]).op('f64x2Sub').set(d);
              f.get(acc[g]).get(d).get(d).op('f64x2Mul').op('f64x2Add').set(acc[g]);
            } else {
              f.get(pu)
                .mem('v128Load64Zero', 8 * g)
                .op('f64x2PromoteLowF32x4')
                .set(d);
              f.get(acc[g]).get(d).op('f64x2Add').set(acc[g]);
              const second = acc[pairs + g];
              f.get(second).get(d).get(x).get(mean[g]).op('f64x2Sub').op('f64x2Mul');
              f.op('f64x2Add').set(second);
            }
          }
          f.addLocal(p, rowBytes).addLocal(pu, rowBytes);
          f.get(left).i32(1).op('i32Sub').tee(left).brIf(0);
        });
        // Pair q of the group at byte 2·(j + 8q) of the slots; the second sums c values on.
        acc.forEach((a, i) => {
          const g = i % pairs;
          f.get(slots).get(j).i32(1).op('i32Shl').op('i32Add');
          if (i >= pairs) f.get(rowBytes).i32(1).op('i32Shl').op('i32Add');
          f.get(a).mem('v128Store', 16 * g);
        });
        f.addTo(j, 8 * pairs).br(0);
      }),
    );
  }
  return f;
}

/** Adds the four item functions; returns their indices by kind. */
export function addChannelKernels(module: ModuleBuilder): Map<number, number> {
  const byKind = new Map<number, number>();
  for (const kind of [KIND_SUM, KIND_SQUARES, KIND_GRADIENT_SUMS]) {
    byKind.set(kind, module.add(sumsItem(kind)));
  }
  byKind.set(KIND_AFFINE, module.add(affineItem()));
  return byKind;
}
