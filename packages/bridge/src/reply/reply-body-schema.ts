/**
 * The shapes of the two `/reply` requests, one zod schema each: the `POST /reply` JSON body and the
 * `GET /reply/:userId` query string. A request of the wrong shape becomes a coded 400 whose reason names the field and
 * what to send: `SL_BODY_INVALID` (or `SL_USER_ID_INVALID` when neither `user_id` nor `user_token` is given) for the
 * body, `SL_QUERY_PARAMETER_INVALID` for the query string.
 *
 * Only the shape is checked here. An empty query (`SL_QUERY_MISSING`), the longest query (`SL_QUERY_TOO_LONG`,
 * MAX_QUERY_LENGTH) and the longest user id (`SL_USER_ID_INVALID`) stay with the reply service: they are its
 * configuration, the Rasa and socket.io channels (which never pass through these schemas) need them just as much, and
 * the user id they apply to is the one authorization settled on, known only after the shape was read
 * (docs/decisions/D-51-route-body-schemas.md).
 *
 * Unknown fields are allowed and dropped: the tutorial's clients send more than these.
 */
import { z } from 'zod';
import { createError } from '../errors.ts';

/** A field naming something (a user, a session, a conversation): text, or a number as some clients send; null when absent or blank. */
function bodyId(field: string, example: string) {
  return z
    .union([z.string(), z.number(), z.null()], { error: `"${field}" must be a string (or a number), e.g. "${example}"` })
    .optional()
    .transform((value) => (value === undefined || value === null ? null : typeof value === 'number' ? String(value) : value.trim() || null));
}

/** The same in a query string, where every value is text and a repeated name arrives as a list. */
function queryId(field: string, example: string) {
  return z
    .string({ error: `give ${field} once, e.g. ${field}=${example}` })
    .optional()
    .transform((value) => value?.trim() || null);
}

/**
 * `POST /reply {user_id, query, session_id?, conversation_id?, user_hash?, user_token?, language?}`. Its output has
 * each id trimmed (`null` when absent or blank) and `query` as sent (`''` when absent).
 */
export const replyBodySchema = z
  .object(
    {
      user_id: bodyId('user_id', 'u-42'),
      user_token: bodyId('user_token', '<a JWT signed with IDENTITY_SECRET>'),
      user_hash: bodyId('user_hash', '<hex HMAC-SHA256 of the user id>'),
      query: z
        .union([z.string(), z.null()], { error: '"query" must be a string: the user\'s message, e.g. "how do I add a teammate?"' })
        .optional()
        .transform((value) => value ?? ''),
      session_id: bodyId('session_id', 's-123'),
      conversation_id: bodyId('conversation_id', 'c-123'),
      language: bodyId('language', 'en'),
    },
    { error: 'expected a JSON object {user_id, query, session_id?, conversation_id?}' },
  )
  .superRefine((body, context) => {
    // A token carries the user id itself; without either there is no one to answer.
    if (body.user_id === null && body.user_token === null) {
      context.addIssue({ code: 'custom', path: ['user_id'], message: '"user_id" is missing: send the id given to posthog.identify()', params: { code: 'SL_USER_ID_INVALID' } });
    }
  });

/** The `POST /reply` body as the route uses it. */
export type ReplyBodyInput = z.output<typeof replyBodySchema>;

/** `GET /reply/:userId?query=…[&session_id=…&conversation_id=…&user_hash=…&user_token=…&language=…]`. */
export const replyQuerySchema = z.object({
  query: z
    .string({ error: 'give query once, e.g. query=how%20do%20I%20add%20a%20teammate' })
    .optional()
    .transform((value) => value ?? ''),
  user_hash: queryId('user_hash', '<hex HMAC-SHA256 of the user id>'),
  user_token: queryId('user_token', '<a JWT signed with IDENTITY_SECRET>'),
  session_id: queryId('session_id', 's-123'),
  conversation_id: queryId('conversation_id', 'c-123'),
  language: queryId('language', 'en'),
});

/** The `GET /reply` query string as the route uses it. */
export type ReplyQueryInput = z.output<typeof replyQuerySchema>;

/**
 * Reads a `POST /reply` body.
 *
 * @throws `SL_BODY_INVALID` for a body of the wrong shape, `SL_USER_ID_INVALID` when it names no user.
 * @example
 * parseReplyBody({ user_id: 42, query: 'hi', session_id: 7 }); // → {user_id: '42', query: 'hi', session_id: '7', …}
 */
export function parseReplyBody(body: unknown): ReplyBodyInput {
  const result = replyBodySchema.safeParse(body);
  if (result.success) return result.data;
  // zod lists issues in the schema's field order; the first is the one reported, as one field at a time is fixed.
  const issue = result.error.issues[0]!;
  if (issue.code === 'custom' && issue.params?.['code'] === 'SL_USER_ID_INVALID') throw createError('SL_USER_ID_INVALID', { reason: issue.message });
  throw createError('SL_BODY_INVALID', { reason: issue.message });
}

/**
 * Reads a `GET /reply` query string (as Fastify parsed it: text, or a list for a repeated name).
 *
 * @throws `SL_QUERY_PARAMETER_INVALID` naming the parameter.
 */
export function parseReplyQuery(query: unknown): ReplyQueryInput {
  const result = replyQuerySchema.safeParse(query ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw createError('SL_QUERY_PARAMETER_INVALID', { name: String(issue.path[0] ?? 'query string'), reason: issue.message });
}
