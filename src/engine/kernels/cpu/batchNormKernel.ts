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

/** Loads two float32 at the address on the stack as an f64x2. */
function loadPair(f: FunctionBuilder, address: number, offset: number): void {
  f.get(address).get(offset).op('i32Add').mem('v128Load64Zero').op('f64x2PromoteLowF32x4');
}

/** One item function (job, item) of `kind`. */
function channelItem(kind: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32]);
  const [job, item] = [0, 1];
  const [r0, rows, rowBytes, px, pu, end, q, slots, po] = Array.from({ length: 9 }, () =>
    f.local(I32),
  );
  const [x, d] = [f.local(V128), f.local(V128)];
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
  const rowAddress = (name: 'x' | 'u' | 'out', target: number) => {
    word(name).get(r0).get(rowBytes).op('i32Mul').op('i32Add').set(target);
  };
  rowAddress('x', px);
  rowAddress('u', pu);
  rowAddress('out', po);
  f.get(px).get(rows).get(rowBytes).op('i32Mul').op('i32Add').set(end);
  const slotsPerBlock = kind === KIND_GRADIENT_SUMS ? 4 : 2; // f64 bytes per f32 byte of a row
  if (kind !== KIND_AFFINE) {
    word('out').get(item).get(rowBytes).i32(slotsPerBlock).op('i32Mul').op('i32Mul');
    f.op('i32Add').tee(slots).i32(0).get(rowBytes).i32(slotsPerBlock).op('i32Mul');
    f.op('memoryFill');
  }
  // f64 arrays [c] (mean, a, b, e) and slots: pair q/8 at byte 2q.
  const f64At = (base: number | 'mean' | 'a' | 'b' | 'e', extra = 0) => {
    if (typeof base === 'number') f.get(base);
    else word(base);
    f.get(q).i32(1).op('i32Shl').op('i32Add').mem('v128Load', extra);
  };
  const accumulate = (extra: number, value: () => void) => {
    f.get(slots).get(q).i32(1).op('i32Shl').op('i32Add');
    f64At(slots, extra);
    value();
    f.op('f64x2Add').mem('v128Store', extra);
  };
  f.block(() =>
    f.loop(() => {
      f.get(px).get(end).op('i32GeU').brIf(1);
      f.i32(0).set(q);
      f.loop(() => {
        loadPair(f, px, q);
        f.set(x);
        if (kind === KIND_SUM) {
          accumulate(0, () => f.get(x));
        } else if (kind === KIND_SQUARES) {
          f.get(x);
          f64At('mean');
          f.op('f64x2Sub').set(d);
          accumulate(0, () => f.get(d).get(d).op('f64x2Mul'));
        } else if (kind === KIND_GRADIENT_SUMS) {
          loadPair(f, pu, q);
          f.set(d);
          accumulate(0, () => f.get(d));
          // Σ u·(x − mean): the slots of the second sum follow the first's c values.
          f.get(rowBytes).i32(1).op('i32Shl').get(slots).op('i32Add');
          f.get(q).i32(1).op('i32Shl').op('i32Add');
          f.get(rowBytes).i32(1).op('i32Shl').get(slots).op('i32Add');
          f.get(q).i32(1).op('i32Shl').op('i32Add').mem('v128Load');
          f.get(d).get(x);
          f64At('mean');
          f.op('f64x2Sub').op('f64x2Mul').op('f64x2Add').mem('v128Store');
        } else {
          f.get(po).get(q).op('i32Add');
          f64At('a');
          loadPair(f, pu, q);
          f.op('f64x2Mul');
          f64At('b');
          f.get(x);
          f64At('mean');
          f.op('f64x2Sub').op('f64x2Mul').op('f64x2Add');
          f64At('e');
          f.op('f64x2Add').op('f32x4DemoteF64x2Zero').mem('v128Store64Lane', 0, 0);
        }
        f.addTo(q, 8);
        f.get(q).get(rowBytes).op('i32LtU').brIf(0);
      });
      f.addLocal(px, rowBytes).addLocal(pu, rowBytes).addLocal(po, rowBytes);
      f.br(0);
    }),
  );
  return f;
}

/** Adds the four item functions; returns their indices by kind. */
export function addChannelKernels(module: ModuleBuilder): Map<number, number> {
  const byKind = new Map<number, number>();
  for (const kind of [KIND_SUM, KIND_SQUARES, KIND_GRADIENT_SUMS, KIND_AFFINE]) {
    byKind.set(kind, module.add(channelItem(kind)));
  }
  return byKind;
}
