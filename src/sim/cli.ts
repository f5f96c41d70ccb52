// `bun run sim`: serves the Upbit simulator until stopped.
export async function runSimCli(_args: string[]): Promise<number> {
  console.error('coinbutler sim: not implemented yet');
  return 1;
}
