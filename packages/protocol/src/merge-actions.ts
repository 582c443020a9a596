/** Merging of action batches for one session (docs/reference/wire-contract.md#merging-batches), used by debounced writers. */
import { createError } from './errors.ts';
import type { ActionsPayload } from './types.ts';

function firstTruthy(values: Array<string | null>): string | null {
  for (const value of values) if (value) return value;
  return null;
}

/**
 * Merges action batches into one, in list order:
 * - `product_id` and `session_id` from the first payload, even when later ones differ;
 * - actions concatenated, each copied with `index` renumbered `0..n-1` (inputs are not changed);
 * - `user_id`, `email`, `conversation_id`: the first truthy value, else `null`;
 * - `count` the total, `forwarded_at` the maximum.
 *
 * @throws SightlineError `SL_MERGE_EMPTY` for an empty list.
 * @example mergeActionsPayloads([first, second]).count // first.actions.length + second.actions.length
 */
export function mergeActionsPayloads(payloads: readonly ActionsPayload[]): ActionsPayload {
  const [first] = payloads;
  if (!first) throw createError('SL_MERGE_EMPTY');
  const actions = payloads.flatMap((payload) => payload.actions).map((action, index) => ({ ...action, index }));
  return {
    type: 'actions',
    product_id: first.product_id,
    session_id: first.session_id,
    user_id: firstTruthy(payloads.map((payload) => payload.user_id)),
    email: firstTruthy(payloads.map((payload) => payload.email)),
    actions,
    count: actions.length,
    // reduce, not Math.max(...spread): a long list must not hit the argument-count limit.
    forwarded_at: payloads.reduce((latest, payload) => Math.max(latest, payload.forwarded_at), first.forwarded_at),
    conversation_id: firstTruthy(payloads.map((payload) => payload.conversation_id)),
  };
}
