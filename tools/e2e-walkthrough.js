#!/usr/bin/env node
// Copies chosen screenshots of an `npm run e2e` run (e2e-results/) into docs/walkthrough/, cropped
// to the conversation pane and reduced to a 256-colour palette so each stays well under 150 KB.
// No image tool is needed: pngjs (bundled in playwright-core) decodes, this file writes the PNG.
//   node tools/e2e-walkthrough.js 06 08 09 ...   (step numbers; default: the walkthrough's set)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { PNG } = require('playwright-core/lib/utilsBundle');

const ROOT = path.resolve(__dirname, '..');
const FROM = path.join(ROOT, 'e2e-results');
const TO = path.join(ROOT, 'docs', 'walkthrough');
const DEFAULT = ['06', '08', '09', '10', '16', '22', '24', '29', '31', '32'];
// The Playground's conversation pane in a 1280×1000 screenshot (chat list and log panel left out).
const CROP = { x: 330, y: 40, w: 618, h: 960 };

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k += 1) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Most frequent colours (5 bits a channel) as the palette; every pixel to its nearest entry. */
function toIndexed(src, w, h) {
  const key = (r, g, b) => ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
  const counts = new Map();
  for (let i = 0; i < w * h * 4; i += 4) {
    const k = key(src[i], src[i + 1], src[i + 2]);
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 256).map(([k]) => k);
  const palette = top.map((k) => [((k >> 10) & 31) * 8 + 4, ((k >> 5) & 31) * 8 + 4, (k & 31) * 8 + 4]);
  const nearest = new Map();
  const lookup = (k) => {
    let hit = nearest.get(k);
    if (hit !== undefined) return hit;
    const r = ((k >> 10) & 31) * 8 + 4;
    const g = ((k >> 5) & 31) * 8 + 4;
    const b = (k & 31) * 8 + 4;
    let best = 0;
    let bestD = Infinity;
    palette.forEach(([pr, pg, pb], i) => {
      const d = (pr - r) ** 2 + (pg - g) ** 2 + (pb - b) ** 2;
      if (d < bestD) [best, bestD] = [i, d];
    });
    nearest.set(k, best);
    return best;
  };
  const rows = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y += 1) {
    rows[y * (w + 1)] = 0; // filter: none (indexed images compress best unfiltered)
    for (let x = 0; x < w; x += 1) {
      const i = (y * w + x) * 4;
      rows[y * (w + 1) + 1 + x] = lookup(key(src[i], src[i + 1], src[i + 2]));
    }
  }
  return { palette, rows };
}

function writeIndexedPng(file, w, h, palette, rows) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // indexed colour
  const plte = Buffer.from(palette.flat());
  const idat = zlib.deflateSync(rows, { level: 9 });
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  fs.writeFileSync(file, Buffer.concat([sig, chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]));
}

function main() {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT;
  fs.mkdirSync(TO, { recursive: true });
  const shots = fs.readdirSync(FROM).filter((f) => /^\d\d-.*\.png$/.test(f) && !f.includes('FAILED'));
  for (const n of wanted) {
    const name = shots.find((f) => f.startsWith(`${n}-`));
    if (!name) throw new Error(`no successful screenshot for step ${n} in e2e-results/`);
    const img = PNG.sync.read(fs.readFileSync(path.join(FROM, name)));
    const { x, y } = CROP;
    const w = Math.min(CROP.w, img.width - x);
    const h = Math.min(CROP.h, img.height - y);
    const crop = Buffer.alloc(w * h * 4);
    for (let row = 0; row < h; row += 1) img.data.copy(crop, row * w * 4, ((y + row) * img.width + x) * 4, ((y + row) * img.width + x + w) * 4);
    const { palette, rows } = toIndexed(crop, w, h);
    const out = path.join(TO, name);
    writeIndexedPng(out, w, h, palette, rows);
    console.log(`${path.relative(ROOT, out)}  ${(fs.statSync(out).size / 1024).toFixed(0)} KB`);
  }
}

main();
