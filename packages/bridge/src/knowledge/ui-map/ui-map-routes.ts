/**
 * `GET /ui-map?product=<id>` behind `BRIDGE_API_KEY`: what the UI map knows about a product, only entries past the
 * trust rules, with their user counts (docs/knowledge.md, "UI map"). Wire names are snake_case.
 */
import type { FastifyInstance } from 'fastify';
import type { requireCredential } from '../../auth/credential-check.ts';
import { createError } from '../../errors.ts';
import type { UiMap } from './ui-map.ts';

/** Longest product id accepted (the connector's ids are far shorter). */
const MAX_PRODUCT_LENGTH = 200;

/** What {@link registerUiMapRoutes} needs. */
export interface UiMapRouteOptions {
  map: Pick<UiMap, 'known' | 'minUsers' | 'requireVerified' | 'demoSeed'>;
  /** The product the bridge serves: the default of `?product=`. */
  productId: string;
  decayDays: number;
  /** The key check (`requireCredential(apiKey)`). */
  authorize: ReturnType<typeof requireCredential>;
}

/**
 * @example
 * registerUiMapRoutes(app, { map, productId: 'acme', decayDays: 30, authorize: requireCredential(apiKey) });
 * // GET /ui-map → { "product_id": "acme", "min_users": 3, "flows": [{ "goal": "Send invite", "users": 4, … }], … }
 */
export function registerUiMapRoutes(app: FastifyInstance, options: UiMapRouteOptions): void {
  app.get('/ui-map', { onRequest: options.authorize }, async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const given = query['product'];
    if (given !== undefined && (typeof given !== 'string' || given.trim() === '' || given.length > MAX_PRODUCT_LENGTH)) {
      throw createError('SL_QUERY_PARAMETER_INVALID', { name: 'product', reason: `give one product id of 1 to ${MAX_PRODUCT_LENGTH} characters, or leave it out for ${options.productId}` });
    }
    const productId = typeof given === 'string' ? given.trim() : options.productId;
    const known = await options.map.known(productId);
    // In the demo, each entry says how many of its users are simulated and whether it is demo data.
    const demo = (entry: { demoUsers: number; isDemoData: boolean }) => (options.map.demoSeed ? { demo_users: entry.demoUsers, demo_data: entry.isDemoData } : {});
    return {
      product_id: productId,
      min_users: options.map.minUsers,
      verified_users_only: options.map.requireVerified,
      decay_days: options.decayDays,
      demo_seed: options.map.demoSeed,
      pages: known.pages.map((page) => ({ path: page.path, title: page.title, users: page.users, ...demo(page) })),
      labels: known.labels.map((label) => ({ page: label.page, role: label.role, label: label.label, users: label.users, ...demo(label) })),
      dialogs: known.dialogs.map((dialog) => ({ page: dialog.page, label: dialog.label, users: dialog.users, ...demo(dialog) })),
      transitions: known.transitions.map((transition) => ({
        page: transition.page,
        label: transition.label,
        to_page: transition.toPage,
        to_dialog: transition.toDialog,
        users: transition.users,
        ...demo(transition),
      })),
      flows: known.flows.map((flow) => ({ page: flow.page, page_title: flow.pageTitle, goal: flow.goal, steps: flow.steps, users: flow.users, ...demo(flow) })),
    };
  });
}
