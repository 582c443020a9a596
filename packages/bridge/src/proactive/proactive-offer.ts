/** An offer of help as the channels send it: made once, after the gate said `fired`. */
import type { ProactiveFacts } from '@sightline/sdk';

export interface ProactiveOffer {
  /** Unique per offer (the webhook's `webhook-id`). */
  id: string;
  userId: string;
  productId: string;
  sessionId: string;
  windowId: string | null;
  triggerId: string;
  /** At most 150 characters. */
  text: string;
  /** Plain-text quick replies; the last is "Not now" in the offer's language. */
  quickReplies: string[];
  language: string;
  facts: ProactiveFacts;
  /** When it fired, epoch ms. */
  at: number;
}

/** What a channel's send answered. */
export type SendResult = 'delivered' | 'sent' | 'failed' | 'absent';
