// Enforces the import rules of DESIGN.md: core is pure, Upbit words stay in the adapter, web never reaches the exchange.
import { describe, expect, test } from 'bun:test';
import { Glob } from 'bun';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(import.meta.dir, '..');
const SRC = join(ROOT, 'src');

type SourceFile = { path: string; text: string; imports: string[] };

function loadSources(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const rel of new Glob('**/*.{ts,tsx}').scanSync({ cwd: SRC })) {
    const abs = join(SRC, rel);
    const text = readFileSync(abs, 'utf8');
    const imports = [...text.matchAll(/(?:import|export)[^'"`]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
      .map((m) => m[1] ?? m[2] ?? '')
      .filter((s) => s.startsWith('.'))
      .map((s) => relative(SRC, normalize(join(dirname(abs), s))));
    files.push({ path: rel, text, imports });
  }
  return files;
}

const sources = loadSources();
const under = (dir: string) => (p: string) => p.startsWith(`${dir}/`);
const violations = (pred: (f: SourceFile) => string[]) => sources.flatMap(pred);

describe('architecture', () => {
  test('core/ imports only core/ and uses no clock, randomness or I/O', () => {
    const bad = violations((f) =>
      under('core')(f.path)
        ? [
            ...f.imports.filter((i) => !under('core')(i)).map((i) => `${f.path} imports ${i}`),
            ...(/Date\.now\(|Math\.random\(|new Date\(\)|\bprocess\.[a-zA-Z]|\bBun\.[a-zA-Z]|\bconsole\.[a-zA-Z]|\bfetch\(/.test(f.text) ? [`${f.path} touches the outside world`] : []),
            ...[...f.text.matchAll(/from\s+['"]([^.'"][^'"]*)['"]/g)].map((m) => `${f.path} imports package ${m[1]}`),
          ]
        : [],
    );
    expect(bad).toEqual([]);
  });

  test('Upbit vocabulary stays inside exchange/upbit/ and sim/', () => {
    const upbitWords = /['"](bid|ask)['"]|ord_type|Remaining-Req|SignJWT|jwtVerify|query_hash/;
    const bad = violations((f) =>
      !under('exchange/upbit')(f.path) && !under('sim')(f.path) && upbitWords.test(f.text) ? [f.path] : [],
    );
    expect(bad).toEqual([]);
  });

  test('web/ never imports exchange/', () => {
    const bad = violations((f) => (under('web')(f.path) ? f.imports.filter(under('exchange')).map((i) => `${f.path} → ${i}`) : []));
    expect(bad).toEqual([]);
  });

  test('paper trading is an adapter, never a flag inside the Upbit adapter', () => {
    const bad = violations((f) => (under('exchange/upbit')(f.path) && /dryRun|isPaper|paperMode/i.test(f.text) ? [f.path] : []));
    expect(bad).toEqual([]);
  });

  test('only the composition roots build concrete exchange adapters', () => {
    const concrete = ['exchange/upbit/upbit-exchange.ts', 'exchange/paper.ts'];
    const roots = new Set(['main.ts', 'cli.ts', 'demo.ts']);
    const bad = violations((f) =>
      roots.has(f.path) || concrete.includes(f.path) || under('exchange')(f.path)
        ? []
        : f.imports.filter((i) => concrete.includes(i)).map((i) => `${f.path} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  test('every .tsx file names its JSX runtime, so the app runs from any working directory', () => {
    // Bun reads tsconfig.json from the working directory; a service started elsewhere would default to React.
    const bad = sources.filter((f) => f.path.endsWith('.tsx') && !f.text.includes('@jsxImportSource hono/jsx')).map((f) => f.path);
    expect(bad).toEqual([]);
  });

  test('candles/ is neutral ground: it imports only candles/, and backtest/ and sim/ never import each other', () => {
    const bad = violations((f) => [
      ...(under('candles')(f.path) ? f.imports.filter((i) => !under('candles')(i)) : []),
      ...(under('backtest')(f.path) ? f.imports.filter(under('sim')) : []),
      ...(under('sim')(f.path) ? f.imports.filter(under('backtest')) : []),
    ].map((i) => `${f.path} → ${i}`));
    expect(bad).toEqual([]);
  });

  test('no barrel index.ts files', () => {
    expect(sources.filter((f) => /(^|\/)index\.tsx?$/.test(f.path)).map((f) => f.path)).toEqual([]);
  });

  test('no import cycles', () => {
    const graph = new Map(sources.map((f) => [f.path, f.imports]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (node: string, trail: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  test('the scan sees the source tree', () => {
    expect(sources.length).toBeGreaterThan(5);
    expect(sources.some((f) => f.path === 'core/ticks.ts')).toBe(true);
  });
});
