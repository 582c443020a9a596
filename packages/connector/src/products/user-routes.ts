/**
 * `DELETE /products/:id/users/:userId[?email=]`: forgets one person of a product everywhere the connector keeps
 * anything about them (docs/forget-a-user.md) and says what it removed. Needs the admin token, like the product
 * routes.
 */
import type { FastifyInstance } from 'fastify';
import { createError } from '../errors.ts';
import type { ConnectorContext } from '../server/connector-context.ts';
import { requireAdmin } from './product-routes.ts';

/** Longest user id or email accepted, characters (longer ones cannot have been stored either). */
const MAX_IDENTITY_LENGTH = 1024;

/** The `DELETE /products/:id/users/:userId` 200 body. */
export interface ForgetUserResponse {
  user_id: string;
  product_id: string;
  removed: {
    /** Payloads removed from the retained event log (the user's `actions`, their sessions' `summary` frames). */
    log_payloads: number;
    /** Sessions those payloads belonged to. */
    log_sessions: number;
    /** Sessions the sessionizer forgot (index counter and tab memories). */
    sessions: number;
    /** Of those, sessions whose batch was not sent yet; the batch was dropped. */
    pending_sessions: number;
    /** Actions in the dropped batches. */
    pending_actions: number;
  };
}

function identityParam(value: unknown, name: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw createError('SL_FORGET_REQUEST_INVALID', { reason: `${name} is empty` });
  if (text.length > MAX_IDENTITY_LENGTH) {
    throw createError('SL_FORGET_REQUEST_INVALID', { reason: `${name} is longer than ${MAX_IDENTITY_LENGTH} characters` });
  }
  return text;
}

/** Adds the user routes. */
export function registerUserRoutes(app: FastifyInstance, context: ConnectorContext): void {
  app.delete<{ Params: { id: string; userId: string }; Querystring: { email?: unknown } }>(
    '/products/:id/users/:userId',
    async (request) => {
      requireAdmin(context, request);
      const productId = request.params.id;
      if (!context.store.get(productId)) throw createError('SL_PRODUCT_NOT_FOUND', { productId });
      const userId = identityParam(request.params.userId, 'the user id');
      const rawEmail = request.query.email;
      if (Array.isArray(rawEmail)) throw createError('SL_FORGET_REQUEST_INVALID', { reason: 'email is given more than once' });
      const email = rawEmail === undefined ? undefined : identityParam(rawEmail, 'email');
      const result = await context.pipeline.forgetUser(productId, email === undefined ? { userId } : { userId, email });
      const body: ForgetUserResponse = {
        user_id: userId,
        product_id: productId,
        removed: {
          log_payloads: result.log.payloads,
          log_sessions: result.log.sessions,
          sessions: result.sessionizer.sessions,
          pending_sessions: result.sessionizer.pendingSessions,
          pending_actions: result.sessionizer.pendingActions,
        },
      };
      // Who was forgotten stays out of the log: the id is personal data.
      request.log.info({ product: productId, by_email: email !== undefined, ...body.removed }, 'user-forgotten');
      return body;
    },
  );
}
