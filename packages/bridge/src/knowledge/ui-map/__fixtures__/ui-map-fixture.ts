/**
 * A UI map fed the way the pipeline feeds it: each journey goes through a real activity tracker first, then to the
 * map with the states the tracker returned.
 */
import { ActivityTracker } from '@sightline/sdk';
import { FakeClock } from '@sightline/sdk/testing';
import { journeyPayload, type JourneyOptions, type JourneyStep } from '../journey-payload.ts';
import { UiMap, type PayloadOrigin, type UiMapOptions } from '../ui-map.ts';
import { MemoryUiMapStore, type UiMapStore, type UiMapStoreLimits } from '../ui-map-store.ts';
import type { UiMapContributionResult } from '../ui-map-store.ts';

export interface MapFixture {
  clock: FakeClock;
  store: UiMapStore;
  map: UiMap;
  /** Walks one journey as `userId` in a fresh session (or the one given), optionally from an organisation or address. */
  walk(userId: string | null, steps: readonly JourneyStep[], options?: Partial<JourneyOptions> & PayloadOrigin): Promise<UiMapContributionResult>;
}

/** A map on a memory store (or the store given) with a fake clock; `cacheMs` 0 so every read sees the latest. */
export function mapFixture(
  options: Partial<Omit<UiMapOptions, 'store' | 'clock'>> & { productId?: string; limits?: Partial<UiMapStoreLimits>; store?: (clock: FakeClock) => UiMapStore } = {},
): MapFixture {
  const clock = new FakeClock({ now: 1_800_000_000_000 });
  const store = options.store ? options.store(clock) : new MemoryUiMapStore({ clock, ...(options.limits ? { limits: options.limits } : {}) });
  const map = new UiMap({ cacheMs: 0, ...options, store, clock });
  const tracker = new ActivityTracker({ clock });
  let sessionCounter = 0;
  return {
    clock,
    store,
    map,
    async walk(userId, steps, walkOptions = {}) {
      const payload = journeyPayload(
        { productId: options.productId ?? 'crm', userId, sessionId: `s-${++sessionCounter}`, startAt: Math.floor(clock.now() / 1000), ...walkOptions },
        steps,
      );
      const tabs = await tracker.apply(payload);
      return map.learn(payload, tabs, { organisation: walkOptions.organisation ?? null, address: walkOptions.address ?? null });
    },
  };
}
