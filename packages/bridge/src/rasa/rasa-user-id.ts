/**
 * Who a Rasa action call is about. The widget's `customData` (with `metadata_key: customData`) reaches
 * `tracker.latest_message.metadata`, and on a session's first message the `session_started_metadata` slot.
 */
import type { IdentityClaim } from '../identity/identity-verifier.ts';
import { asRecord, identifier } from '../support/as-record.ts';
import type { RasaActionCall } from './rasa-types.ts';

/** The metadata object that holds the widget's fields: `metadata` itself, or its `customData`. */
function holderOf(metadata: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!metadata) return undefined;
  if (identifier(metadata['userId']) !== undefined || identifier(metadata['userToken']) !== undefined) return metadata;
  const custom = asRecord(metadata['customData']);
  return custom && (identifier(custom['userId']) !== undefined || identifier(custom['userToken']) !== undefined) ? custom : undefined;
}

/** The widget's fields of a call: from the latest message's metadata, else the `session_started_metadata` slot. */
function widgetFieldsOf(call: RasaActionCall): Record<string, unknown> | undefined {
  const tracker = asRecord(call.tracker);
  const latest = asRecord(tracker?.['latest_message']);
  const slots = asRecord(tracker?.['slots']);
  return holderOf(asRecord(latest?.['metadata'])) ?? holderOf(asRecord(slots?.['session_started_metadata']));
}

/**
 * What the widget claims about its user: `userId` with `userHash` (or `userToken`), all read from the same metadata
 * object, so a proof is never paired with an id from elsewhere.
 */
export function identityClaimOf(call: RasaActionCall): IdentityClaim {
  const fields = widgetFieldsOf(call);
  return {
    userId: identifier(fields?.['userId']),
    userHash: identifier(fields?.['userHash']),
    userToken: identifier(fields?.['userToken']),
  };
}

/**
 * The widget's language of a call (`customData.language` or `metadata.language` of the latest message, then of the
 * `session_started_metadata` slot), or null.
 */
export function languageOf(call: RasaActionCall): string | null {
  const tracker = asRecord(call.tracker);
  const sources = [asRecord(asRecord(tracker?.['latest_message'])?.['metadata']), asRecord(asRecord(tracker?.['slots'])?.['session_started_metadata'])];
  for (const metadata of sources) {
    const language = identifier(metadata?.['language']) ?? identifier(asRecord(metadata?.['customData'])?.['language']);
    if (language !== undefined) return language;
  }
  return null;
}

/** The Rasa conversation id of a call: `sender_id`, else `tracker.sender_id`; undefined when neither is set. */
export function senderIdOf(call: RasaActionCall): string | undefined {
  return identifier(call.sender_id) ?? identifier(call.tracker?.sender_id);
}

/**
 * The app user id of an action call: `metadata.userId`, then `metadata.customData.userId` (from the
 * latest message, then from the `session_started_metadata` slot), then the sender id, then `anonymous`.
 * `isFromMetadata` says whether it is a real app user id (only those are learned for proactive delivery).
 */
export function userIdOf(call: RasaActionCall): { userId: string; isFromMetadata: boolean } {
  const fromMessage = identifier(widgetFieldsOf(call)?.['userId']);
  if (fromMessage !== undefined) return { userId: fromMessage, isFromMetadata: true };
  return { userId: senderIdOf(call) ?? 'anonymous', isFromMetadata: false };
}
