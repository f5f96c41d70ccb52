// Copies the pinned browser libraries from node_modules into public/vendor (committed, so a fresh clone needs no build).
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dir, '..');
const OUT = join(ROOT, 'public/vendor');

/** lightweight-charts has an `exports` map that hides dist/, so resolve its package.json and walk from there. */
const packageDir = (name: string) => dirname(Bun.resolveSync(`${name}/package.json`, ROOT));

const FILES: Array<{ pkg: string; file: string }> = [
  { pkg: 'htmx.org', file: 'dist/htmx.min.js' },
  { pkg: 'lightweight-charts', file: 'dist/lightweight-charts.standalone.production.js' },
];

const lines: string[] = [];
for (const { pkg, file } of FILES) {
  const dir = packageDir(pkg);
  const { version } = (await Bun.file(join(dir, 'package.json')).json()) as { version: string };
  const target = join(OUT, file.split('/').pop()!);
  const bytes = await Bun.write(target, Bun.file(join(dir, file)));
  lines.push(`${pkg}@${version} ${file}`);
  console.log(`${pkg}@${version} → ${target.slice(ROOT.length + 1)} (${bytes} B)`);
}
await Bun.write(join(OUT, 'VERSIONS.txt'), `# written by scripts/vendor.ts (bun run vendor); do not edit\n${lines.join('\n')}\n`);
