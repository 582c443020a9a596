/** The `bridge` check: a running bridge's own stream state, followed by its `metrics` and `actions` checks. */
import type { HealthBody } from '@sightline/bridge/internal';
import type { DoctorIo } from '../doctor-io.ts';
import { fail, ok, oneLine, warn, type DoctorCheck } from '../doctor-check.ts';
import { get, parseJson } from '../http-probe.ts';
import { maskSecret } from '../mask-secret.ts';
import { checkActions } from './actions.ts';
import { checkMetrics, KEY_HINT } from './metrics.ts';

function describeAge(seconds: number | null): string {
  if (seconds === null) return 'no events yet';
  return `last event ${Math.round(seconds)} s ago`;
}

export async function checkBridge(io: DoctorIo, bridgeUrl: string, apiKey: string | undefined, timeoutS: number): Promise<DoctorCheck[]> {
  const url = `${bridgeUrl}/healthz`;
  const probe = await get(io, url, timeoutS, apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` });
  if ('error' in probe) {
    return [
      fail('bridge', `GET ${url}: ${probe.error}`, "start the bridge ('sightline bridge'), or fix --bridge"),
      warn('metrics', 'not checked: the bridge is unreachable'),
      warn('actions', 'not checked: the bridge is unreachable'),
    ];
  }
  const health = parseJson(probe.body) as Partial<HealthBody> | undefined;
  const stream = health?.stream;
  let healthCheck: DoctorCheck;
  if (probe.response.status === 200 && typeof health?.status === 'string' && stream === undefined) {
    // A bridge with keys shows a caller without its key only whether it is up.
    healthCheck = apiKey === undefined
      ? warn('bridge', `${bridgeUrl} is up (status ${health.status}); its details need the bridge key`, KEY_HINT)
      : fail('bridge', `${bridgeUrl} is up (status ${health.status}) but did not take BRIDGE_API_KEY ${maskSecret(apiKey)}`, `${KEY_HINT}; the key here is not one of them`);
  } else if (probe.response.status !== 200 || typeof stream !== 'object' || stream === null || typeof stream.state !== 'string') {
    healthCheck = fail('bridge', `GET ${url} answered HTTP ${probe.response.status} without a Sightline bridge health body`, '--bridge must be the bridge\'s base URL, e.g. http://localhost:8090');
  } else {
    const tracked = `${health?.users_tracked ?? 0} user(s), ${health?.sessions_tracked ?? 0} session(s)`;
    const llm = health?.llm ? `, llm ${health.llm.provider}${health.llm.model ? ` ${health.llm.model}` : ''}` : '';
    const trouble = [stream.gaps ? `${stream.gaps} gap(s)` : null, stream.dropped ? `${stream.dropped} dropped` : null, stream.malformed ? `${stream.malformed} malformed` : null]
      .filter((item) => item !== null);
    const extra = trouble.length > 0 ? `; ${trouble.join(', ')}` : '';
    switch (stream.state) {
      case 'connected':
        healthCheck = ok('bridge', `${bridgeUrl} stream connected (${describeAge(stream.last_event_age_s ?? null)}; ${tracked}${llm}${extra})`);
        break;
      case 'connecting':
      case 'reconnecting':
        healthCheck = warn('bridge', `${bridgeUrl} stream ${stream.state} (${stream.disconnects ?? 0} disconnect(s)${stream.error ? `: ${oneLine(stream.error)}` : ''})`,
          "check that the connector named by the bridge's STREAM_URL is up and reachable from the bridge");
        break;
      case 'failed':
        healthCheck = fail('bridge', `${bridgeUrl} stream failed: ${oneLine(stream.error ?? 'no reason given')}`,
          "fix the bridge's STREAM_URL / STREAM_KEY (re-run 'sightline onboard' if the key was rotated) and restart the bridge");
        break;
      default:
        healthCheck = fail('bridge', `${bridgeUrl} stream ${stream.state}`, 'the bridge is shutting down or was stopped; restart it');
    }
  }
  return [healthCheck, await checkMetrics(io, bridgeUrl, apiKey, timeoutS), await checkActions(io, bridgeUrl, timeoutS)];
}
