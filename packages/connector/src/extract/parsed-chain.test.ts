import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { posthogJsEdgeEvents, posthogJsEvents, hogFlatPayloads } from '../__fixtures__/index.ts';
import { normalizeCaptureBody } from '../ingest/normalize-capture-body.ts';
import { normalizeWebhookBody } from '../ingest/normalize-webhook-body.ts';
import { parseElementsChain } from './elements-chain.ts';
import { extractAction } from './extract-action.ts';
import { parsedChainOf, rememberParsedChain } from './parsed-chain.ts';

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('parsedChainOf', () => {
  it('gives, for every chain the normalisers stored, exactly what parsing that chain gives', () => {
    const bodies = [...Object.values(posthogJsEvents), ...Object.values(posthogJsEdgeEvents)];
    let checked = 0;
    const check = (events: ReturnType<typeof normalizeCaptureBody>['events']) => {
      for (const event of events) {
        const chain = event.properties['$elements_chain'];
        if (typeof chain !== 'string' || chain === '') continue;
        assert.deepEqual(parsedChainOf(chain, 1000)?.elements, parseElementsChain(chain), chain);
        checked++;
      }
    };
    for (const body of bodies) check(normalizeCaptureBody(structuredClone(body), Date.now()).events);
    for (const payload of Object.values(hogFlatPayloads)) check(normalizeWebhookBody(structuredClone(payload), Date.now()).events);
    assert.ok(checked >= 5, `only ${checked} chains checked`);
  });

  it('holds for chains and $elements full of quotes, backslashes, odd classes and keys (seeded fuzz)', () => {
    const random = seededRandom(20261122);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const text = (alphabet: readonly string[], max: number) => Array.from({ length: Math.floor(random() * max) }, () => pick(alphabet)).join('');
    const valueChars = ['a', 'Z', ' ', '"', ';', ':', '=', '\\', '.', 'é', '1', '@', 'x@y.io', '0123456789', '\t'];
    const keys = ['attr__aria-label', 'attr__class', 'attr__href', 'attr__id', 'attr__value', 'attr__x-on:click', 'alt', 'constructor', '__proto__', 'attr__a=b', 'bad key', 'text', 'href', 'attr_id'];
    const tags = ['a', 'button', 'BUTTON', 'my-el', 'x.y', 'a b', ''];
    const classes = ['btn', 'md:flex', 'py-0.5', 'x:attr__y', 'a"b', ''];
    let checked = 0;
    for (let round = 0; round < 400; round++) {
      const elementText = () => {
        let element = pick(tags);
        for (let i = 0; i < Math.floor(random() * 3); i++) element += `.${pick(classes)}`;
        element += ':';
        for (let i = 0; i < Math.floor(random() * 5); i++) element += `${pick(keys)}="${text(valueChars, 8).replace(/"/g, '\\"')}"`;
        return `${element}nth-child="${pick(['0', '2', '1234567890', 'x'])}"nth-of-type="1"`;
      };
      const objects = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        tag_name: pick(tags),
        classes: random() < 0.5 ? classes : undefined,
        $el_text: random() < 0.5 ? `${text(valueChars, 6)}\\` : undefined,
        nth_child: pick([1, 0, 1.5, 1e12]),
        [pick(keys.filter((key) => key.startsWith('attr__')))]: pick(['ends\\', ' padded ', text(valueChars, 6)]),
      }));
      const properties = random() < 0.6
        ? { $elements_chain: Array.from({ length: 1 + Math.floor(random() * 4) }, elementText).join(';') }
        : { $elements: objects() };
      const { events } = normalizeCaptureBody({ event: '$autocapture', properties: { distinct_id: 'd', $event_type: 'click', ...properties } }, Date.now());
      for (const event of events) {
        const chain = event.properties['$elements_chain'];
        if (typeof chain !== 'string' || chain === '') continue;
        assert.deepEqual(parsedChainOf(chain, 1000)?.elements, parseElementsChain(chain), chain);
        // Extraction reads the same elements either way.
        const action = extractAction(event);
        assert.deepEqual(action, extractAction({ ...event, properties: { ...event.properties, $elements_chain: `${chain};` } }));
        checked++;
      }
    }
    assert.ok(checked > 300, `only ${checked} chains checked`);
  });

  it('returns at most maxElements, and null for a chain it was never given', () => {
    const elements = parseElementsChain('span:nth-child="1"nth-of-type="1";a:nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"');
    rememberParsedChain('parsed-chain-test', elements);
    assert.equal(parsedChainOf('parsed-chain-test', 64)?.elements.length, 3);
    assert.deepEqual(parsedChainOf('parsed-chain-test', 2)?.elements, elements.slice(0, 2));
    assert.equal(parsedChainOf('never-remembered', 64), null);
    // Very long chains are left to be parsed again rather than held in memory.
    const long = `div:text="${'x'.repeat(9000)}"`;
    rememberParsedChain(long, parseElementsChain(long));
    assert.equal(parsedChainOf(long, 64), null);
  });

  it('forgets the oldest chains first, however many came through', () => {
    const elements = parseElementsChain('b:nth-child="1"nth-of-type="1"');
    // Three times the capacity (256): only the last 256 are held.
    for (let index = 0; index < 768; index++) rememberParsedChain(`fifo-${index}`, elements);
    assert.equal(parsedChainOf('fifo-511', 64), null);
    assert.equal(parsedChainOf('fifo-512', 64)?.elements, elements);
    assert.equal(parsedChainOf('fifo-767', 64)?.elements, elements);
  });
});
