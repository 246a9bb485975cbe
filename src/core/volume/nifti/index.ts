// Public NIfTI API (plain Node). decode/encode are browser-safe; renderer code should import
// them from './decode' and './encode' directly, since './file' pulls in node:fs and node:zlib.
export { decodeNifti, decodeNiftiPair, type DecodeOptions, type DecodePairOptions } from './decode';
export { encodeNifti, type EncodeOptions } from './encode';
export {
  encodeVolumeFile,
  readVolumeFile,
  writeVolumeFile,
  type ReadVolumeOptions,
  type WriteVolumeOptions,
} from './file';
