/**
 * Chat messages per user: a token bucket per verified user (or per conversation for unverified ones), so no one user
 * runs up the model bill or keeps the bridge busy. Bounded: the least recently seen buckets are forgotten first.
 */
import { LruMap } from '@sightline/sdk/internal';

/** Options of {@link ChatLimiter}. */
export interface ChatLimiterOptions {
  /** Messages a user may send per minute, and in one burst (`CHAT_MESSAGES_PER_MINUTE`). */
  perMinute: number;
  /** Buckets kept (default 10,000). */
  maxUsers?: number;
  now: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * @example
 * const limiter = new ChatLimiter({ perMinute: 20, now: Date.now });
 * const wait = limiter.take('u-42'); // 0: answer; > 0: seconds until the next message is answered
 */
export class ChatLimiter {
  private readonly buckets: LruMap<string, Bucket>;
  private readonly perMs: number;

  constructor(private readonly options: ChatLimiterOptions) {
    this.buckets = new LruMap(options.maxUsers ?? 10_000);
    this.perMs = options.perMinute / 60_000;
  }

  /** Takes one message from `key`'s bucket: 0 when it may be answered, else the seconds until one is free. */
  take(key: string): number {
    const now = this.options.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.options.perMinute, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  /** Forgets a key's bucket (the user was forgotten). */
  delete(key: string): void {
    this.buckets.delete(key);
  }
}
