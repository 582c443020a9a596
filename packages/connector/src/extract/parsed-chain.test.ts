import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { posthogJsAutocaptureBatch, posthogJsEdgeEvents, posthogJsEvents, hogFlatPayloads } from '../__fixtures__/index.ts';
import { normalizeCaptureBody } from '../ingest/normalize-capture-body.ts';
import { normalizeWebhookBody } from '../ingest/normalize-webhook-body.ts';
import { parseElementsChain } from './elements-chain.ts';
import { extractAction } from './extract-action.ts';
import { IngestMemo } from '../ingest/ingest-memo.ts';
import { createTabMemory } from './tab-memory.ts';

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('CapturedEvent.parsedChain', () => {
  it('is, for every chain the normalisers stored, exactly what parsing that chain gives', () => {
    const bodies = [...Object.values(posthogJsEvents), ...Object.values(posthogJsEdgeEvents)];
    let checked = 0;
    const check = (events: ReturnType<typeof normalizeCaptureBody>['events']) => {
      for (const event of events) {
        const chain = event.properties['$elements_chain'];
        if (typeof chain !== 'string' || chain === '') continue;
        assert.deepEqual(event.parsedChain?.elements, parseElementsChain(chain), chain);
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
        assert.deepEqual(event.parsedChain?.elements, parseElementsChain(chain), chain);
        // Extraction reads the same elements either way.
        const action = extractAction(event);
        assert.deepEqual(action, extractAction({ ...event, properties: { ...event.properties, $elements_chain: `${chain};` } }));
        checked++;
      }
    }
    assert.ok(checked > 300, `only ${checked} chains checked`);
  });

  it('is the same with and without the ingest memo, and the memo hands back one parse per chain', () => {
    const memo = new IngestMemo();
    for (const body of Object.values(posthogJsEvents)) {
      const plain = normalizeCaptureBody(structuredClone(body), 1_700_000_000_000).events;
      const memoized = normalizeCaptureBody(structuredClone(body), 1_700_000_000_000, { memo }).events;
      assert.deepEqual(memoized, plain);
      const again = normalizeCaptureBody(structuredClone(body), 1_700_000_000_000, { memo }).events;
      for (const [index, event] of again.entries()) {
        if (event.parsedChain !== null && event.parsedChain !== undefined) assert.equal(event.parsedChain, memoized[index]!.parsedChain);
      }
    }
  });
});

describe('IngestMemo', () => {
  it('gives the same sanitised chain object for the same chain, and never shares entries between memos', () => {
    const chain = 'button.primary:text="Save"nth-child="1"nth-of-type="1";form:nth-child="2"nth-of-type="1";body:nth-child="2"nth-of-type="1"';
    const memo = new IngestMemo();
    const first = memo.sanitizeChain(chain);
    assert.equal(memo.sanitizeChain(chain), first);
    assert.deepEqual(first.parsed.elements, parseElementsChain(first.chain));
    assert.notEqual(new IngestMemo().sanitizeChain(chain), first);
  });

  it('computes very long chains every time rather than holding them', () => {
    const long = `div:text="${'x'.repeat(9000)}"`;
    const memo = new IngestMemo();
    const first = memo.sanitizeChain(long);
    const second = memo.sanitizeChain(long);
    assert.notEqual(second, first);
    assert.deepEqual(second, first);
  });

  it('gives the same actions to extraction with and without it, also when every string is remembered', () => {
    const bodies = [...Object.values(posthogJsEvents), ...Object.values(posthogJsEdgeEvents), posthogJsAutocaptureBatch];
    const events = bodies.flatMap((body) => normalizeCaptureBody(structuredClone(body), 1_700_000_000_000).events);
    events.push(...Object.values(hogFlatPayloads).flatMap((payload) => normalizeWebhookBody(structuredClone(payload), 1_700_000_000_000).events));
    const privacy = () => ({ userIds: ['u-4821', 'd-1'], emails: ['jane@example.com'], patterns: [], selectors: [], cache: new Map<string, string>(), urlCache: new Map<string, string>() });
    const memo = new IngestMemo();
    const [plainTab, memoTab, plainPrivacy, memoPrivacy] = [createTabMemory(), createTabMemory(), privacy(), privacy()];
    let compared = 0;
    for (let round = 0; round < 2; round++) {
      for (const event of events) {
        const plain = extractAction(event, { tab: plainTab, privacy: plainPrivacy });
        assert.deepEqual(extractAction(event, { tab: memoTab, privacy: memoPrivacy, memo }), plain);
        assert.deepEqual(extractAction(event), extractAction(event, { memo }));
        if (plain !== null) compared++;
      }
    }
    assert.ok(compared >= 20, `only ${compared} actions compared`);
  });

  it('redacts what it remembers exactly as it redacts afresh', () => {
    const memo = new IngestMemo();
    const url = 'https://crm.example.io/contacts/ana.souza@example.com?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijkl';
    assert.equal(memo.redactUrl(url), memo.redactUrl(url));
    assert.ok(!memo.redactUrl(url).includes('ana.souza@example.com'), memo.redactUrl(url));
    assert.ok(!memo.finalText('Call ana.souza@example.com').includes('@example.com'));
  });
});
