import { describe, expect, test } from 'bun:test';
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dir, '../..');
const pkgDir = (name: string) => dirname(Bun.resolveSync(`${name}/package.json`, ROOT));
const sha = async (path: string) => new Bun.CryptoHasher('sha256').update(await Bun.file(path).arrayBuffer()).digest('hex');

describe('vendored browser libraries', () => {
  test('public/vendor holds exactly the pinned versions from node_modules (run `bun run vendor` after a bump)', async () => {
    const pairs = [
      ['htmx.org', 'dist/htmx.min.js', 'htmx.min.js'],
      ['lightweight-charts', 'dist/lightweight-charts.standalone.production.js', 'lightweight-charts.standalone.production.js'],
    ] as const;
    for (const [pkg, file, vendored] of pairs) {
      expect(await sha(join(ROOT, 'public/vendor', vendored))).toBe(await sha(join(pkgDir(pkg), file)));
    }
    const versions = await Bun.file(join(ROOT, 'public/vendor/VERSIONS.txt')).text();
    expect(versions).toContain('htmx.org@4.0.1 ');
    expect(versions).toContain('lightweight-charts@5.2.1 ');
  });
});
