import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { posthogJsEvents } from '../__fixtures__/index.ts';
import { parseElementsChain, readChainElement, scanElementsChain, splitElementsChain, stringifyElementsChain, writeChainElement, type ChainElement } from './elements-chain.ts';

const chainOf = (body: { batch: Array<Record<string, unknown>> }) =>
  (body.batch[0]!['properties'] as Record<string, unknown>)['$elements_chain'] as string;

/** Mulberry32: a tiny seeded PRNG, so the fuzz run is the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseElementsChain', () => {
  it('parses example 2\'s button click: target first, aria-label, id, text and positions', () => {
    const elements = parseElementsChain(chainOf(posthogJsEvents.buttonClick));
    assert.equal(elements.length, 3);
    assert.deepEqual(elements[0], {
      order: 0,
      tagName: 'button',
      classes: ['btn', 'btn-primary'],
      text: 'Save changes',
      href: null,
      id: 'save-btn',
      nthChild: 3,
      nthOfType: 2,
      attributes: { 'attr__aria-label': 'Save changes', attr__class: 'btn btn-primary', attr__id: 'save-btn' },
    });
    assert.deepEqual(elements.map((element) => element.tagName), ['button', 'div', 'body']);
    assert.deepEqual(elements[2]!.attributes, {});
  });

  it('keeps a class containing ":" whole and takes the href copied onto a span (example 3)', () => {
    const [span, link, nav] = parseElementsChain(chainOf(posthogJsEvents.linkClick));
    assert.equal(span!.tagName, 'span');
    assert.equal(span!.href, '/settings/billing');
    assert.equal(span!.text, 'settings');
    assert.equal(link!.tagName, 'a');
    assert.deepEqual(link!.classes, ['nav-link', 'hover:underline']);
    assert.equal(link!.text, 'Billing settings');
    assert.equal(link!.id, 'billing-link');
    assert.equal(nav!.tagName, 'nav');
  });

  it('unescapes \\" and keeps ";", ":" and "=" inside quoted values', () => {
    const elements = parseElementsChain('button:attr__id="q"nth-child="1"nth-of-type="1"text="Say \\"hi\\"; then: go=now";body:nth-child="2"nth-of-type="1"');
    assert.equal(elements.length, 2);
    assert.equal(elements[0]!.text, 'Say "hi"; then: go=now');
    assert.equal(elements[1]!.tagName, 'body');
  });

  it('prefers attr__class for classes with "." (py-0.5) and falls back to the selector', () => {
    const [withRaw, withoutRaw] = parseElementsChain('div.0.5.py-0:attr__class="py-0.5 md:flex"nth-child="1"nth-of-type="1";div.a.b:nth-child="1"nth-of-type="1"');
    assert.deepEqual(withRaw!.classes, ['py-0.5', 'md:flex']);
    assert.deepEqual(withoutRaw!.classes, ['a', 'b']);
  });

  it('reads empty values, attribute names with ":" and a class named like md:flex', () => {
    const [element] = parseElementsChain('img.md:flex:attr__alt=""attr__x-on:click="go()"nth-child="2"nth-of-type="1"');
    assert.equal(element!.tagName, 'img');
    assert.deepEqual(element!.classes, ['md:flex']);
    assert.equal(element!.attributes['attr__alt'], '');
    assert.equal(element!.attributes['attr__x-on:click'], 'go()');
    assert.equal(element!.nthChild, 2);
  });

  it('reads a masked chain (tags and positions only) and treats nth 0 as unknown', () => {
    const elements = parseElementsChain('button:nth-child="3"nth-of-type="0";div:nth-child="1"nth-of-type="1"');
    assert.equal(elements[0]!.text, null);
    assert.equal(elements[0]!.nthChild, 3);
    assert.equal(elements[0]!.nthOfType, null);
  });

  it('accepts hand-written chains without a tag, without attributes and with stray separators', () => {
    const elements = parseElementsChain(' ;.cta:text="Go";;button; ');
    assert.equal(elements.length, 2);
    assert.equal(elements[0]!.tagName, null);
    assert.deepEqual(elements[0]!.classes, ['cta']);
    assert.equal(elements[0]!.text, 'Go');
    assert.equal(elements[1]!.tagName, 'button');
    assert.deepEqual(elements[1]!.attributes, {});
  });

  it('takes the rest of an unterminated value instead of failing', () => {
    const [element] = parseElementsChain('a:href="/x"text="unterminated');
    assert.equal(element!.href, '/x');
    assert.equal(element!.text, 'unterminated');
  });

  it('returns [] for an empty or non-string chain', () => {
    assert.deepEqual(parseElementsChain(''), []);
    assert.deepEqual(parseElementsChain(undefined as unknown as string), []);
  });

  it('stops at maxElements (default 1000, posthog-js depth)', () => {
    assert.equal(parseElementsChain('div;'.repeat(1500)).length, 1000);
    assert.equal(parseElementsChain('div;'.repeat(10), { maxElements: 3 }).length, 3);
  });
});

// The splitting rule, one character at a time: `;` outside quotes ends an element; inside quotes `\"` is an
// escaped quote; empty parts are skipped.
function referenceSplit(chain: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let isQuoted = false;
  for (let i = 0; i < chain.length; i++) {
    const code = chain[i];
    if (isQuoted && code === '\\' && chain[i + 1] === '"') {
      i++;
      continue;
    }
    if (code === '"') isQuoted = !isQuoted;
    else if (code === ';' && !isQuoted) {
      const part = chain.slice(start, i).trim();
      if (part) parts.push(part);
      start = i + 1;
    }
  }
  const last = chain.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

describe('splitElementsChain', () => {
  it('splits like the character-by-character rule on random text of quotes, backslashes and semicolons', () => {
    let state = 12345;
    const random = () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const alphabet = ['"', '\\', ';', 'a', ' ', '=', ':'];
    for (let round = 0; round < 3000; round++) {
      const length = Math.floor(random() * 24);
      let chain = '';
      for (let i = 0; i < length; i++) chain += alphabet[Math.floor(random() * alphabet.length)];
      assert.deepEqual(splitElementsChain(chain), referenceSplit(chain), JSON.stringify(chain));
    }
  });

  it('stops at maxElements', () => {
    assert.deepEqual(splitElementsChain('a;b;"c;d";e', 2), ['a', 'b']);
    assert.deepEqual(splitElementsChain('a;b;"c;d";e'), ['a', 'b', '"c;d"', 'e']);
  });
});

describe('stringifyElementsChain', () => {
  it('writes a chain posthog-js style that parses back to the same elements', () => {
    for (const body of [posthogJsEvents.buttonClick, posthogJsEvents.linkClick, posthogJsEvents.formSubmit, posthogJsEvents.inputChange]) {
      const elements = parseElementsChain(chainOf(body));
      assert.deepEqual(parseElementsChain(stringifyElementsChain(elements)), elements);
    }
  });

  it('sorts classes and keys the same for short lists and for long ones (over 24 entries)', () => {
    for (const size of [5, 24, 25, 60]) {
      const names = Array.from({ length: size }, (_, index) => `c${String((index * 7) % size).padStart(2, '0')}`);
      const attributes: Record<string, string> = {};
      for (const name of [...names].reverse()) attributes[`attr__data-${name}`] = name;
      const chain = stringifyElementsChain([
        { order: 0, tagName: 'div', classes: names, text: null, href: null, id: null, nthChild: 1, nthOfType: 1, attributes },
      ]);
      const expectedClasses = [...names].sort().join('.');
      const expectedPairs = [...Object.keys(attributes), 'nth-child', 'nth-of-type']
        .sort()
        .map((key) => `${key}="${key.startsWith('nth') ? '1' : attributes[key]}"`)
        .join('');
      assert.equal(chain, `div.${expectedClasses}:${expectedPairs}`, `size ${size}`);
    }
  });

  it('reproduces example 2\'s chain byte for byte', () => {
    const chain = chainOf(posthogJsEvents.buttonClick);
    assert.equal(stringifyElementsChain(parseElementsChain(chain)), chain);
  });

  it('escapes quotes and keeps a trailing backslash from swallowing the closing quote', () => {
    const chain = stringifyElementsChain([
      { order: 0, tagName: 'button', classes: [], text: 'C:\\', href: null, id: null, nthChild: 1, nthOfType: 1, attributes: { attr__title: 'a "b"' } },
      { order: 1, tagName: 'body', classes: [], text: null, href: null, id: null, nthChild: 2, nthOfType: 1, attributes: {} },
    ]);
    const elements = parseElementsChain(chain);
    assert.equal(elements.length, 2);
    assert.equal(elements[0]!.attributes['attr__title'], 'a "b"');
    assert.equal(elements[0]!.text, 'C:\\ ');
  });
});

describe('parseElementsChain fuzz', () => {
  const alphabet = ['"', '\\', ';', ':', '=', '.', ' ', 'a', 'b', 'text', 'attr__', 'href', 'nth-child', '="', '\\"', '1'];

  it('never throws and stays linear on 3,000 seeded random chains', () => {
    const random = seededRandom(20261121);
    for (let round = 0; round < 3000; round++) {
      const length = Math.floor(random() * 200);
      let chain = '';
      for (let i = 0; i < length; i++) chain += alphabet[Math.floor(random() * alphabet.length)];
      const counter = { steps: 0 };
      const elements = scanElementsChain(chain, counter);
      assert.ok(Array.isArray(elements));
      assert.ok(counter.steps <= 16 * chain.length + 16, `steps ${counter.steps} for length ${chain.length}: ${JSON.stringify(chain)}`);
      // Whatever was parsed, writing and re-reading it is stable.
      const written = stringifyElementsChain(elements);
      assert.equal(stringifyElementsChain(parseElementsChain(written)), written);
    }
  });

  it('round-trips 500 seeded random well-formed chains', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const valueChars = ['a', 'Z', ' ', '"', ';', ':', '=', '\\', '.', 'é', '1'];
    for (let round = 0; round < 500; round++) {
      const elements = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, order): ChainElement => {
        let text = '';
        for (let i = 0; i < Math.floor(random() * 12); i++) text += pick(valueChars);
        if (text.endsWith('\\')) text += 'x';
        return {
          order,
          tagName: pick(['a', 'button', 'div', 'span', 'input']),
          classes: random() < 0.5 ? [] : ['c1', 'md:flex'].slice(0, 1 + Math.floor(random() * 2)).sort(),
          text: random() < 0.3 ? null : text,
          href: random() < 0.7 ? null : `/p/${round}`,
          id: random() < 0.5 ? null : `id-${round}`,
          nthChild: 1 + Math.floor(random() * 9),
          nthOfType: 1 + Math.floor(random() * 9),
          attributes: random() < 0.5 ? {} : ({ 'attr__aria-label': text, attr__name: 'n' } as Record<string, string>),
        };
      });
      assert.deepEqual(parseElementsChain(stringifyElementsChain(elements)), elements);
    }
  });

  it('does a bounded number of steps per character on 1 MB adversarial inputs', () => {
    const megabyte = 1 << 20;
    const adversarial = [
      '"'.repeat(megabyte),
      '\\'.repeat(megabyte),
      '\\"'.repeat(megabyte / 2),
      ':'.repeat(megabyte),
      ':a'.repeat(megabyte / 2),
      'a="'.repeat(megabyte / 3),
      ':text="\\'.repeat(megabyte / 8),
      `div:${'x'.repeat(megabyte)}`,
      ';'.repeat(megabyte),
    ];
    for (const chain of adversarial) {
      const counter = { steps: 0 };
      scanElementsChain(chain, counter);
      assert.ok(counter.steps <= 16 * chain.length, `steps ${counter.steps} for ${JSON.stringify(chain.slice(0, 12))}… (${chain.length})`);
    }
  });
});

describe('readChainElement', () => {
  it('says a part is in written form only when the writer writes that very part for its parse (seeded fuzz)', () => {
    const random = seededRandom(20261207);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const tags = ['button', 'a', 'my-el', 'BUTTON', ' a', 'x.y', 'a b', ''];
    const classes = ['btn', 'btn-primary', 'md:flex', 'hover:underline', 'py-0.5', 'x:attr__y', 'a"b', ''];
    const keys = ['attr__aria-label', 'attr__class', 'attr__href', 'attr__id', 'attr__role', 'attr_id', 'href', 'text', 'nth-child', 'nth-of-type', 'bad key', ' text', 'a"b', ''];
    const values = ['Save', 'Save changes', '', 'btn btn-primary', 'md:flex btn', 'a;b', 'x\\"y', 'ends\\', '0', '2', '02', '1234567890', 'é'];
    let written = 0;
    let notWritten = 0;
    for (let round = 0; round < 5_000; round++) {
      let part = pick(tags);
      for (let i = Math.floor(random() * 3); i > 0; i--) part += `.${pick(classes)}`;
      part += ':';
      // Half the parts take their pairs in sorted order, as posthog-js writes them.
      const pairs = Array.from({ length: Math.floor(random() * 6) }, () => [pick(keys), pick(values)] as const);
      if (random() < 0.5) pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [key, value] of pairs) part += `${key}="${value}"`;
      if (random() < 0.1) part += pick(['junk', 'x="open', ' ']);
      // Each part as the splitter hands it on, and the writer's own text for it.
      const first = splitElementsChain(part)[0] ?? '';
      for (const candidate of [first, splitElementsChain(stringifyElementsChain(parseElementsChain(first)))[0] ?? '']) {
        if (candidate === '') continue;
        const { element, isWritten } = readChainElement(candidate);
        assert.deepEqual(element, parseElementsChain(candidate)[0], candidate);
        const text = writeChainElement(element, 0).text;
        // Never a part the writer would write otherwise; every written part without a backslash (values with one
        // are left to the writer).
        if (isWritten) assert.equal(text, candidate);
        else assert.ok(text !== candidate || candidate.includes('\\'), candidate);
        if (isWritten) written++;
        else notWritten++;
      }
    }
    assert.ok(written > 1_000 && notWritten > 1_000, `written ${written}, not written ${notWritten}`);
  });

  it('takes a posthog-js chain element as written', () => {
    const part = 'button.btn.btn-primary:attr__aria-label="Save changes"attr__class="btn btn-primary"attr__id="save-btn"attr_id="save-btn"nth-child="2"nth-of-type="1"text="Save changes"';
    assert.equal(readChainElement(part).isWritten, true);
    assert.equal(readChainElement(part.replace('nth-child="2"', 'nth-child="02"')).isWritten, false);
    assert.equal(readChainElement(part.replace('attr_id="save-btn"', '')).isWritten, false, 'attr__id without attr_id is written with attr_id');
  });
});
