/**
 * Connector extraction: how fast `elements_chain` parses (typical and adversarial input) and how
 * many posthog-js events per second go through normalise → extract → sessionize, each beside a baseline
 * measured in the same run. Subject and baseline run in alternating short slices and each keeps its fast
 * slices, so a busy machine slows both alike and the ratio stays comparable from run to run.
 */
import { Sessionizer, normalizeCaptureBody, parseElementsChain } from '@sightline/connector/internal';
import type { Benchmark } from './harness.ts';

// Recorded example 3 (docs/reference/posthog-capture.md#recorded-examples): a click on a span inside a link.
const LINK_CHAIN =
  'span:attr__href="/settings/billing"href="/settings/billing"nth-child="1"nth-of-type="1"text="settings";a.hover:underline.nav-link:attr__class="nav-link hover:underline"attr__href="/settings/billing"attr__id="billing-link"attr_id="billing-link"href="/settings/billing"nth-child="1"nth-of-type="1"text="Billing settings";nav:nth-child="1"nth-of-type="1";div.container.main:attr__class="container main"attr__id="app"attr_id="app"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"';

// A click on a radio card's label inside a form inside a dialog: the deepest structure extraction reads.
const DIALOG_CHAIN =
  'strong:nth-child="1"nth-of-type="1"text="Business";span.plan-name:attr__class="plan-name"nth-child="2"nth-of-type="1";label.plan-option:attr__class="plan-option"attr__for="plan-business"nth-child="3"nth-of-type="3";fieldset.plans:attr__class="plans"nth-child="1"nth-of-type="1";form:attr__id="upgrade-form"attr__name="upgrade-plan-form"attr_id="upgrade-form"nth-child="2"nth-of-type="1";div.dialog:attr__aria-labelledby="upgrade-plan-title"attr__aria-modal="true"attr__class="dialog"attr__id="upgrade-plan-dialog"attr__role="dialog"attr_id="upgrade-plan-dialog"nth-child="1"nth-of-type="1";div.overlay:attr__class="overlay"nth-child="4"nth-of-type="2";main:nth-child="2"nth-of-type="1";div.app:attr__class="app"attr__id="app"attr_id="app"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"';

// A regex split into elements and key="value" pairs, no objects built
// (docs/reference/posthog-capture.md#from-chain-to-action), as a baseline.
function regexParse(chain: string): number {
  let count = 0;
  for (const raw of chain.split(/;(?=(?:[^"\\]|\\.|"(?:[^"\\]|\\.)*")*$)/)) {
    const cut = raw.search(/:(?=[A-Za-z0-9_-]*=")/);
    for (const match of (cut < 0 ? '' : raw.slice(cut + 1)).matchAll(/([^"=]*)="((?:\\.|[^"\\])*)"/g)) count += match[2]!.length > 0 ? 1 : 0;
  }
  return count;
}

/** Calls of `run` per second over one slice of about `sliceMs`. */
function sliceRate(run: () => void, sliceMs: number): number {
  let iterations = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 50; i++) run();
    iterations += 50;
    elapsed = performance.now() - started;
  } while (elapsed < sliceMs);
  return iterations / (elapsed / 1000);
}

/** The 90th percentile: the fast slices, which a busy machine interrupted least. */
function fastRate(rates: number[]): number {
  const sorted = [...rates].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!;
}

/** Rates of `subject` and `baseline` (calls/s), measured in alternating slices over `totalMs`. */
function pairedRates(subject: () => void, baseline: () => void, totalMs = 3000, sliceMs = 50): { value: number; baseline: number } {
  for (let i = 0; i < 2000; i++) {
    subject();
    baseline();
  } // warm-up, so the JIT has compiled what is measured
  const subjectRates: number[] = [];
  const baselineRates: number[] = [];
  const started = performance.now();
  while (performance.now() - started < totalMs) {
    subjectRates.push(sliceRate(subject, sliceMs));
    baselineRates.push(sliceRate(baseline, sliceMs));
  }
  return { value: fastRate(subjectRates), baseline: fastRate(baselineRates) };
}

function timeMs(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

function captureBody(chain: string) {
  return {
    api_key: 'phc_bench',
    sent_at: '2026-11-21T22:33:27.600Z',
    batch: Array.from({ length: 10 }, (_, i) => ({
      uuid: `uuid-${i}`,
      event: '$autocapture',
      timestamp: `2026-11-21T22:33:27.${String(100 + i * 10)}Z`,
      properties: {
        distinct_id: 'anon',
        $session_id: `session-${i % 3}`,
        $window_id: `window-${i % 2}`,
        $event_type: 'click',
        $current_url: 'https://app.example.com/projects/42/settings?tab=1',
        $elements_chain: chain,
        token: 'phc_bench',
      },
    })),
  };
}

const benchmark: Benchmark = {
  title: 'Connector extraction',
  async run(report) {
    const parse = pairedRates(() => parseElementsChain(LINK_CHAIN), () => regexParse(LINK_CHAIN), 1500);
    report.row({ name: 'parseElementsChain: link chain (5 elements)', value: parse.value, unit: 'chains/s', baseline: parse.baseline, baselineName: 'regex split + pairs, no objects' });
    const megabyte = 1 << 20;
    for (const [name, chain] of [
      ['1 MB of "', '"'.repeat(megabyte)],
      ['1 MB of \\"', '\\"'.repeat(megabyte / 2)],
      ['1 MB of :a', ':a'.repeat(megabyte / 2)],
    ] as const) {
      report.row({ name: `parseElementsChain: ${name}`, value: timeMs(() => parseElementsChain(chain)), unit: 'ms', goal: 'linear: ~ms per MB' });
    }
    let payloads = 0;
    const sessionizer = new Sessionizer({ batchWindowMs: 0, dedupSize: 0, onBatch: () => payloads++ });
    const baselineName = "regex parse of each event's chain";
    for (const [name, chain] of [
      ['one repeated link chain', LINK_CHAIN],
      ['one repeated dialog chain (10 elements)', DIALOG_CHAIN],
    ] as const) {
      const body = captureBody(chain);
      const bodies = pairedRates(
        () => sessionizer.add('bench', normalizeCaptureBody(body, Date.now()).events),
        () => {
          for (const event of body.batch) regexParse(event.properties.$elements_chain);
        },
      );
      report.row({ name: `normalise + extract + sessionize (10-event bodies, ${name})`, value: bodies.value * 10, unit: 'events/s', baseline: bodies.baseline * 10, baselineName });
      if (chain === LINK_CHAIN) report.row({ name: 'time per 10-event body', value: 1000 / bodies.value, unit: 'ms', goal: 'Autoplay p50 for a whole request: ≤ 100 ms' });
    }
    // The same bodies with a new chain text in every event, so the connector's memo of sanitised chains never hits.
    const body = captureBody(LINK_CHAIN);
    let serial = 0;
    const fresh = () => ({
      ...body,
      batch: body.batch.map((event) => ({ ...event, properties: { ...event.properties, $elements_chain: LINK_CHAIN.replace('text="settings"', `text="settings ${serial++}"`) } })),
    });
    const freshBodies = Array.from({ length: 4_000 }, fresh);
    let next = 0;
    let nextBaseline = 0;
    const unique = pairedRates(
      () => sessionizer.add('bench', normalizeCaptureBody(freshBodies[next++ % freshBodies.length], Date.now()).events),
      () => {
        for (const event of freshBodies[nextBaseline++ % freshBodies.length]!.batch) regexParse(event.properties.$elements_chain);
      },
    );
    sessionizer.close();
    report.row({ name: 'normalise + extract + sessionize (10-event bodies, every chain new)', value: unique.value * 10, unit: 'events/s', baseline: unique.baseline * 10, baselineName });
    report.note(`${payloads.toLocaleString('en-US')} payloads emitted`);
  },
};

export default benchmark;
