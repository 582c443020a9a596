/**
 * The UI map of each product, learned from every user's structured actions (docs/knowledge.md, "UI map"): the
 * pipeline hands it each payload once, after the activity tracker applied it; it reads the tabs' recent steps into
 * entries and records them per user in a {@link UiMapStore}. What it gives back ({@link UiMap.known}) holds only
 * entries enough distinct users contributed: the threshold, verified users when identity verification is on, and two
 * organisations when the events named any.
 */
import type { ActionsPayload } from '@sightline/protocol';
import type { ActivityState, Clock } from '@sightline/sdk';
import type { TargetRole } from '@sightline/protocol';
import type { UiPathStep } from '../knowledge-types.ts';
import { createLabelGate, type LabelGate } from './control-label.ts';
import { observeSteps } from './observe-steps.ts';
import { entryIdOf, type UiMapEntry } from './ui-map-entry.ts';
import { hashId, type StoredUiMapEntry, type UiMapContributionResult, type UiMapStore } from './ui-map-store.ts';

/**
 * User ids of the demo's simulated sessions start with this. They count only in a map built with `demoSeed: true`
 * (what `sightline dev` sets for the demo product); everywhere else they are dropped on arrival.
 */
export const DEMO_SEED_USER_PREFIX = 'sightline-demo-seed:';

/**
 * Simulated users recognised by their stored hash (the prefix and a number from 1 to this), so a map kept on Redis
 * still tells the demo's entries apart after a restart that did not seed again.
 */
const DEMO_SEED_MAX_USERS = 20;

/** Options of {@link UiMap}. */
export interface UiMapOptions {
  store: UiMapStore;
  clock: Clock;
  /** Distinct users an entry needs before it is used (`UI_MAP_MIN_USERS`, default 3). */
  minUsers?: number;
  /** Distinct organisations an entry needs once its events named any (default 2): one tenant's data never reaches another. */
  minOrganisations?: number;
  /** Count only users verified at a chat door (true when `IDENTITY_SECRET` is set). Default false. */
  requireVerified?: boolean;
  /** Words or phrases whose labels never enter the map (`UI_MAP_DENY`). */
  deny?: readonly string[];
  /** Accept the demo's simulated users ({@link DEMO_SEED_USER_PREFIX}); only the demo sets this. Default false. */
  demoSeed?: boolean;
  /** How long {@link UiMap.known} reuses what it read, ms (default 10 000; 0 reads every time). */
  cacheMs?: number;
}

/** Where a payload came from, when the producer says: the organisation (PostHog group) and the capture door's client address. */
export interface PayloadOrigin {
  organisation?: string | null;
  /** Only for events that came through the public capture door (the webhook door is authenticated by its secret). */
  address?: string | null;
}

/** A known page. */
export interface KnownPage {
  path: string;
  title: string;
  users: number;
  /** Of `users`, the demo's simulated users (0 outside the demo). */
  demoUsers: number;
  /** Whether it stands only thanks to the demo's simulated users (fewer real users than the threshold): demo data. */
  isDemoData: boolean;
}

/** A known control label on a page. */
export interface KnownLabel {
  page: string;
  role: TargetRole;
  label: string;
  users: number;
  /** Of `users`, the demo's simulated users (0 outside the demo). */
  demoUsers: number;
  /** Whether it stands only thanks to the demo's simulated users (fewer real users than the threshold): demo data. */
  isDemoData: boolean;
}

/** A known dialog on a page. */
export interface KnownDialog {
  page: string;
  label: string;
  users: number;
  /** Of `users`, the demo's simulated users (0 outside the demo). */
  demoUsers: number;
  /** Whether it stands only thanks to the demo's simulated users (fewer real users than the threshold): demo data. */
  isDemoData: boolean;
}

/** A known click that led to a page or opened a dialog. */
export interface KnownTransition {
  page: string;
  label: string;
  toPage: string | null;
  toDialog: string | null;
  users: number;
  /** Of `users`, the demo's simulated users (0 outside the demo). */
  demoUsers: number;
  /** Whether it stands only thanks to the demo's simulated users (fewer real users than the threshold): demo data. */
  isDemoData: boolean;
}

/** A known flow: the steps on a page that ended in its submit or confirm. */
export interface KnownFlow {
  page: string;
  pageTitle: string;
  steps: UiPathStep[];
  goal: string;
  users: number;
  /** Of `users`, the demo's simulated users (0 outside the demo). */
  demoUsers: number;
  /** Whether it stands only thanks to the demo's simulated users (fewer real users than the threshold): demo data. */
  isDemoData: boolean;
}

/** What the map knows about a product, only entries past the trust rules, most users first. */
export interface KnownUiMap {
  productId: string;
  pages: KnownPage[];
  labels: KnownLabel[];
  dialogs: KnownDialog[];
  transitions: KnownTransition[];
  flows: KnownFlow[];
}

/**
 * @example
 * const map = new UiMap({ store: new MemoryUiMapStore({ clock }), clock });
 * const tabs = await tracker.apply(payload);
 * await map.learn(payload, tabs);
 * (await map.known('acme')).flows; // [{ page: '/team', goal: 'Send invite', users: 4, … }]
 */
export class UiMap {
  readonly minUsers: number;
  readonly minOrganisations: number;
  readonly requireVerified: boolean;
  /** Whether the demo's simulated users count here (`UI_MAP_DEMO_SEED`). */
  readonly demoSeed: boolean;
  private readonly store: UiMapStore;
  private readonly clock: Clock;
  private readonly gate: LabelGate;
  private readonly cacheMs: number;
  private readonly cache = new Map<string, { at: number; known: KnownUiMap }>();
  /** Hashes of the demo's simulated users (empty unless `demoSeed`). */
  private readonly demoUsers = new Set<string>();

  constructor(options: UiMapOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.minUsers = options.minUsers ?? 3;
    this.minOrganisations = options.minOrganisations ?? 2;
    this.requireVerified = options.requireVerified ?? false;
    this.gate = createLabelGate({ deny: options.deny ?? [] });
    this.demoSeed = options.demoSeed ?? false;
    if (this.demoSeed) for (let user = 1; user <= DEMO_SEED_MAX_USERS; user++) this.demoUsers.add(hashId('user', `${DEMO_SEED_USER_PREFIX}${user}`));
    this.cacheMs = options.cacheMs ?? 10_000;
  }

  /**
   * Learns from one applied payload: `tabs` are the activity states the tracker returned for it. Only identified
   * users contribute; each user's entries go to the store in one call. Resolves to what was accepted and refused.
   */
  async learn(payload: ActionsPayload, tabs: readonly ActivityState[], origin: PayloadOrigin = {}): Promise<UiMapContributionResult> {
    const indexes = new Set(payload.actions.map((action) => action.index));
    const byUser = new Map<string, Map<string, UiMapEntry>>();
    for (const tab of tabs) {
      const userId = tab.userId ?? payload.user_id;
      if (typeof userId !== 'string' || userId.trim() === '') continue;
      if (userId.startsWith(DEMO_SEED_USER_PREFIX) && !this.demoSeed) continue;
      const entries = observeSteps(tab.recentSteps, (step) => indexes.has(step.index), { gate: this.gate, knownValues: [userId, tab.email, payload.email] });
      if (entries.length === 0) continue;
      const mine = byUser.get(userId) ?? new Map<string, UiMapEntry>();
      for (const entry of entries) mine.set(entryIdOf(entry), entry);
      byUser.set(userId, mine);
    }
    const total: UiMapContributionResult = { accepted: 0, refused: 0 };
    const organisation = typeof origin.organisation === 'string' && origin.organisation !== '' ? hashId('organisation', origin.organisation) : null;
    const address = typeof origin.address === 'string' && origin.address !== '' ? hashId('address', origin.address) : null;
    for (const [userId, entries] of byUser) {
      const user = hashId('user', userId);
      // The demo's simulated users stand for the demo's own signed-in user: verified like it.
      if (userId.startsWith(DEMO_SEED_USER_PREFIX)) {
        if (this.demoUsers.size < 1_000) this.demoUsers.add(user);
        await this.store.markVerified(payload.product_id, user);
      }
      const result = await this.store.contribute({ productId: payload.product_id, user, organisation, address, ids: [...entries.keys()], entries: [...entries.values()] });
      total.accepted += result.accepted;
      total.refused += result.refused;
    }
    return total;
  }

  /** Records that `userId` proved their id at a chat door; with `requireVerified` only such users count. */
  async markVerified(productId: string, userId: string): Promise<void> {
    await this.store.markVerified(productId, hashId('user', userId));
  }

  /** Removes a user's contributions in every product; resolves to the number of entries they were removed from. */
  async forgetUser(userId: string): Promise<number> {
    this.cache.clear();
    return this.store.forgetUser(hashId('user', userId));
  }

  /**
   * What the map knows about `productId` that passes the trust rules (read at most every `cacheMs`; `fresh` reads the
   * store now, and the answers that follow reuse that read).
   */
  async known(productId: string, options: { fresh?: boolean } = {}): Promise<KnownUiMap> {
    const now = this.clock.now();
    const cached = this.cache.get(productId);
    if (cached && !options.fresh && this.cacheMs > 0 && now - cached.at < this.cacheMs) return cached.known;
    const [stored, verified] = await Promise.all([this.store.read(productId), this.requireVerified ? this.store.verifiedUsers(productId) : Promise.resolve(null)]);
    const known = this.assemble(productId, stored, verified);
    if (this.cacheMs > 0) {
      // Bounded by the products this bridge is asked about; the oldest goes first.
      if (this.cache.size >= 100) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(productId, { at: now, known });
    }
    return known;
  }

  /** The users an entry counts and how many of them are the demo's simulated users; users 0 when it fails a trust rule. */
  private countOf(stored: StoredUiMapEntry, verified: Set<string> | null): { users: number; demoUsers: number } {
    const counted = verified === null ? stored.users : stored.users.filter((user) => verified.has(user));
    if (counted.length < this.minUsers) return { users: 0, demoUsers: 0 };
    if (stored.organisations.length > 0 && stored.organisations.length < this.minOrganisations) return { users: 0, demoUsers: 0 };
    return { users: counted.length, demoUsers: this.demoUsers.size === 0 ? 0 : counted.filter((user) => this.demoUsers.has(user)).length };
  }

  private assemble(productId: string, stored: readonly StoredUiMapEntry[], verified: Set<string> | null): KnownUiMap {
    const known: KnownUiMap = { productId, pages: [], labels: [], dialogs: [], transitions: [], flows: [] };
    for (const item of stored) {
      const { users, demoUsers } = this.countOf(item, verified);
      if (users === 0) continue;
      const isDemoData = demoUsers > 0 && users - demoUsers < this.minUsers;
      const entry = item.entry;
      switch (entry.kind) {
        case 'page':
          known.pages.push({ path: entry.path, title: entry.title, users, demoUsers, isDemoData });
          break;
        case 'label':
          known.labels.push({ page: entry.page, role: entry.role, label: entry.label, users, demoUsers, isDemoData });
          break;
        case 'dialog':
          known.dialogs.push({ page: entry.page, label: entry.label, users, demoUsers, isDemoData });
          break;
        case 'transition':
          known.transitions.push({ page: entry.page, label: entry.label, toPage: entry.toPage, toDialog: entry.toDialog, users, demoUsers, isDemoData });
          break;
        case 'flow':
          known.flows.push({ page: entry.page, pageTitle: entry.pageTitle, steps: entry.steps, goal: entry.goal, users, demoUsers, isDemoData });
          break;
      }
    }
    const byUsers = (a: { users: number }, b: { users: number }) => b.users - a.users;
    for (const list of [known.pages, known.labels, known.dialogs, known.transitions, known.flows]) list.sort(byUsers);
    return known;
  }
}
