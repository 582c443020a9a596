/** The `stream` check: the product's stream opens with its key, and what a refusal means. */
import type { DoctorIo } from '../doctor-io.ts';
import { fail, ok, type DoctorCheck } from '../doctor-check.ts';
import { describeFailure, errorOf, get } from '../http-probe.ts';
import { displayUrl } from '@sightline/protocol/internal';
import { maskSecret } from '../mask-secret.ts';
import { streamTarget } from '../stream-target.ts';

/**
 * Whether the connector knows the product, asked with its admin token (`GET /products/:id`): the stream door answers
 * 401 for an unknown product and for a wrong key alike, so only the admin view tells them apart.
 */
type ProductLookup = 'registered' | 'unknown' | 'no-token' | 'token-refused' | 'unanswered';

async function lookUpProduct(io: DoctorIo, base: string, productId: string | null, adminToken: string | undefined, timeoutS: number): Promise<ProductLookup> {
  if (productId === null) return 'unanswered';
  if (adminToken === undefined) return 'no-token';
  const probe = await get(io, `${base}/products/${encodeURIComponent(productId)}`, timeoutS, { authorization: `Bearer ${adminToken}` });
  if ('error' in probe) return 'unanswered';
  if (probe.response.status === 200) return 'registered';
  if (probe.response.status === 404) return 'unknown';
  if (probe.response.status === 401 || probe.response.status === 403 || probe.response.status === 429) return 'token-refused';
  return 'unanswered';
}

/** What a refused stream means and what to run next, by status, the connector's error code and the admin view. */
function explainStreamRefusal(status: number, code: string | undefined, base: string, productId: string | null, lookup: ProductLookup): { message: string; hint: string } {
  const product = productId ?? '<product_id>';
  const onboard = `sightline onboard --connector ${base} --product-id ${product} --contact-email <you>`;
  if (status === 401 && code === 'SL_STREAM_KEY_MISSING') {
    return { message: 'no stream key reached the connector', hint: 'set STREAM_KEY (or UNKEY_API_KEY) to the stream_key from onboarding; check no proxy strips the Authorization header' };
  }
  if ([401, 403, 404, 429].includes(status) && lookup === 'unknown') {
    return { message: `product ${product} is not registered on this connector (a new data dir, or another connector)`, hint: `re-run '${onboard}' and update STREAM_URL and STREAM_KEY` };
  }
  if (status === 429) {
    return {
      message: 'the connector refuses this key at once: it already failed from somewhere (a repeated wrong key is not looked up again)',
      hint: 'fix STREAM_KEY (re-run onboarding with --force if it was rotated); a correct key is always looked up',
    };
  }
  if (status === 401 && lookup === 'registered') {
    return { message: `wrong stream key for product ${product}: it was mistyped or rotated by a re-registration`, hint: `re-run '${onboard} --force' and put the new STREAM_KEY in .env` };
  }
  if (status === 401) {
    const why = lookup === 'no-token'
      ? 'pass --admin-token (or set CONNECTOR_ADMIN_TOKEN) and doctor tells which'
      : lookup === 'token-refused' ? 'the admin token was refused too, so doctor cannot tell which' : 'the admin view did not answer, so doctor cannot tell which';
    return {
      message: `wrong stream key, or product ${product} is not registered on this connector (the connector answers 401 for both; ${why})`,
      hint: `re-run '${onboard} --force' and put the new STREAM_URL and STREAM_KEY in .env`,
    };
  }
  if (status === 403) {
    return { message: `the stream key is the key of another product than ${product}`, hint: `use the STREAM_URL that came with this key, or this product's own key ('${onboard} --force' rotates it)` };
  }
  if (status === 404 && code === 'SL_ROUTE_NOT_FOUND') {
    return { message: 'the connector has no stream at this path', hint: `set STREAM_URL to <connector>/stream/<product_id>, the stream_url printed by 'sightline onboard'` };
  }
  if (status === 404) {
    return { message: `product ${product} is not registered on this connector (a new data dir, or another connector)`, hint: `re-run '${onboard}' and update STREAM_URL and STREAM_KEY` };
  }
  return { message: `unexpected answer`, hint: "read the connector's log" };
}

export async function checkStream(io: DoctorIo, streamUrl: URL, streamKey: string, adminToken: string | undefined, timeoutS: number): Promise<DoctorCheck> {
  const { base, productId } = streamTarget(streamUrl);
  const shown = displayUrl(streamUrl);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutS * 1000);
  try {
    let response: Response;
    try {
      response = await io.fetch(streamUrl.href, {
        headers: { authorization: `Bearer ${streamKey}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
    } catch (error) {
      return fail('stream', `GET ${shown}: ${describeFailure(controller.signal.reason ?? error, timeoutS)}`, 'check STREAM_URL and that the connector is up');
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status === 200) {
      // A stream never ends by itself: the headers are all this check needs.
      controller.abort();
      if (!/^text\/event-stream\b/i.test(contentType)) {
        return fail('stream', `GET ${shown} answered 200 with content-type '${contentType || 'none'}', not text/event-stream`,
          'STREAM_URL must be the stream_url printed by onboarding; a proxy in between must pass event streams through');
      }
      return ok('stream', `${shown} opens with key ${maskSecret(streamKey)} (200 text/event-stream)`);
    }
    let body = '';
    try {
      body = await response.text();
    } catch {
      body = '';
    }
    const error = errorOf(body);
    const lookup = [401, 403, 404, 429].includes(response.status) && error.code !== 'SL_STREAM_KEY_MISSING' && error.code !== 'SL_ROUTE_NOT_FOUND'
      ? await lookUpProduct(io, base, productId, adminToken, timeoutS)
      : 'unanswered';
    const { message, hint } = explainStreamRefusal(response.status, error.code, base, productId, lookup);
    return fail('stream', `GET ${shown} answered ${response.status}${error.code ? ` ${error.code}` : ''}: ${message}`, hint);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
