/** The `metrics` check: a running bridge's /metrics answers with its key and not without. */
import type { DoctorIo } from '../doctor-io.ts';
import { fail, ok, warn, type DoctorCheck } from '../doctor-check.ts';
import { errorOf, get } from '../http-probe.ts';
import { maskSecret } from '../mask-secret.ts';

export const KEY_HINT = "set BRIDGE_API_KEY (environment or --dotenv file) to one of the bridge's keys";

/** `/metrics` should answer with the key and refuse without it (unless the operator opened it with BRIDGE_METRICS_PUBLIC). */
export async function checkMetrics(io: DoctorIo, bridgeUrl: string, apiKey: string | undefined, timeoutS: number): Promise<DoctorCheck> {
  const url = `${bridgeUrl}/metrics`;
  const open = await get(io, url, timeoutS);
  if ('error' in open) return fail('metrics', `GET ${url}: ${open.error}`, 'check --bridge');
  const isOpen = open.response.status === 200;
  if (apiKey === undefined) {
    return isOpen
      ? warn('metrics', `${url} answers without a key`, 'set BRIDGE_API_KEY on the bridge (BRIDGE_METRICS_PUBLIC=true opens the metrics on purpose)')
      : warn('metrics', `${url} answered ${open.response.status} without a key, as it should; not read`, KEY_HINT);
  }
  const keyed = await get(io, url, timeoutS, { authorization: `Bearer ${apiKey}` });
  if ('error' in keyed) return fail('metrics', `GET ${url}: ${keyed.error}`, 'check --bridge');
  if (keyed.response.status !== 200) {
    const { code } = errorOf(keyed.body);
    return fail('metrics', `${url} answered ${keyed.response.status}${code ? ` ${code}` : ''} to BRIDGE_API_KEY ${maskSecret(apiKey)}`, `${KEY_HINT}; the key here is not one of them`);
  }
  return isOpen
    ? warn('metrics', `${url} answers with the key, and also without it`, 'the bridge has BRIDGE_METRICS_PUBLIC=true or no BRIDGE_API_KEY; unset BRIDGE_METRICS_PUBLIC unless a scraper needs it open')
    : ok('metrics', `${url} answers with the key and refuses callers without it`);
}
