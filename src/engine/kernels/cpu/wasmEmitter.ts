// A minimal WebAssembly binary writer (engine, wherever TF.js runs): just the sections and the
// few opcodes (i32 arithmetic, f32/f64 scalar and SIMD arithmetic, loads, stores, structured
// control, bulk memory) that the CPU kernels of gemmKernel.ts need. Generating the bytes here,
// at start-up, avoids shipping a WAT compiler or a checked-in binary.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

function unsignedLeb(value: number, out: number[]): void {
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
}

function signedLeb(value: number, out: number[]): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function utf8Name(name: string, out: number[]): void {
  const bytes = new TextEncoder().encode(name);
  unsignedLeb(bytes.length, out);
  out.push(...bytes);
}

/** Opcodes without immediates (memory.copy and fill: their memory indices); 0xfd: SIMD. */
const PLAIN = {
  return: [0x0f],
  drop: [0x1a],
  select: [0x1b],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32LtU: [0x49],
  i32LtS: [0x48],
  i32GtU: [0x4b],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32DivU: [0x6e],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  i32And: [0x71],
  i32Ne: [0x47],
  f32Add: [0x92],
  f32Mul: [0x94],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f32DemoteF64: [0xb6],
  f64PromoteF32: [0xbb],
  f64x2Splat: [0xfd, 0x14],
  f32x4DemoteF64x2Zero: [0xfd, 0x5e],
  f64x2PromoteLowF32x4: [0xfd, 0x5f],
  f32x4Add: [0xfd, 0xe4],
  f32x4Mul: [0xfd, 0xe6],
  f64x2Add: [0xfd, 0xf0],
  f64x2Sub: [0xfd, 0xf1],
  f64x2Mul: [0xfd, 0xf2],
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
  memoryFill: [0xfc, 0x0b, 0x00],
} as const;

/** Loads and stores: opcode bytes and the natural alignment (log2 bytes) of the access. */
const MEMORY_OPS = {
  i32Load: { op: [0x28], align: 2 },
  i32AtomicRmwAdd: { op: [0xfe, 0x1e], align: 2 },
  memoryAtomicNotify: { op: [0xfe, 0x00], align: 2 },
  i32AtomicLoad: { op: [0xfe, 0x10], align: 2 },
  f32Load: { op: [0x2a], align: 2 },
  f64Load: { op: [0x2b], align: 3 },
  f32Store: { op: [0x38], align: 2 },
  f64Store: { op: [0x39], align: 3 },
  v128Load: { op: [0xfd, 0x00], align: 4 },
  v128Load32Splat: { op: [0xfd, 0x09], align: 2 },
  v128Load64Zero: { op: [0xfd, 0x5d], align: 3 },
  v128Store: { op: [0xfd, 0x0b], align: 4 },
  v128Store64Lane: { op: [0xfd, 0x5b], align: 3 },
} as const;

type PlainOp = keyof typeof PLAIN;
type MemoryOp = keyof typeof MEMORY_OPS;

/** One function body. Locals are numbered after the parameters; labels are counted from the
 *  innermost enclosing block (as in the binary format), which block/loop/ifThen track. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly localTypes: ValueType[] = [];

  constructor(
    readonly params: readonly ValueType[],
    readonly results: readonly ValueType[] = [],
  ) {}

  /** A new local of `type`; returns its index. */
  local(type: ValueType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  op(name: PlainOp): this {
    const bytes: readonly number[] = PLAIN[name];
    this.code.push(bytes[0]);
    // Prefixed opcodes are LEB128 (the SIMD ones above 0x7f take two bytes); immediates follow.
    if (bytes.length > 1) unsignedLeb(bytes[1], this.code);
    this.code.push(...bytes.slice(2));
    return this;
  }

  /** A load or store at the address on the stack plus a constant byte offset. */
  mem(name: MemoryOp, offset = 0, lane?: number): this {
    const { op, align }: { op: readonly number[]; align: number } = MEMORY_OPS[name];
    this.code.push(op[0]);
    if (op.length > 1) unsignedLeb(op[1], this.code);
    unsignedLeb(align, this.code);
    unsignedLeb(offset, this.code);
    if (lane !== undefined) this.code.push(lane);
    return this;
  }

  get(index: number): this {
    this.code.push(0x20);
    unsignedLeb(index, this.code);
    return this;
  }

  set(index: number): this {
    this.code.push(0x21);
    unsignedLeb(index, this.code);
    return this;
  }

  tee(index: number): this {
    this.code.push(0x22);
    unsignedLeb(index, this.code);
    return this;
  }

  i32(value: number): this {
    this.code.push(0x41);
    signedLeb(value, this.code);
    return this;
  }

  f64(value: number): this {
    this.code.push(0x44);
    const bytes = new Uint8Array(new Float64Array([value]).buffer);
    this.code.push(...bytes);
    return this;
  }

  call(functionIndex: number): this {
    this.code.push(0x10);
    unsignedLeb(functionIndex, this.code);
    return this;
  }

  /** br to the block `depth` levels out (0 = innermost). */
  br(depth: number): this {
    this.code.push(0x0c);
    unsignedLeb(depth, this.code);
    return this;
  }

  brIf(depth: number): this {
    this.code.push(0x0d);
    unsignedLeb(depth, this.code);
    return this;
  }

  block(body: () => void): this {
    this.code.push(0x02, 0x40);
    body();
    this.code.push(0x0b);
    return this;
  }

  loop(body: () => void): this {
    this.code.push(0x03, 0x40);
    body();
    this.code.push(0x0b);
    return this;
  }

  /** if (condition on the stack) { then } [else { otherwise }]. */
  ifThen(then: () => void, otherwise?: () => void): this {
    this.code.push(0x04, 0x40);
    then();
    if (otherwise) {
      this.code.push(0x05);
      otherwise();
    }
    this.code.push(0x0b);
    return this;
  }

  /** local = local + constant (i32). */
  addTo(index: number, constant: number): this {
    return this.get(index).i32(constant).op('i32Add').set(index);
  }

  /** local = local + other local (i32). */
  addLocal(index: number, other: number): this {
    return this.get(index).get(other).op('i32Add').set(index);
  }

  /** Body bytes: locals grouped by type, the code, end. */
  encode(): number[] {
    const out: number[] = [];
    const groups: [number, ValueType][] = [];
    for (const type of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    unsignedLeb(groups.length, out);
    for (const [count, type] of groups) {
      unsignedLeb(count, out);
      out.push(type);
    }
    out.push(...this.code, 0x0b);
    return out;
  }
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  unsignedLeb(content.length, out);
  out.push(...content);
}

/** A module importing one shared memory as env.memory, with functions and their exports. */
export class ModuleBuilder {
  private readonly functions: FunctionBuilder[] = [];
  private readonly exportsByName = new Map<string, number>();

  /** Adds a function; returns its index (for call). */
  add(fn: FunctionBuilder, exportName?: string): number {
    this.functions.push(fn);
    const index = this.functions.length - 1;
    if (exportName) this.exportsByName.set(exportName, index);
    return index;
  }

  /** Function indices are fixed by add(), so a body may call a function added after it. */
  get nextIndex(): number {
    return this.functions.length;
  }

  encode(maximumPages: number): Uint8Array {
    const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const types: number[] = [];
    unsignedLeb(this.functions.length, types);
    for (const fn of this.functions) {
      types.push(0x60);
      unsignedLeb(fn.params.length, types);
      types.push(...fn.params);
      unsignedLeb(fn.results.length, types);
      types.push(...fn.results);
    }
    section(1, types, out);
    const imports: number[] = [1];
    utf8Name('env', imports);
    utf8Name('memory', imports);
    imports.push(0x02, 0x03); // memory, limits with a maximum, shared
    unsignedLeb(1, imports);
    unsignedLeb(maximumPages, imports);
    section(2, imports, out);
    const declarations: number[] = [];
    unsignedLeb(this.functions.length, declarations);
    this.functions.forEach((_, i) => unsignedLeb(i, declarations));
    section(3, declarations, out);
    const exported: number[] = [];
    unsignedLeb(this.exportsByName.size, exported);
    for (const [name, index] of this.exportsByName) {
      utf8Name(name, exported);
      exported.push(0x00);
      unsignedLeb(index, exported);
    }
    section(7, exported, out);
    const bodies: number[] = [];
    unsignedLeb(this.functions.length, bodies);
    for (const fn of this.functions) {
      const body = fn.encode();
      unsignedLeb(body.length, bodies);
      bodies.push(...body);
    }
    section(10, bodies, out);
    return Uint8Array.from(out);
  }
}

// The runtime's WebAssembly API, typed here: the engine's tsconfig has no DOM library.
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(deltaPages: number): number;
}
/** A compiled module; structured-cloneable, so workers get it in workerData. */
export type WasmModule = { readonly compiledModule: unique symbol };
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
export const wasmRuntime = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
