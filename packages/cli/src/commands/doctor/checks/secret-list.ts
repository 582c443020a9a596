/** The `bridge-key` and `identity` checks: a list of secrets is set and each holds enough bits. */
import { BRIDGE_DEFAULTS, BRIDGE_PREFIX, BRIDGE_SETTINGS } from '@sightline/bridge';
import { MIN_SECRET_BITS, secretBits } from '@sightline/protocol/internal';
import { readSettings } from '@sightline/protocol/settings';
import { fail, ok, warn, type DoctorCheck } from '../doctor-check.ts';

/** The loopback names: a bridge there is reachable only from this machine. */
function isLoopback(host: string): boolean {
  return /^(127(\.\d{1,3}){3}|::1|localhost)$/i.test(host.replace(/^\[(.*)\]$/, '$1'));
}

/**
 * Where the bridge listens and whether it starts without its keys, as it reads them (former names included; the
 * `config` check reports those). A wrong value is the `config` check's failure; here it counts as the default.
 */
function exposure(merged: Record<string, string | undefined>): { host: string; isInsecure: boolean } {
  const table = { BRIDGE_HOST: BRIDGE_SETTINGS.BRIDGE_HOST, BRIDGE_INSECURE: BRIDGE_SETTINGS.BRIDGE_INSECURE };
  try {
    const values = readSettings(table, { env: merged, serverPrefix: BRIDGE_PREFIX });
    return { host: values.BRIDGE_HOST, isInsecure: values.BRIDGE_INSECURE };
  } catch {
    return { host: BRIDGE_DEFAULTS.host, isInsecure: BRIDGE_DEFAULTS.insecure };
  }
}

/**
 * Whether a comma-separated secret list is set and each secret strong enough. Unset is a warning on loopback or with
 * BRIDGE_INSECURE (the bridge starts, with that door open) and a failure elsewhere (the bridge refuses to start).
 */
export function checkSecretList(name: string, check: string, merged: Record<string, string | undefined>, whatIsOpen: string): DoctorCheck {
  const values = (merged[name] ?? '').split(',').map((value) => value.trim()).filter((value) => value !== '');
  const generate = "generate one with 'openssl rand -hex 32' (or 'sightline onboard', which writes it to .env)";
  if (values.length === 0) {
    const { host, isInsecure } = exposure(merged);
    const message = `${name} is not set: ${whatIsOpen}`;
    return isLoopback(host) || isInsecure
      ? warn(check, `${message} (allowed on ${isInsecure ? 'BRIDGE_INSECURE' : `loopback ${host}`})`, `set ${name}; ${generate}`)
      : fail(check, `${message}, so a bridge on ${host} refuses to start`, `set ${name}; ${generate}`);
  }
  const weak = values.filter((value) => secretBits(value) < MIN_SECRET_BITS).length;
  if (weak > 0) {
    return fail(check, `${weak} of ${values.length} value(s) in ${name} hold under ${MIN_SECRET_BITS} bits, so the bridge refuses to start`, `replace them; ${generate}`);
  }
  return ok(check, `${name} is set (${values.length} value(s), each ${MIN_SECRET_BITS} bits or more)`);
}
