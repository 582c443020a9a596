/** The `config` check: the bridge's configuration loads from the environment and the .env file, as the bridge reads it. */
import { existsSync } from 'node:fs';
import { loadBridgeConfig, type BridgeConfig } from '@sightline/bridge';
import { readEnvFile } from '@sightline/bridge/internal';
import { isSightlineError } from '@sightline/protocol';
import { fail, ok, oneLine, warn, type DoctorCheck } from '../doctor-check.ts';

/** The merged environment as the bridge sees it: the `.env` file under the process environment. */
export function mergedEnvironment(env: NodeJS.ProcessEnv, envPath: string): { merged: Record<string, string | undefined>; fileError: string | null } {
  let fileValues: Record<string, string> = {};
  let fileError: string | null = null;
  try {
    fileValues = readEnvFile(envPath);
  } catch (error) {
    fileError = oneLine((error as Error).message);
  }
  const merged: Record<string, string | undefined> = { ...fileValues };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;
  return { merged, fileError };
}

/**
 * Loads the bridge's configuration from `env` and the file at `envPath` (`isNamed`: the user passed --dotenv), with
 * `fileError` what reading that file said. Any error other than an invalid setting is thrown on. A setting given under
 * its former name is told to `onFormerName`, as the bridge would warn at start.
 */
export function checkConfig(
  env: NodeJS.ProcessEnv,
  envPath: string,
  isNamed: boolean,
  fileError: string | null,
  onFormerName: (message: string) => void = () => undefined,
): { check: DoctorCheck; config: BridgeConfig | undefined } {
  const source = existsSync(envPath) ? `the environment and ${envPath}` : `the environment (no ${envPath})`;
  if (fileError !== null) {
    return { check: fail('config', `cannot read ${envPath}: ${fileError}`, 'fix the file\'s permissions or pass --dotenv <path>'), config: undefined };
  }
  try {
    const config = loadBridgeConfig(env, { envFile: envPath, onFormerName });
    // The bridge quietly skips a missing .env; a file named on purpose and missing is most likely a typo.
    const check = isNamed && !existsSync(envPath)
      ? warn('config', `bridge configuration loads, but ${envPath} does not exist`, 'fix the --dotenv path if the settings should come from a file')
      : ok('config', `bridge configuration loads from ${source}`);
    return { check, config };
  } catch (error) {
    if (!isSightlineError(error, 'SL_CONFIG_INVALID')) throw error;
    return { check: fail('config', oneLine(error.message), `set ${String(error.details['option'] ?? 'it')} in ${envPath} or the environment`), config: undefined };
  }
}
