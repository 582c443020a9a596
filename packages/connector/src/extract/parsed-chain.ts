/**
 * The ingest normalisers already parse each event's `elements_chain` (to drop value attributes and redact it);
 * they leave the parsed elements here, keyed by the event object, so extraction does not parse the stored chain
 * a second time. A WeakMap: nothing is kept once the event is gone, and `CapturedEvent` stays a plain shape.
 */
import type { CapturedEvent } from '../ingest/captured-event.ts';
import type { ChainElement } from './elements-chain.ts';

interface ParsedChain {
  chain: string;
  elements: readonly ChainElement[];
}

const parsedChains = new WeakMap<CapturedEvent, ParsedChain>();

/** @internal Records that `elements` is exactly `parseElementsChain(chain)` for this event's stored chain. */
export function rememberParsedChain(event: CapturedEvent, chain: string, elements: readonly ChainElement[]): void {
  parsedChains.set(event, { chain, elements });
}

/**
 * @internal The remembered elements of `chain`, at most `maxElements` of them, or null when the event was not
 * normalised here or its chain property has been replaced since (then the caller parses it).
 */
export function parsedChainOf(event: CapturedEvent, chain: string, maxElements: number): readonly ChainElement[] | null {
  const parsed = parsedChains.get(event);
  if (parsed === undefined || parsed.chain !== chain) return null;
  return parsed.elements.length > maxElements ? parsed.elements.slice(0, maxElements) : parsed.elements;
}
