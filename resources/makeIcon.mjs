// Draws the application icon (Node, run by hand: `node resources/makeIcon.mjs`): a 512×512 PNG
// — an image slice with a segmented structure — that electron-builder turns into the .ico,
// .icns and Linux icons. Plain zlib and CRC32: no image library needed.
import { writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { URL } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // per axis, for anti-aliased edges

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const BG = hex('#15171c');
const PANEL = hex('#2a2f38');
const TISSUE = hex('#9aa0ab');
const MASK = hex('#e0533d');
const ACCENT = hex('#3d8de0');

/** Colour and coverage of one sample point (x, y in 0..1). */
function shade(x, y) {
  const r = 0.19; // corner radius of the tile
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if (Math.hypot(x - cx, y - cy) > r) return null; // outside the rounded tile
  // A slice: a grey organ-like blob on the panel, with a red mask over part of it.
  const blob = Math.hypot((x - 0.5) / 0.3, (y - 0.52) / 0.26);
  const mask = Math.hypot((x - 0.56) / 0.17, (y - 0.47) / 0.14);
  const ring = Math.abs(mask - 1);
  if (ring < 0.09) return MASK;
  if (mask < 1) return mix(TISSUE, MASK, 0.55);
  if (blob < 1) return mix(TISSUE, PANEL, blob * blob * 0.6);
  // Crosshair lines, as in the viewer.
  if (Math.abs(x - 0.5) < 0.006 || Math.abs(y - 0.52) < 0.006) return mix(ACCENT, PANEL, 0.35);
  return Math.hypot(x - cx, y - cy) > r - 0.012 && (x < r || x > 1 - r || y < r || y > 1 - r)
    ? BG
    : PANEL;
}

function mix(a, b, t) {
  return a.map((v, i) => v * (1 - t) + b[i] * t);
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++)
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = shade((px + (sx + 0.5) / SAMPLES) / SIZE, (py + (sy + 0.5) / SAMPLES) / SIZE);
        if (!c) continue;
        sum[0] += c[0];
        sum[1] += c[1];
        sum[2] += c[2];
        sum[3] += 255;
      }
    const n = SAMPLES * SAMPLES;
    const covered = sum[3] / 255 || 1;
    row.writeUInt8(Math.round(sum[0] / covered), 1 + px * 4);
    row.writeUInt8(Math.round(sum[1] / covered), 2 + px * 4);
    row.writeUInt8(Math.round(sum[2] / covered), 3 + px * 4);
    row.writeUInt8(Math.round(sum[3] / n), 4 + px * 4);
  }
  rows.push(row);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.writeUInt8(8, 8); // bit depth
header.writeUInt8(6, 9); // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('./icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
