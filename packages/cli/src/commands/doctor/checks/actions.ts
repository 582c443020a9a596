/** The `actions` check: a running bridge lists the Rasa actions it serves. */
import { BRIDGE_ACTION_NAMES } from '@sightline/bridge';
import type { DoctorIo } from '../doctor-io.ts';
import { fail, ok, type DoctorCheck } from '../doctor-check.ts';
import { get, parseJson } from '../http-probe.ts';

export async function checkActions(io: DoctorIo, bridgeUrl: string, timeoutS: number): Promise<DoctorCheck> {
  const url = `${bridgeUrl}/actions`;
  const probe = await get(io, url, timeoutS);
  if ('error' in probe) return fail('actions', `GET ${url}: ${probe.error}`, 'check --bridge');
  const listed = parseJson(probe.body);
  const names = Array.isArray(listed) ? listed.map((item) => (item as { name?: unknown } | null)?.name).filter((name): name is string => typeof name === 'string') : [];
  const missing = BRIDGE_ACTION_NAMES.filter((name) => !names.includes(name));
  if (probe.response.status !== 200 || missing.length > 0) {
    return fail('actions', `GET ${url} (HTTP ${probe.response.status}) lacks ${missing.join(', ')}`, '--bridge must point at a Sightline bridge, which serves these Rasa actions');
  }
  return ok('actions', `${url} lists ${[...BRIDGE_ACTION_NAMES].sort().join(', ')}`);
}
