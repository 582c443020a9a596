/**
 * The bridge's admin routes, behind `BRIDGE_ADMIN_TOKEN` (never `BRIDGE_API_KEY`, so the key Rasa's config holds cannot
 * forget users). Without `BRIDGE_ADMIN_TOKEN` they are disabled.
 *
 * - `DELETE /admin/users/:userId`: forgets the user in every store (docs/forget-a-user.md) and answers what each
 *   removed, `{user_id, removed: {sessions, tabs, conversations, …}}`.
 * - `POST /admin/reset/:userId`: the older name of the same call (docs/decisions/D-48-bridge-state-and-reset.md); answers `{status: "ok", user_id, removed}`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createError } from '../errors.ts';
import type { ForgetUserReport } from './forget-user.ts';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The token of `Authorization: Bearer <token>`, or null. */
function bearerOf(header: string | undefined): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  return match ? match[1]!.trim() || null : null;
}

/** True when `header` is `Bearer <token>`; compared in constant time. */
export function isAdminAuthorized(header: string | undefined, token: string): boolean {
  const given = bearerOf(header);
  return given !== null && timingSafeEqual(digest(given), digest(token));
}

/** Options of {@link registerAdminRoutes}. */
export interface AdminRoutesOptions {
  /** `BRIDGE_ADMIN_TOKEN`; null disables the routes (404 `SL_ADMIN_DISABLED`). */
  adminToken: string | null;
  /** Forgets a user everywhere and reports what went (see `forgetUser` in forget-user.ts). */
  forgetUser(userId: string): Promise<ForgetUserReport>;
  /**
   * Checks the presented token through the credential guard (repeats of a wrong value get 429, new guesses slow
   * down). Default: a plain constant-time comparison with `adminToken`.
   */
  check?: { check(presented: string | null, address: string): Promise<'valid' | 'absent' | 'wrong'> };
  /** Longest user id accepted (default 256, as for replies). */
  maxUserIdLength?: number;
}

/**
 * Adds the admin routes.
 *
 * @example
 * registerAdminRoutes(app, { adminToken: config.adminToken, forgetUser: (userId) => forgetUser(stores, userId) });
 */
export function registerAdminRoutes(app: FastifyInstance, options: AdminRoutesOptions): void {
  const maxUserIdLength = options.maxUserIdLength ?? 256;

  async function authorizedUserId(request: FastifyRequest<{ Params: { userId: string } }>): Promise<string> {
    const adminToken = options.adminToken;
    if (adminToken === null) throw createError('SL_ADMIN_DISABLED');
    const presented = bearerOf(request.headers.authorization);
    const isValid = options.check
      ? (await options.check.check(presented, request.ip)) === 'valid'
      : isAdminAuthorized(request.headers.authorization, adminToken);
    if (!isValid) throw createError('SL_ADMIN_TOKEN_INVALID');
    const userId = request.params.userId.trim();
    if (userId === '') throw createError('SL_USER_ID_INVALID', { reason: 'it is empty' });
    if (userId.length > maxUserIdLength) throw createError('SL_USER_ID_INVALID', { reason: `it is longer than ${maxUserIdLength} characters` });
    return userId;
  }

  async function forget(request: FastifyRequest<{ Params: { userId: string } }>): Promise<ForgetUserReport> {
    const report = await options.forgetUser(await authorizedUserId(request));
    // The user id is personal data: the log keeps the counts only.
    request.log.info({ ...report.removed }, 'user-forgotten');
    return report;
  }

  app.delete<{ Params: { userId: string } }>('/admin/users/:userId', async (request) => forget(request));
  app.post<{ Params: { userId: string } }>('/admin/reset/:userId', async (request) => {
    const report = await forget(request);
    return { status: 'ok', ...report };
  });
}
