// Draws the app's two icons: three people side by side at a table (a concertation).
// Colour: 192×192, the white pictogram on the accent colour, fully opaque, inside Teams' 120×120
// safe area. Outline: 32×32, white on transparent, as Teams requires. The PNGs are committed
// (tools/appPackage/icons/) and read by the packaging tool; after a change here:
//   npm run build && node dist/tools/appPackage/icons.js
// (test/appPackage checks that the committed files are what this draws).
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { projectRoot } from '../embeddedDb';
import { ACCENT_COLOR, ICON_FOLDER, ICONS } from './manifest';

export const ICON_DIR = path.join(projectRoot(), ICON_FOLDER);

/** The pictogram in a 120-unit square centred on 0 (y down): a signed distance, < 0 inside. */
function pictogram(x: number, y: number): number {
  const circle = (cx: number, cy: number, r: number) => Math.hypot(x - cx, y - cy) - r;
  const aboveTable = (d: number) => Math.max(d, y - 20);
  const person = (cx: number, headY: number, headR: number, bodyY: number, bodyR: number) => Math.min(circle(cx, headY, headR), aboveTable(circle(cx, bodyY, bodyR)));
  const middle = person(0, -22, 13, 18, 22);
  // The two others sit a little behind; a 4-unit gap keeps their outline apart from the middle one's.
  const sides = Math.max(Math.min(person(-37, -10, 10, 24, 18), person(37, -10, 10, 24, 18)), 4 - middle);
  // The table: a rounded bar in front of them.
  const [qx, qy] = [Math.abs(x) - 52, Math.abs(y - 30) - 2];
  const table = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - 4;
  return Math.min(middle, sides, table);
}

/** How much of the pixel (px, py) the pictogram covers, 0..1 (8×8 samples: smooth edges). */
function coverage(px: number, py: number, size: number, scale: number): number {
  const n = 8;
  let inside = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = (px + (i + 0.5) / n - size / 2) / scale;
      const y = (py + (j + 0.5) / n - size / 2) / scale;
      if (pictogram(x, y) < 0) inside++;
    }
  }
  return inside / (n * n);
}

function draw(size: number, scale: number, pixel: (cover: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) png.data.set(pixel(coverage(x, y, size, scale)), (y * size + x) * 4);
  }
  return PNG.sync.write(png);
}

export function drawIcons(): Record<keyof typeof ICONS, Buffer> {
  const accent = [1, 3, 5].map((i) => parseInt(ACCENT_COLOR.slice(i, i + 2), 16));
  const mix = (c: number, cover: number) => Math.round(c + (255 - c) * cover);
  return {
    // 120 units on 120 pixels: the safe area of the 192-pixel icon.
    color: draw(192, 1, (cover) => [mix(accent[0], cover), mix(accent[1], cover), mix(accent[2], cover), 255]),
    // 120 units on 30 pixels: a one-pixel margin.
    outline: draw(32, 0.25, (cover) => [255, 255, 255, Math.round(255 * cover)]),
  };
}

if (require.main === module) {
  fs.mkdirSync(ICON_DIR, { recursive: true });
  for (const [name, png] of Object.entries(drawIcons())) {
    const file = path.join(ICON_DIR, ICONS[name as keyof typeof ICONS]);
    fs.writeFileSync(file, png);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
