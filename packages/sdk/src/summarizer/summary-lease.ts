/**
 * A lease per session around the summarizer's work, so that when several bridges read one stream a session's summary
 * is made once (docs/scaling.md, "Bridge state on Redis"). The holder releases it when its summary is stored; a
 * holder that dies leaves it to expire.
 */
import type { SessionKey } from '../session-key/session-key.ts';

/** Releases a lease taken by {@link SummaryLease.acquire}; a no-op when it already expired or passed to another holder. */
export type LeaseRelease = () => Promise<void>;

/** Who may summarise a session right now. */
export interface SummaryLease {
  /** Takes the session's lease for `ttlMs`; resolves to its release, or to null while another holder has it. */
  acquire(key: SessionKey, ttlMs: number): Promise<LeaseRelease | null>;
}

/**
 * The default lease for one process: always granted (a summarizer already runs one call per session at a time).
 * `RedisSummaryLease` from `@sightline/sdk/redis` shares it between processes.
 */
export const localSummaryLease: SummaryLease = {
  acquire: async () => async () => undefined,
};
