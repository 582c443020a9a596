// Placeholder until the 'connector' command lands (see the issue that owns it); replaced, not extended.
export const summary = 'connector (not built yet)';
export async function run(_args: string[]): Promise<number> {
  console.error("sightline connector: not built yet");
  return 1;
}
