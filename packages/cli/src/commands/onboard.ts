// Placeholder until the 'onboard' command lands (see the issue that owns it); replaced, not extended.
export const summary = 'onboard (not built yet)';
export async function run(_args: string[]): Promise<number> {
  console.error("sightline onboard: not built yet");
  return 1;
}
