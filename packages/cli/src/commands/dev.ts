// Placeholder until the 'dev' command lands (see the issue that owns it); replaced, not extended.
export const summary = 'dev (not built yet)';
export async function run(_args: string[]): Promise<number> {
  console.error("sightline dev: not built yet");
  return 1;
}
