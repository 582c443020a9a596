/** The `connector` check: the health of the connector that STREAM_URL names. */
import type { DoctorIo } from '../doctor-io.ts';
import { fail, ok, warn, type DoctorCheck } from '../doctor-check.ts';
import { get, parseJson } from '../http-probe.ts';
import { streamTarget } from '../stream-target.ts';

export async function checkConnector(io: DoctorIo, streamUrl: URL, timeoutS: number): Promise<{ check: DoctorCheck; isReachable: boolean }> {
  const { base } = streamTarget(streamUrl);
  const url = `${base}/healthz`;
  const probe = await get(io, url, timeoutS);
  if ('error' in probe) {
    return {
      check: fail('connector', `GET ${url}: ${probe.error}`, "start the connector ('sightline connector' or 'sightline dev'), or fix STREAM_URL to point at it"),
      isReachable: false,
    };
  }
  const { response, body } = probe;
  if (response.status >= 500) {
    return { check: fail('connector', `GET ${url} answered HTTP ${response.status}`, "read the connector's log; restart it"), isReachable: true };
  }
  const health = parseJson(body) as { status?: unknown; epoch?: unknown; products?: unknown } | undefined;
  if (response.status !== 200 || health?.status !== 'ok') {
    return {
      check: warn('connector', `GET ${url} answered HTTP ${response.status} without a Sightline health body`,
        'STREAM_URL may point at a proxy or a connector other than Sightline; the stream check below still tells whether it works'),
      isReachable: true,
    };
  }
  const redis = (health as { redis?: { connected?: unknown } }).redis;
  if (redis?.connected === false) {
    return { check: warn('connector', `${url} is up but has lost Redis (status degraded)`, 'check the connector\'s REDIS_URL and that Redis runs; see the redis check'), isReachable: true };
  }
  const facts = [
    typeof health.epoch === 'number' ? `epoch ${health.epoch}` : null,
    typeof health.products === 'number' ? `${health.products} product(s)` : null,
    redis?.connected === true ? 'on Redis' : null,
  ];
  const detail = facts.filter((fact) => fact !== null).join(', ');
  return { check: ok('connector', `${url} is up${detail ? ` (${detail})` : ''}`), isReachable: true };
}
