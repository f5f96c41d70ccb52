// `bun run bench [-- --quick]`: runs every benchmark, prints a table with goals, writes bench/results.json.
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

const results: BenchResult[] = [];
for (const bench of await loadBenches()) {
  process.stdout.write(`running ${bench.name}…\n`);
  try {
    results.push(...(await bench.run({ isQuick })));
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
const m = machine();
console.log(`\nmachine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GiB, bun ${m.bun}, commit ${m.commit}${isQuick ? ', --quick' : ''}`);
await Bun.write(
  join(import.meta.dir, 'results.json'),
  `${JSON.stringify({ machine: m, quick: isQuick, at: new Date().toISOString(), results: results.map((r) => ({ ...r, machine: m })) }, null, 2)}\n`,
);
