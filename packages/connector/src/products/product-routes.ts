/**
 * Admin routes: `POST /products` (register, 409 unless `force_reregister`), `GET /products`,
 * `GET /products/:id`, `DELETE /products/:id`. All need the admin token as `Authorization: Bearer` (or
 * Autoplay's `X-Admin-Key`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createError } from '../errors.ts';
import { checkCredential, countMissingCredential } from '../http/credential-door.ts';
import { parseJsonBody } from '../ingest/decode-capture-body.ts';
import { credentialsOf, describeProduct, type ConnectorContext, type ProductCredentials } from '../server/connector-context.ts';
import { parseRegistrationBody } from './product-bodies.ts';
import { safeEqual } from './secrets.ts';

/** Reads a bearer token from `Authorization`, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim() || null;
}

/** Throws `SL_ADMIN_TOKEN_INVALID` unless the request carries the admin token (also used by the user routes). */
export function requireAdmin(context: ConnectorContext, request: FastifyRequest): void {
  const adminKey = request.headers['x-admin-key'];
  const given = bearerToken(request) ?? (typeof adminKey === 'string' ? adminKey.trim() : null);
  if (!given) {
    countMissingCredential(context, 'admin_token');
    request.log.warn({ url: request.routeOptions.url, reason: 'missing' }, 'admin-token-rejected');
    throw createError('SL_ADMIN_TOKEN_INVALID');
  }
  // A token that already failed is refused before the comparison; a new wrong one is answered after the
  // guard's delay (docs/limits.md). The logged URL is the route pattern: no query string, no product id typed.
  const credential = checkCredential(context, request, 'admin_token', 'admin', given);
  const refusal = credential.refusal();
  if (refusal) throw refusal;
  if (!safeEqual(given, context.adminToken)) {
    request.log.warn({ url: request.routeOptions.url, reason: 'mismatch' }, 'admin-token-rejected');
    throw credential.rejected(createError('SL_ADMIN_TOKEN_INVALID'));
  }
  credential.accepted();
}

/** Registers or re-registers a product and builds its credentials (the same path as `POST /products`). */
export async function registerProduct(
  context: ConnectorContext,
  input: { productId: string; contactEmail: string; force?: boolean; allowedOrigins?: string[]; privacy?: unknown },
): Promise<ProductCredentials> {
  const isRotation = input.force === true && context.store.get(input.productId) !== undefined;
  const { record, streamKey } = await context.store.register(input);
  // Rotated keys must not leave streams open under the old key.
  if (isRotation) context.hub.disconnect(record.product_id);
  return credentialsOf(context, record, streamKey);
}

/** Adds the admin routes. */
export function registerProductRoutes(app: FastifyInstance, context: ConnectorContext): void {
  app.post('/products', async (request, reply) => {
    requireAdmin(context, request);
    const body = parseRegistrationBody(parseJsonBody(request.body instanceof Buffer ? request.body : Buffer.alloc(0)));
    const credentials = await registerProduct(context, {
      productId: body.product_id,
      contactEmail: body.contact_email,
      force: body.force_reregister,
      ...(body.allowed_origins === undefined ? {} : { allowedOrigins: body.allowed_origins }),
      ...(body.privacy === undefined ? {} : { privacy: body.privacy }),
    });
    request.log.info({ product: credentials.product_id, rotated: body.force_reregister }, 'product-registered');
    return reply.status(201).send(credentials);
  });

  app.get('/products', async (request) => {
    requireAdmin(context, request);
    return { products: context.store.list().map((record) => describeProduct(context, record)) };
  });

  app.get<{ Params: { id: string } }>('/products/:id', async (request) => {
    requireAdmin(context, request);
    const record = context.store.get(request.params.id);
    if (!record) throw createError('SL_PRODUCT_NOT_FOUND', { productId: request.params.id });
    return describeProduct(context, record);
  });

  // The product's privacy list (docs/privacy.md): replaced as a whole; the answer is the list as stored. The body is
  // checked by the store's privacy validator, the one that also reads stored lists (see product-bodies.ts).
  app.put<{ Params: { id: string } }>('/products/:id/privacy', async (request) => {
    requireAdmin(context, request);
    const body = parseJsonBody(request.body instanceof Buffer ? request.body : Buffer.alloc(0));
    const record = await context.store.setPrivacy(request.params.id, body);
    request.log.info(
      { product: record.product_id, text_patterns: record.privacy.text_patterns.length, selectors: record.privacy.selectors.length },
      'product-privacy-updated',
    );
    return { product_id: record.product_id, privacy: record.privacy };
  });

  app.delete<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    requireAdmin(context, request);
    const productId = request.params.id;
    if (!(await context.store.remove(productId))) throw createError('SL_PRODUCT_NOT_FOUND', { productId });
    context.hub.disconnect(productId);
    await context.log.drop(productId);
    request.log.info({ product: productId }, 'product-removed');
    return reply.status(204).send();
  });
}
