// Placeholder until the 'bridge' command lands (see the issue that owns it); replaced, not extended.
export const summary = 'bridge (not built yet)';
export async function run(_args: string[]): Promise<number> {
  console.error("sightline bridge: not built yet");
  return 1;
}
