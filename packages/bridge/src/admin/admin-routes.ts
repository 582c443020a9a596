/**
 * `POST /admin/reset/:userId`: forgets a user's tracked activity, history and chat addresses. Unlike
 * Autoplay's copilot server it requires the admin token (D-48); without `ADMIN_TOKEN` it is disabled.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createError } from '../errors.ts';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** True when `header` is `Bearer <token>`; compared in constant time. */
export function isAdminAuthorized(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

/** Adds the admin routes. `resetUser` does the forgetting. */
export function registerAdminRoutes(app: FastifyInstance, adminToken: string | null, resetUser: (userId: string) => Promise<void>): void {
  app.post<{ Params: { userId: string } }>('/admin/reset/:userId', async (request) => {
    if (adminToken === null) throw createError('SL_ADMIN_DISABLED');
    if (!isAdminAuthorized(request.headers.authorization, adminToken)) throw createError('SL_ADMIN_TOKEN_INVALID');
    const userId = request.params.userId.trim();
    if (userId === '') throw createError('SL_USER_ID_INVALID', { reason: 'it is empty' });
    await resetUser(userId);
    return { status: 'ok', user_id: userId };
  });
}
