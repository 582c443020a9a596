/**
 * The ingest normalisers already parse each event's `elements_chain` (to drop value attributes and redact it)
 * and, while writing the stored chain back, know exactly what a parse of it gives. They leave that here, keyed
 * by the stored chain text, so extraction does not parse the same chain a second time. Parsing is a pure
 * function of the text, so a remembered result is always the right one; the memo is bounded (first in, first
 * out) and a chain not found is simply parsed. Extraction keeps what it read from a chain in the same entry
 * (chain-structure.ts), so that goes when the chain does.
 */
import type { ReadingCache } from './chain-structure.ts';
import type { ChainElement } from './elements-chain.ts';

/** @internal A remembered chain: its elements (shared, never mutated) and extraction's readings of them. */
export interface RememberedChain extends ReadingCache {
  readonly elements: readonly ChainElement[];
}

/** Chains remembered; enough for the chains of the events in flight between normalising and extraction. */
const MAX_ENTRIES = 256;
/** Longer chains are not remembered (extraction parses them), so the memo holds at most ~256 × 8 Ki chars of text. */
const MAX_CHAIN_LENGTH = 8192;

const parsedChains = new Map<string, RememberedChain>();
// The remembered chains in insertion order, as a ring, so the oldest is found in O(1) (iterating the map from
// its front would first walk over every entry evicted since its last rehash).
const order: string[] = [];
let oldest = 0;

/** @internal Records that `elements` is exactly `parseElementsChain(chain)`. Shared: never mutate them. */
export function rememberParsedChain(chain: string, elements: readonly ChainElement[]): void {
  if (chain.length > MAX_CHAIN_LENGTH || parsedChains.has(chain)) return;
  if (order.length < MAX_ENTRIES) order.push(chain);
  else {
    parsedChains.delete(order[oldest]!);
    order[oldest] = chain;
    oldest = oldest + 1 === MAX_ENTRIES ? 0 : oldest + 1;
  }
  parsedChains.set(chain, { elements, isRead: false, readings: null });
}

/**
 * @internal The remembered parse of `chain`, at most `maxElements` elements of it, or null when not known. A
 * chain longer than `maxElements` comes back cut, in an entry of its own that nothing remembers.
 */
export function parsedChainOf(chain: string, maxElements: number): RememberedChain | null {
  const remembered = parsedChains.get(chain);
  if (remembered === undefined) return null;
  return remembered.elements.length > maxElements ? { elements: remembered.elements.slice(0, maxElements), isRead: false, readings: null } : remembered;
}
