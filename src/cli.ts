// Command-line entry: start | demo | sim | backtest | download | export. Each command lives in its own module.
const USAGE = `usage: bun src/cli.ts <start|demo|sim|backtest|download|export> [options]`;

type Command = (args: string[]) => Promise<number>;

const notYet = (name: string): Command => async () => {
  console.error(`coinbutler ${name}: not implemented yet`);
  return 1;
};

const commands: Record<string, Command> = {
  start: async (args) => (await import('./main.ts')).runStart(args),
  demo: async (args) => (await import('./demo.ts')).runDemo(args),
  sim: async (args) => (await import('./sim/cli.ts')).runSimCli(args),
  backtest: async (args) => (await import('./backtest/cli-backtest.ts')).runBacktestCli(args),
  download: async (args) => (await import('./backtest/cli-download.ts')).runDownloadCli(args),
  export: async (args) => (await import('./export.ts')).runExport(args),
};

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    console.error(name === undefined ? USAGE : `unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  return command(rest);
}

if (import.meta.main) {
  // Explicit: a stopped server or socket must not keep a finished command alive.
  process.exit(await runCli(process.argv.slice(2)));
}
