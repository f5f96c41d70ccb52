// Worker thread of a sweep: parses the data once, runs its share of the grid, posts the summaries back.
import { loadInputs, runBacktest } from './backtest.ts';
import type { SweepJob } from './sweep.ts';

declare const self: Worker;

self.onmessage = (e: MessageEvent<SweepJob>) => {
  const job = e.data;
  try {
    const inputs = loadInputs(job.data, { from: job.from, to: job.to, cacheDir: job.cacheDir ?? undefined });
    const rows = job.combos.map((c) => ({ index: c.index, summary: runBacktest(inputs, c.settings).summary }));
    self.postMessage({ ok: true, rows });
  } catch (err) {
    self.postMessage({ ok: false, error: (err as Error).message });
  }
};
