// NIfTI datatype codes (pure, plain Node/browser): which on-disk types we read and write, and
// how each maps to a VoxelType. 64-bit integers are read into Float64Array (exact to 2^53).
import { AppError } from '../../errors';
import type { VoxelType } from '../volume';

export type DiskType = VoxelType | 'int64' | 'uint64';

export interface DatatypeInfo {
  code: number;
  type: DiskType;
  bytes: number;
}

const SUPPORTED: DatatypeInfo[] = [
  { code: 2, type: 'uint8', bytes: 1 },
  { code: 4, type: 'int16', bytes: 2 },
  { code: 8, type: 'int32', bytes: 4 },
  { code: 16, type: 'float32', bytes: 4 },
  { code: 64, type: 'float64', bytes: 8 },
  { code: 256, type: 'int8', bytes: 1 },
  { code: 512, type: 'uint16', bytes: 2 },
  { code: 768, type: 'uint32', bytes: 4 },
  { code: 1024, type: 'int64', bytes: 8 },
  { code: 1280, type: 'uint64', bytes: 8 },
];

/** Valid NIfTI types that hold something other than one real number per voxel. */
const UNSUPPORTED: Record<number, string> = {
  1: 'binary (1 bit per voxel)',
  32: 'complex64',
  128: 'RGB24',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

export const DATATYPE_CODES = Object.fromEntries(SUPPORTED.map((d) => [d.type, d.code])) as Record<
  DiskType,
  number
>;

export function bytesPerVoxel(type: DiskType): number {
  return SUPPORTED.find((d) => d.type === type)!.bytes;
}

/** The datatype for a header code; throws UNSUPPORTED/CORRUPT_FILE naming the file. */
export function datatypeFromCode(code: number, source: string): DatatypeInfo {
  const info = SUPPORTED.find((d) => d.code === code);
  if (info) return info;
  const name = UNSUPPORTED[code];
  if (name !== undefined) {
    throw new AppError(
      'UNSUPPORTED',
      `${source}: voxel datatype ${name} (code ${code}) is not supported; only scalar images ` +
        '(8/16/32/64-bit integers, float32, float64) can be opened. Convert the image to a scalar ' +
        'type (e.g. magnitude or one channel) first.',
    );
  }
  throw new AppError(
    'CORRUPT_FILE',
    `${source}: header datatype code ${code} is not a NIfTI datatype; the header is damaged or ` +
      'this is not a NIfTI file.',
  );
}
