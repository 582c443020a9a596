/**
 * Keeping the most recent N actions of a chronological list of batches
 * (docs/reference/wire-contract.md#keeping-the-most-recent-actions). Used by the context store on write and on read,
 * and by the summarizer's pending cap.
 */
import type { ActionsPayload } from '@sightline/protocol';

/**
 * The most recent `maxActions` actions of `payloads` (oldest first), as payloads. Walks from the
 * newest batch back, counting real actions (not `count`); a batch that only partly fits is replaced
 * by a copy holding its last `remaining` actions, with `count` set to match. Wire `index` values are
 * kept as they are. Returns the input array itself when nothing had to go.
 *
 * @example trimToRecentActions([batchOf2, batchOf2], 3) // [copy of first batch's last action, second batch]
 */
export function trimToRecentActions(payloads: readonly ActionsPayload[], maxActions: number): ActionsPayload[] {
  let total = 0;
  for (const payload of payloads) total += payload.actions.length;
  if (total <= maxActions) return payloads as ActionsPayload[];
  const kept: ActionsPayload[] = [];
  let running = 0;
  for (let position = payloads.length - 1; position >= 0; position--) {
    const payload = payloads[position]!;
    const remaining = maxActions - running;
    if (remaining <= 0) break;
    if (payload.actions.length <= remaining) {
      kept.push(payload);
      running += payload.actions.length;
    } else {
      kept.push({ ...payload, actions: payload.actions.slice(payload.actions.length - remaining), count: remaining });
      break;
    }
  }
  return kept.reverse();
}

/** Total number of actions across batches. */
export function countActions(payloads: readonly ActionsPayload[]): number {
  let total = 0;
  for (const payload of payloads) total += payload.actions.length;
  return total;
}
