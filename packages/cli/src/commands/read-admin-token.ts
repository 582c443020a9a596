/**
 * A server's admin token as the commands that call it (`onboard`, `forget`, `doctor`) find it in an environment: read
 * through that server's own settings table, so its name comes first and a former name still works, with a warning.
 */
import { BRIDGE_PREFIX, BRIDGE_SETTINGS } from '@sightline/bridge';
import { CONNECTOR_PREFIX, CONNECTOR_SETTINGS } from '@sightline/connector';
import { readSettings } from '@sightline/protocol/settings';

/**
 * The admin token of the connector (`CONNECTOR_ADMIN_TOKEN`, formerly `SIGHTLINE_ADMIN_TOKEN`) or of the bridge
 * (`BRIDGE_ADMIN_TOKEN`, formerly `ADMIN_TOKEN`) in `env`; undefined when unset or blank. `onFormerName` is told when
 * only the former name is set.
 *
 * @example
 * readAdminToken({ ADMIN_TOKEN: 't' }, 'bridge', console.warn); // 't', and a warning to rename it BRIDGE_ADMIN_TOKEN
 */
export function readAdminToken(env: Readonly<Record<string, string | undefined>>, server: 'connector' | 'bridge', onFormerName: (message: string) => void): string | undefined {
  const token = server === 'connector'
    ? readSettings({ CONNECTOR_ADMIN_TOKEN: CONNECTOR_SETTINGS.CONNECTOR_ADMIN_TOKEN }, { env, serverPrefix: CONNECTOR_PREFIX, onFormerName }).CONNECTOR_ADMIN_TOKEN
    : readSettings({ BRIDGE_ADMIN_TOKEN: BRIDGE_SETTINGS.BRIDGE_ADMIN_TOKEN }, { env, serverPrefix: BRIDGE_PREFIX, onFormerName }).BRIDGE_ADMIN_TOKEN;
  return token?.trim() || undefined;
}
