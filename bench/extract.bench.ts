/**
 * Connector extraction: how fast `elements_chain` parses (typical and adversarial input) and how
 * many posthog-js events per second go through normalise → extract → sessionize.
 */
import { Sessionizer, normalizeCaptureBody, parseElementsChain } from '@sightline/connector';
import type { Benchmark } from './harness.ts';

// posthog.md §10.3: a click on a span inside a link.
const LINK_CHAIN =
  'span:attr__href="/settings/billing"href="/settings/billing"nth-child="1"nth-of-type="1"text="settings";a.hover:underline.nav-link:attr__class="nav-link hover:underline"attr__href="/settings/billing"attr__id="billing-link"attr_id="billing-link"href="/settings/billing"nth-child="1"nth-of-type="1"text="Billing settings";nav:nth-child="1"nth-of-type="1";div.container.main:attr__class="container main"attr__id="app"attr_id="app"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"';

// The regex approach of posthog.md §6.5's sketch, as a baseline.
function regexParse(chain: string): number {
  let count = 0;
  for (const raw of chain.split(/;(?=(?:[^"\\]|\\.|"(?:[^"\\]|\\.)*")*$)/)) {
    const cut = raw.search(/:(?=[A-Za-z0-9_-]*=")/);
    for (const match of (cut < 0 ? '' : raw.slice(cut + 1)).matchAll(/([^"=]*)="((?:\\.|[^"\\])*)"/g)) count += match[2]!.length > 0 ? 1 : 0;
  }
  return count;
}

function rate(run: () => void, minimumMs = 1500): number {
  for (let i = 0; i < 2000; i++) run(); // warm-up, so the JIT has compiled what is measured
  let iterations = 0;
  const started = performance.now();
  while (performance.now() - started < minimumMs) {
    for (let i = 0; i < 200; i++) run();
    iterations += 200;
  }
  return iterations / ((performance.now() - started) / 1000);
}

function timeMs(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const benchmark: Benchmark = {
  title: 'Connector extraction',
  async run(report) {
    report.row({
      name: 'parseElementsChain: §10.3 chain (5 elements)',
      value: rate(() => parseElementsChain(LINK_CHAIN)),
      unit: 'chains/s',
      baseline: rate(() => regexParse(LINK_CHAIN)),
      baselineName: 'regex split + pairs, no objects',
    });
    const megabyte = 1 << 20;
    for (const [name, chain] of [
      ['1 MB of "', '"'.repeat(megabyte)],
      ['1 MB of \\"', '\\"'.repeat(megabyte / 2)],
      ['1 MB of :a', ':a'.repeat(megabyte / 2)],
    ] as const) {
      report.row({ name: `parseElementsChain: ${name}`, value: timeMs(() => parseElementsChain(chain)), unit: 'ms', goal: 'linear: ~ms per MB' });
    }
    const body = {
      api_key: 'phc_bench',
      sent_at: '2026-11-21T22:33:27.600Z',
      batch: Array.from({ length: 10 }, (_, i) => ({
        uuid: `uuid-${i}`,
        event: '$autocapture',
        timestamp: `2026-11-21T22:33:27.${String(100 + i * 10)}Z`,
        properties: {
          distinct_id: 'anon',
          $session_id: `session-${i % 3}`,
          $event_type: 'click',
          $current_url: 'https://app.example.com/projects/42/settings?tab=1',
          $elements_chain: LINK_CHAIN,
          token: 'phc_bench',
        },
      })),
    };
    let payloads = 0;
    const sessionizer = new Sessionizer({ batchWindowMs: 0, dedupSize: 0, onBatch: () => payloads++ });
    const bodies = rate(() => sessionizer.add('bench', normalizeCaptureBody(body, Date.now()).events), 3000);
    report.row({ name: 'normalise + extract + sessionize (10-event bodies, one repeated chain)', value: bodies * 10, unit: 'events/s' });
    report.row({ name: 'time per 10-event body', value: 1000 / bodies, unit: 'ms', goal: 'Autoplay p50 for a whole request: ≤ 100 ms' });
    // The same bodies with a new chain text in every event, so the connector's memo of sanitised chains never hits.
    let serial = 0;
    const fresh = () => ({
      ...body,
      batch: body.batch.map((event) => ({ ...event, properties: { ...event.properties, $elements_chain: LINK_CHAIN.replace('text="settings"', `text="settings ${serial++}"`) } })),
    });
    const freshBodies = Array.from({ length: 4_000 }, fresh);
    let next = 0;
    const unique = rate(() => sessionizer.add('bench', normalizeCaptureBody(freshBodies[next++ % freshBodies.length], Date.now()).events), 3000);
    sessionizer.close();
    report.row({ name: 'normalise + extract + sessionize (10-event bodies, every chain new)', value: unique * 10, unit: 'events/s' });
    report.note(`${payloads.toLocaleString('en-US')} payloads emitted`);
  },
};

export default benchmark;
