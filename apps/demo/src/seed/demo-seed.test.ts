import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoPages } from '../browser/pages.ts';
import { DEMO_SEED_FLOW_COUNT, demoSeedBatches } from './demo-seed.ts';

const OPTIONS = { captureToken: 'phc_demo', userIdPrefix: 'seed:', now: Date.UTC(2026, 11, 6, 12) };

/** The `text="…"` of every element in a chain. */
function textsOf(chain: string): string[] {
  return [...chain.matchAll(/text="((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!);
}

test('every label a simulated user clicks is one the demo app shows', () => {
  const markup = demoPages.map((page) => `${page.title} ${page.html}`).join(' ');
  const texts = demoSeedBatches(OPTIONS).flatMap((batch) => batch.body.batch).flatMap((event) => textsOf(String(event.properties['$elements_chain'] ?? '')));
  assert.ok(texts.length >= 10);
  for (const text of new Set(texts)) assert.ok(markup.includes(text), `the demo app shows '${text}'`);
});

test('the simulated users are the prefix and a number, one session each, on the demo pages, ending before now', () => {
  const batches = demoSeedBatches(OPTIONS);
  assert.deepEqual(batches.map((batch) => batch.userId), ['seed:1', 'seed:2', 'seed:3', 'seed:4']);
  assert.equal(new Set(batches.map((batch) => batch.sessionId)).size, 4);
  const paths = new Set(demoPages.map((page) => page.path));
  for (const batch of batches) {
    assert.equal(batch.body.api_key, 'phc_demo');
    for (const event of batch.body.batch) {
      assert.equal(event.properties['distinct_id'], batch.userId);
      assert.ok(paths.has(String(event.properties['$pathname'])), String(event.properties['$pathname']));
      assert.ok(Date.parse(event.timestamp) < OPTIONS.now);
    }
    // Each user finishes every flow: one submit per flow.
    assert.equal(batch.body.batch.filter((event) => event.properties['$event_type'] === 'submit').length, DEMO_SEED_FLOW_COUNT);
  }
});

test('the same options give the same sessions; another start gives other session ids', () => {
  assert.deepEqual(demoSeedBatches(OPTIONS), demoSeedBatches(OPTIONS));
  assert.notDeepEqual(demoSeedBatches(OPTIONS).map((batch) => batch.sessionId), demoSeedBatches({ ...OPTIONS, now: OPTIONS.now + 60_000 }).map((batch) => batch.sessionId));
  assert.equal(demoSeedBatches({ ...OPTIONS, users: 2 }).length, 2);
});

test('no value travels: fields and choices carry their names, never a value (posthog-js sends none either)', () => {
  for (const event of demoSeedBatches(OPTIONS).flatMap((batch) => batch.body.batch)) {
    assert.doesNotMatch(String(event.properties['$elements_chain'] ?? ''), /attr__value=/);
  }
});
