// NIfTI file I/O (plain Node only): read .nii, .nii.gz, .hdr/.img(.gz) pairs and write
// .nii/.nii.gz. Gzip goes through ./gzip (node:zlib on the libuv pool, CRC checked): the one
// compression path; the byte-level work is the browser-safe decode/encode.
import path from 'node:path';
import { AppError } from '../../errors';
import { writeFileAtomic } from '../../fs/atomic';
import { isRegularFile, readRegularFile } from '../../fs/regularFile';
import type { Volume } from '../volume';
import { decodeNifti, decodeNiftiPair, type DecodeOptions } from './decode';
import { encodeNifti, type EncodeOptions } from './encode';
import { gzipAsync, inflateIfGzip } from './gzip';
import { parseNiftiHeader } from './header';

export type ReadVolumeOptions = Pick<DecodeOptions, 'volumeIndex'>;
export type WriteVolumeOptions = EncodeOptions;

async function readBytes(file: string): Promise<Uint8Array> {
  return (await readRegularFile(file)).bytes;
}

const inflate = inflateIfGzip;

/** The other half of a .hdr/.img pair: same stem, `want` extension (case kept), gzipped or not. */
async function findPartner(file: string, want: 'hdr' | 'img'): Promise<string> {
  const stem = file.replace(/\.gz$/i, '').replace(/\.(hdr|img|nii)$/i, '');
  const ext = /\.(HDR|IMG)(\.gz)?$/.test(file) ? want.toUpperCase() : want;
  const candidates = [`${stem}.${ext}`, `${stem}.${ext}.gz`, `${stem}.${ext}.GZ`];
  for (const candidate of candidates) if (await isRegularFile(candidate)) return candidate;
  const role = want === 'img' ? 'image' : 'header';
  throw new AppError(
    'NOT_FOUND',
    `${file} is half of a .hdr/.img pair, but its ${role} file ${path.basename(candidates[0]!)} ` +
      '(or .gz) was not found beside it. Keep both files in the same folder.',
  );
}

async function readPair(
  headerFile: string,
  imageFile: string,
  options: ReadVolumeOptions,
): Promise<Volume> {
  const [header, image] = await Promise.all([readBytes(headerFile), readBytes(imageFile)]);
  return decodeNiftiPair(await inflate(header, headerFile), await inflate(image, imageFile), {
    ...options,
    source: headerFile,
    imageSource: imageFile,
  });
}

/**
 * Reads a NIfTI volume from disk. The kind is sniffed from the content (gzip magic, NIfTI
 * magic), so a mis-named file still opens; the name only decides which file of a pair was given.
 */
export async function readVolumeFile(
  file: string,
  options: ReadVolumeOptions = {},
): Promise<Volume> {
  if (/\.img(\.gz)?$/i.test(file)) return readPair(await findPartner(file, 'hdr'), file, options);
  const bytes = await inflate(await readBytes(file), file);
  const header = parseNiftiHeader(bytes, file);
  if (header.isPair) return readPair(file, await findPartner(file, 'img'), options);
  return decodeNifti(bytes, { ...options, source: file });
}

/** Writes a single-file NIfTI atomically; `.nii.gz` is gzipped, `.nii` is not. */
export async function writeVolumeFile(
  file: string,
  volume: Volume,
  options: WriteVolumeOptions = {},
): Promise<void> {
  const gz = /\.nii\.gz$/i.test(file);
  if (!gz && !/\.nii$/i.test(file)) {
    throw new AppError(
      'BAD_INPUT',
      `Cannot write ${file}: volumes are saved as .nii or .nii.gz; change the file name.`,
    );
  }
  await writeFileAtomic(file, await encodeVolumeFile(volume, { ...options, gzip: gz }));
}

/** The bytes of a .nii (or, with `gzip`, a .nii.gz) file; compression runs off this thread. */
export async function encodeVolumeFile(
  volume: Volume,
  options: EncodeOptions & { gzip: boolean },
): Promise<Uint8Array> {
  const { gzip, ...encode } = options;
  const raw = encodeNifti(volume, encode);
  return gzip ? gzipAsync(raw) : raw;
}
