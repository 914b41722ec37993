// Draws the toolbar icons (public/icons/icon-N.png): a rounded square with a folded
// ("earmarked") corner and a sound wave. Pure Node (zlib), so it runs anywhere.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel((x + 0.5) / size, (y + 0.5) / size), 1 + x * 4);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const brand = [232, 93, 4, 255];
const fold = [255, 214, 170, 255];
const white = [255, 255, 255, 255];
const clear = [0, 0, 0, 0];

function pixel(u, v) {
  const r = 0.18; // corner radius
  const cx = Math.min(Math.max(u, r), 1 - r);
  const cy = Math.min(Math.max(v, r), 1 - r);
  if ((u - cx) ** 2 + (v - cy) ** 2 > r * r) return clear;
  const corner = 0.34; // the dog-ear: top-right triangle
  if (u - (1 - corner) > v) return clear; // cut off above the fold line
  if (1 - u + v < corner) return fold; // the folded-over flap below it
  // three bars of a sound wave
  const bars = [
    [0.26, 0.45, 0.7],
    [0.42, 0.3, 0.82],
    [0.58, 0.5, 0.68],
  ];
  for (const [x, top, bottom] of bars) if (Math.abs(u - x) < 0.055 && v > top && v < bottom) return white;
  return brand;
}

mkdirSync('public/icons', { recursive: true });
for (const size of [16, 32, 48, 128]) writeFileSync(`public/icons/icon-${size}.png`, png(size, pixel));
console.log('wrote public/icons/icon-{16,32,48,128}.png');
