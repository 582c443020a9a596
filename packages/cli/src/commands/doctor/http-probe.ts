/** The GET every HTTP check makes, with a bounded wait, and how its failures and error bodies read. */
import type { DoctorIo } from './doctor-io.ts';
import { oneLine } from './doctor-check.ts';

/** Why a fetch threw, in a few words: refused, unknown host, no answer in time… */
export function describeFailure(error: unknown, timeoutS: number): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return `no answer within ${timeoutS} s`;
  const code = failure.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET') return 'connection reset';
  return oneLine(failure.cause?.message ?? failure.message ?? String(error));
}

export type Probe = { response: Response; body: string } | { error: string };

/** GET with a bounded wait covering headers and body. */
export async function get(io: DoctorIo, url: string, timeoutS: number, headers: Record<string, string> = {}): Promise<Probe> {
  try {
    const response = await io.fetch(url, { headers, signal: AbortSignal.timeout(timeoutS * 1000), redirect: 'follow' });
    return { response, body: await response.text() };
  } catch (error) {
    return { error: describeFailure(error, timeoutS) };
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `{"error": {"code", "message"}}` a Sightline server answers, when it is one. */
export function errorOf(body: string): { code?: string; message?: string } {
  const error = (parseJson(body) as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
  };
}
