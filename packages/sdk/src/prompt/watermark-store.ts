/**
 * The chat watermark behind "activity since your last chat message" (docs/reference/wire-contract.md#chat-watermark):
 * per conversation, when the previous inbound message arrived. Turn lifecycle: read the previous watermark, assemble
 * the prompt with it as the cutoff, reply, and only after the reply is delivered store this message's time.
 */
import { systemClock, type Clock } from '@sightline/protocol';
import { LruMap } from '../lru/lru-map.ts';
import { checkInteger, resolveLimit } from '../options/option-checks.ts';

/** Identifies one conversation. */
export interface ChatScope {
  /** Optional outer tenant (a workspace hosting several products). Default `""`. */
  tenantId?: string;
  productId: string;
  conversationId: string;
}

/** Stores each conversation's last inbound message time, epoch seconds. Async so shared storage can implement it. */
export interface ChatWatermarkStore {
  /** The previous inbound message's time, or null when there was none. */
  getPreviousInboundAt(scope: ChatScope): Promise<number | null>;
  /** Records this inbound message's time (last write wins). */
  setLastInboundAt(scope: ChatScope, at: number): Promise<void>;
  /** Forgets the conversation's watermark (forgetting a user); resolves to whether there was one. */
  delete(scope: ChatScope): Promise<boolean>;
}

/**
 * {@link ChatWatermarkStore} in memory, LRU-bounded.
 *
 * @example
 * const watermarks = new MemoryChatWatermarkStore();
 * const cutoff = cutoffForDeltaActivity(await watermarks.getPreviousInboundAt(scope));
 * // … assemble, reply …
 * await watermarks.setLastInboundAt(scope, effectiveInboundTimestamp(message.createdAt));
 */
export class MemoryChatWatermarkStore implements ChatWatermarkStore {
  private readonly watermarks: LruMap<string, number>;

  /** @param options.maxConversations most conversations remembered; `null` for no bound. Default 10,000. */
  constructor(options: { maxConversations?: number | null } = {}) {
    this.watermarks = new LruMap(resolveLimit('maxConversations', options.maxConversations, 10_000, checkInteger));
  }

  async getPreviousInboundAt(scope: ChatScope): Promise<number | null> {
    return this.watermarks.peek(scopeId(scope)) ?? null;
  }

  async setLastInboundAt(scope: ChatScope, at: number): Promise<void> {
    this.watermarks.set(scopeId(scope), at);
  }

  async delete(scope: ChatScope): Promise<boolean> {
    return this.watermarks.delete(scopeId(scope));
  }
}

function scopeId(scope: ChatScope): string {
  return `${scope.tenantId ?? ''}\u001f${scope.productId}\u001f${scope.conversationId}`;
}

/** The cutoff for the delta block: the previous inbound time, or null (no delta block). */
export function cutoffForDeltaActivity(previousInboundAt: number | null | undefined): number | null {
  return typeof previousInboundAt === 'number' && Number.isFinite(previousInboundAt) ? previousInboundAt : null;
}

/**
 * The time to record for an inbound message, epoch seconds: its own timestamp, else `fallback`, else
 * now from `clock`.
 */
export function effectiveInboundTimestamp(createdAt?: number | null, fallback?: number | null, clock: Clock = systemClock): number {
  if (typeof createdAt === 'number' && Number.isFinite(createdAt)) return createdAt;
  if (typeof fallback === 'number' && Number.isFinite(fallback)) return fallback;
  return clock.now() / 1000;
}
