// The app's icons as Teams requires them: colour 192×192 and fully opaque; outline 32×32, white on a
// transparent background. The committed files are what tools/appPackage/icons.ts draws.
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { drawIcons, ICON_DIR } from '../../tools/appPackage/icons';
import { ICONS } from '../../tools/appPackage/manifest';

const read = (name: keyof typeof ICONS) => PNG.sync.read(fs.readFileSync(path.join(ICON_DIR, ICONS[name])));

/** Each pixel as [r, g, b, a]. */
const pixels = (png: PNG): number[][] => Array.from({ length: png.width * png.height }, (_, i) => [...png.data.subarray(i * 4, i * 4 + 4)]);

describe('the app icons', () => {
  it('colour: 192×192, fully opaque, a white pictogram on the accent colour', () => {
    const png = read('color');
    expect([png.width, png.height]).toEqual([192, 192]);
    const all = pixels(png);
    expect(all.filter(([, , , a]) => a !== 255)).toEqual([]);
    const white = all.filter(([r, g, b]) => r === 255 && g === 255 && b === 255).length / all.length;
    // Something to recognise, and room around it (Teams' safe area is the middle 120×120).
    expect(white).toBeGreaterThan(0.05);
    expect(white).toBeLessThan(0.4);
    expect(all[0]).toEqual(all[all.length - 1]);
  });

  it('outline: 32×32, transparent background, every visible pixel white', () => {
    const png = read('outline');
    expect([png.width, png.height]).toEqual([32, 32]);
    const all = pixels(png);
    const visible = all.filter(([, , , a]) => a > 0);
    expect(visible.filter(([r, g, b]) => r !== 255 || g !== 255 || b !== 255)).toEqual([]);
    expect(visible.length / all.length).toBeGreaterThan(0.15);
    expect(all.filter(([, , , a]) => a === 0).length / all.length).toBeGreaterThan(0.3);
    for (const corner of [0, 31, 32 * 31, 32 * 32 - 1]) expect(all[corner][3]).toBe(0);
  });

  it('the committed files are what the generator draws (they can be made again)', () => {
    const drawn = drawIcons();
    for (const name of Object.keys(ICONS) as Array<keyof typeof ICONS>) expect(drawn[name].equals(fs.readFileSync(path.join(ICON_DIR, ICONS[name])))).toBe(true);
  });
});
