/**
 * The parse of a stored `elements_chain`, handed from the normaliser that wrote the chain to extraction with the
 * event itself (`CapturedEvent.parsedChain`), so extraction neither parses the chain again nor looks it up
 * anywhere. The normaliser knows exactly what a parse of the chain it writes gives (it wrote it), and extraction
 * keeps what it reads from the elements in the same object (chain-structure.ts), so repeated clicks on one element
 * (the same object, through the connector's IngestMemo) are read once. docs/hot-path.md.
 */
import type { ReadingCache } from './chain-structure.ts';
import type { ChainElement } from './elements-chain.ts';

/** A chain's elements, exactly as `parseElementsChain` gives them (shared, never mutated), and its readings. */
export interface ParsedChain extends ReadingCache {
  readonly elements: readonly ChainElement[];
}

/** A {@link ParsedChain} of `elements`, not read yet. */
export function parsedChainOf(elements: readonly ChainElement[]): ParsedChain {
  return { elements, isRead: false, readings: null };
}
