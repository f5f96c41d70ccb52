// Benchmark plumbing: a result shape with its goal/baseline, percentiles, and machine facts for results.json.
import { cpus, totalmem } from 'node:os';

export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  /** What the value is compared against (a goal or the old design's figure), in words. */
  baseline: string;
  /** True when the value meets the goal; null when there is no goal. */
  meetsGoal: boolean | null;
  note: string;
};

export type BenchContext = { isQuick: boolean };
export type Bench = { name: string; run(ctx: BenchContext): Promise<BenchResult[]> };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function machine() {
  const list = cpus();
  return {
    cores: list.length,
    cpu: list[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    bun: Bun.version,
    commit: Bun.spawnSync(['git', 'rev-parse', '--short', 'HEAD']).stdout.toString().trim() || 'unknown',
  };
}

/** Runs fn repeatedly for about `ms` and returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, ms: number): Promise<number> {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    await fn();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
