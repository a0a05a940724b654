/**
 * Generates every icon the packagers need from the one source image, resources/icon.svg
 * (`npm run icons`; the outputs are committed, so a build needs neither this script nor its
 * native rasterizer):
 *   resources/icon.png            1024×1024, the window icon and electron-builder's fallback
 *   resources/icons/<n>x<n>.png   the Linux set (AppImage, deb: hicolor sizes 16 to 1024)
 *   resources/icon.icns           macOS (16 to 1024, retina sizes included)
 *   resources/icon.ico            Windows (16 to 256)
 * icon-gen rasterizes the SVG with sharp (libvips, prebuilt in the npm registry) and writes
 * the ICNS and ICO containers; scripts/icons.test.ts checks what it wrote.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import icongen from 'icon-gen';

/** The Linux PNG sizes (freedesktop hicolor theme, plus 1024 for large displays). */
export const linuxIconSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
/** The sizes inside the ICO (Windows shows 16 to 256). */
export const icoSizes = [16, 24, 32, 48, 64, 128, 256] as const;
/** The sizes inside the ICNS (macOS: 16 to 512 and their @2x, up to 1024). */
export const icnsSizes = [16, 32, 64, 128, 256, 512, 1024] as const;

/** Writes the icon set of `source` into `resourcesDir`. */
export async function generateIcons(source: string, resourcesDir: string): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 's3fm-icons-'));
  try {
    await icongen(source, work, {
      report: false,
      ico: { name: 'icon', sizes: [...icoSizes] },
      icns: { name: 'icon', sizes: [...icnsSizes] },
      // icon-gen's "favicon" output is its PNG set (it also writes a favicon.ico, not used).
      favicon: { name: 'png-', pngSizes: [...linuxIconSizes], icoSizes: [16] },
    });
    await mkdir(path.join(resourcesDir, 'icons'), { recursive: true });
    await copyFile(path.join(work, 'icon.ico'), path.join(resourcesDir, 'icon.ico'));
    await copyFile(path.join(work, 'icon.icns'), path.join(resourcesDir, 'icon.icns'));
    await copyFile(path.join(work, 'png-1024.png'), path.join(resourcesDir, 'icon.png'));
    for (const size of linuxIconSizes) {
      await copyFile(path.join(work, `png-${size}.png`), path.join(resourcesDir, 'icons', `${size}x${size}.png`));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const resources = fileURLToPath(new URL('../resources', import.meta.url));
  await generateIcons(path.join(resources, 'icon.svg'), resources);
  console.log(`icons: wrote icon.png, icon.icns, icon.ico and icons/<n>x<n>.png into ${resources}`);
}
