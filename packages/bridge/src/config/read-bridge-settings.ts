/**
 * Reads a table of the bridge's settings and turns a refusal into the bridge's coded error, so every part of the
 * configuration (the whole table, the language model's, proactive help's) fails the same way.
 */
import { readSettings, SettingError, type SettingsTable, type SettingsValues } from '@sightline/protocol/settings';
import { createError } from '../errors.ts';

/** The bridge's name in its variables: `BRIDGE_PORT` is `sightline bridge --port`. */
export const BRIDGE_PREFIX = 'BRIDGE';

/** How a table of the bridge is read. */
export interface ReadBridgeSettingsOptions {
  /** Flag values as `parseArgs` gives them (`sightline bridge`). */
  flags?: Readonly<Record<string, string | boolean | undefined>>;
  /** Told when a setting is given under its former name; default a process warning (code `SIGHTLINE_SETTING_RENAMED`). */
  onFormerName?: (message: string) => void;
}

/**
 * Reads a table of the bridge's settings.
 *
 * @throws SightlineError `SL_CONFIG_INVALID` whose `option` detail names the variable to fix.
 */
export function readBridgeSettings<T extends SettingsTable>(table: T, env: Readonly<Record<string, string | undefined>>, options: ReadBridgeSettingsOptions = {}): SettingsValues<T> {
  try {
    return readSettings(table, { env, serverPrefix: BRIDGE_PREFIX, ...(options.onFormerName ? { onFormerName: options.onFormerName } : {}), ...(options.flags ? { flags: options.flags } : {}) });
  } catch (error) {
    if (error instanceof SettingError) throw createError('SL_CONFIG_INVALID', { option: error.setting, reason: error.reason });
    throw error;
  }
}
