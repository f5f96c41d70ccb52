// `bun run bench [-- --quick] [-- --only=NAME]`: runs the benchmarks, prints a table with goals, writes bench/results.json
// (with --only, the re-run bench's entries replace its old ones and the other entries are kept, each stamped with its run).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Glob } from 'bun';
import { machine, type Bench, type BenchResult } from './lib.ts';

const isQuick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

async function loadBenches(): Promise<Bench[]> {
  const benches: Bench[] = [];
  for (const file of [...new Glob('*.bench.ts').scanSync({ cwd: import.meta.dir })].sort()) {
    const mod = (await import(join(import.meta.dir, file))) as { bench?: Bench };
    if (mod.bench && (!only || mod.bench.name.includes(only))) benches.push(mod.bench);
  }
  return benches;
}

type Stamped = BenchResult & { bench: string; quick: boolean; at: string; machine: ReturnType<typeof machine> };

const m = machine();
const at = new Date().toISOString();
const results: BenchResult[] = [];
const stamped: Stamped[] = [];
const ran = new Set<string>();
for (const bench of await loadBenches()) {
  process.stdout.write(`running ${bench.name}…\n`);
  ran.add(bench.name);
  try {
    const out = await bench.run({ isQuick });
    results.push(...out);
    stamped.push(...out.map((r) => ({ ...r, bench: bench.name, quick: isQuick, at, machine: m })));
  } catch (err) {
    console.error(`bench ${bench.name} failed: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  }
}

const fmt = (v: number) => (Math.abs(v) >= 1e5 ? Math.round(v).toLocaleString('en-US') : String(v));
console.log('');
console.log(`${'figure'.padEnd(38)} ${'value'.padStart(16)} ${'unit'.padEnd(14)} ${'goal / baseline'.padEnd(44)} ok`);
for (const r of results) {
  const ok = r.meetsGoal === null ? '–' : r.meetsGoal ? 'yes' : 'NO';
  console.log(`${r.name.padEnd(38)} ${fmt(r.value).padStart(16)} ${r.unit.padEnd(14)} ${r.baseline.padEnd(44)} ${ok}`);
}
console.log(`\nmachine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GiB, bun ${m.bun}, commit ${m.commit}${isQuick ? ', --quick' : ''}`);
/** With --only: the earlier entries of the benches not re-run now (entries without a bench name cannot be matched and are dropped). */
function kept(): Stamped[] {
  const file = join(import.meta.dir, 'results.json');
  if (!only || !existsSync(file)) return [];
  const old = JSON.parse(readFileSync(file, 'utf8')) as { results?: Stamped[] };
  return (old.results ?? []).filter((r) => typeof r.bench === 'string' && !ran.has(r.bench));
}

const all = [...kept(), ...stamped];
await Bun.write(
  join(import.meta.dir, 'results.json'),
  `${JSON.stringify({ machine: m, quick: all.some((r) => r.quick), at, note: 'Each entry carries the bench, run time, machine and commit it was measured with.', results: all }, null, 2)}\n`,
);
