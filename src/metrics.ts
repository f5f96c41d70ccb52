// A tiny metrics registry: counters, gauges and sum/count summaries rendered in Prometheus text format 0.0.4.

export type MetricType = 'counter' | 'gauge' | 'summary';
export type Labels = Readonly<Record<string, string>>;

/** The Content-Type of the text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class MetricDefinitionError extends Error {
  override readonly name = 'MetricDefinitionError';
}

export type MetricFamily = {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** Counters and gauges: adds `by` (default 1; a counter refuses a negative step). */
  inc(labels?: Labels, by?: number): void;
  /** Gauges; or a counter mirrored from a source that already counts monotonically (e.g. a client's stats()). */
  set(labels: Labels, value: number): void;
  /** Summaries: adds one observation to `_sum` and `_count`. */
  observe(labels: Labels, value: number): void;
  /** Drops every series (for gauges re-read at each scrape, so a vanished label value disappears). */
  clear(): void;
};

export type MetricsRegistry = {
  counter(name: string, help: string): MetricFamily;
  gauge(name: string, help: string): MetricFamily;
  summary(name: string, help: string): MetricFamily;
  /** Every family in definition order, series sorted by labels; ends with a newline. */
  render(): string;
};

type Series = { labels: Labels; value: number; sum: number; count: number };

/** `\` and newline in HELP text. */
export const escapeHelp = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
/** `\`, `"` and newline in a label value. */
export const escapeLabelValue = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k]!)}"`).join(',')}}`;
}

function checkLabels(metric: string, labels: Labels): void {
  for (const k of Object.keys(labels)) {
    if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new MetricDefinitionError(`Could not record ${metric}: bad label name "${k}"`);
  }
}

function createFamily(name: string, type: MetricType, help: string) {
  const series = new Map<string, Series>();
  const at = (labels: Labels): Series => {
    const key = formatLabels(labels);
    let s = series.get(key);
    if (!s) {
      checkLabels(name, labels);
      s = { labels: { ...labels }, value: 0, sum: 0, count: 0 };
      series.set(key, s);
    }
    return s;
  };
  const family: MetricFamily = {
    name,
    type,
    help,
    inc(labels = {}, by = 1) {
      if (type === 'summary') throw new MetricDefinitionError(`Could not increment ${name}: a summary takes observe()`);
      if (type === 'counter' && by < 0) throw new MetricDefinitionError(`Could not increment ${name}: a counter never goes down (got ${by})`);
      at(labels).value += by;
    },
    set(labels, value) {
      if (type === 'summary') throw new MetricDefinitionError(`Could not set ${name}: a summary takes observe()`);
      at(labels).value = value;
    },
    observe(labels, value) {
      if (type !== 'summary') throw new MetricDefinitionError(`Could not observe ${name}: only a summary takes observations`);
      const s = at(labels);
      s.sum += value;
      s.count += 1;
    },
    clear: () => series.clear(),
  };
  const render = (): string[] => {
    const lines = [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
    for (const key of [...series.keys()].sort()) {
      const s = series.get(key)!;
      if (type === 'summary') lines.push(`${name}_sum${key} ${formatValue(s.sum)}`, `${name}_count${key} ${formatValue(s.count)}`);
      else lines.push(`${name}${key} ${formatValue(s.value)}`);
    }
    return lines;
  };
  return { family, render };
}

export function createRegistry(): MetricsRegistry {
  const families = new Map<string, ReturnType<typeof createFamily>>();
  const define = (name: string, type: MetricType, help: string): MetricFamily => {
    if (!METRIC_NAME.test(name)) throw new MetricDefinitionError(`Could not define metric "${name}": not a valid metric name`);
    if (families.has(name)) throw new MetricDefinitionError(`Could not define metric ${name}: defined twice`);
    const f = createFamily(name, type, help);
    families.set(name, f);
    return f.family;
  };
  return {
    counter: (name, help) => define(name, 'counter', help),
    gauge: (name, help) => define(name, 'gauge', help),
    summary: (name, help) => define(name, 'summary', help),
    render: () => `${[...families.values()].flatMap((f) => f.render()).join('\n')}\n`,
  };
}
