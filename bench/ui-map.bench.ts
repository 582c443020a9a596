/**
 * The UI map (docs/knowledge.md, "UI map"): memory per 1,000 distinct labels, learning throughput and the
 * knowledge source's lookup p99, in memory. Baselines in the same run: a `Set` of the same label strings (memory),
 * the activity tracker alone on the same payloads (learning), and reading the map without matching (lookup).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createUiMapSource, journeyPayload, MemoryUiMapStore, UiMap, type JourneyStep } from '@sightline/bridge/internal';
import type { ActionsPayload } from '@sightline/protocol';
import { ActivityTracker } from '@sightline/sdk';
import { FakeClock } from '@sightline/sdk/testing';
import type { Benchmark } from './harness.ts';

const PAGES = 100;
const LABELS_PER_PAGE = 100;
const USERS_PER_PAGE = 3;
const LOOKUPS = 5_000;

const WORDS = ['Export', 'Invite', 'Archive', 'Assign', 'Merge', 'Refund', 'Publish', 'Schedule', 'Transfer', 'Review', 'Approve', 'Share', 'Tag', 'Rename', 'Duplicate', 'Sync'];
const NOUNS = ['report', 'member', 'ticket', 'invoice', 'article', 'deal', 'contact', 'card', 'payment', 'order', 'campaign', 'project', 'file', 'note', 'task', 'event'];
const PLACES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa'];

function pageName(page: number): string {
  return `${PLACES[page % 16]} ${PLACES[Math.floor(page / 16) % 16]}`;
}

function labelOf(page: number, position: number): string {
  return `${WORDS[position % 16]} ${NOUNS[Math.floor(position / 16) % 16]} ${pageName(page)}`;
}

/** One user's session on one page: every button there, then a dialog finished with a submit. */
function sessionSteps(page: number): JourneyStep[] {
  const dialog = { kind: 'dialog' as const, label: `New ${NOUNS[page % 16]} ${pageName(page)}` };
  return [
    { go: `Page ${pageName(page)}`, path: `/${pageName(page).replace(' ', '-')}` },
    ...Array.from({ length: LABELS_PER_PAGE }, (_, position) => ({ click: labelOf(page, position) })),
    { open: dialog.label },
    { type: 'Name', container: dialog },
    { click: `Create ${NOUNS[page % 16]}`, container: dialog },
    { click: 'Done' },
  ];
}

function payloads(): ActionsPayload[] {
  const list: ActionsPayload[] = [];
  for (let page = 0; page < PAGES; page++) {
    for (let user = 0; user < USERS_PER_PAGE; user++) {
      list.push(journeyPayload({ productId: 'bench', userId: `user-${page}-${user}`, sessionId: `s-${page}-${user}`, startAt: 1_800_000_000 }, sessionSteps(page)));
    }
  }
  return list;
}

function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

const benchmark: Benchmark = {
  title: `UI map: ${(PAGES * LABELS_PER_PAGE).toLocaleString('en-US')} distinct labels on ${PAGES} pages, ${USERS_PER_PAGE} users each`,
  async run(report) {
    const gc = forceGc();
    const clock = new FakeClock({ now: 1_800_000_000_000 });
    const all = payloads();
    const actions = all.reduce((sum, payload) => sum + payload.actions.length, 0);

    // Baseline of learning: the tracker alone, which the pipeline runs anyway.
    const trackerOnly = new ActivityTracker({ clock });
    let started = performance.now();
    for (const payload of all) await trackerOnly.apply(payload);
    const trackerSeconds = (performance.now() - started) / 1000;

    const before = heapAfterGc(gc);
    const tracker = new ActivityTracker({ clock });
    const map = new UiMap({ store: new MemoryUiMapStore({ clock }), clock, cacheMs: 60_000 });
    let learnSeconds = 0;
    for (const payload of all) {
      const tabs = await tracker.apply(payload);
      started = performance.now();
      await map.learn(payload, tabs);
      learnSeconds += (performance.now() - started) / 1000;
    }
    const known = await map.known('bench');
    const distinct = known.labels.length;
    // The tracker's states stay in both measurements' heaps; only the map's share is wanted.
    const mapHeap = heapAfterGc(gc) - before;
    const trackerBefore = heapAfterGc(gc);
    const trackerAgain = new ActivityTracker({ clock });
    for (const payload of all) await trackerAgain.apply(payload);
    const trackerBytes = heapAfterGc(gc) - trackerBefore;

    const labelsBefore = heapAfterGc(gc);
    const labelSet = new Set<string>();
    for (let page = 0; page < PAGES; page++) for (let position = 0; position < LABELS_PER_PAGE; position++) labelSet.add(`${labelOf(page, position)}\u0000/${page}`);
    const setBytes = heapAfterGc(gc) - labelsBefore;

    report.row({
      name: 'memory per 1,000 distinct labels (memory store, 3 users each, with pages, transitions, flows)',
      value: ((mapHeap - trackerBytes) / distinct) * 1000,
      unit: 'bytes',
      baseline: (setBytes / labelSet.size) * 1000,
      baselineName: 'Set of the label strings',
    });
    report.row({
      name: `learning: ${actions.toLocaleString('en-US')} actions through UiMap.learn (its own time)`,
      value: actions / learnSeconds,
      unit: 'actions/s',
      baseline: actions / trackerSeconds,
      baselineName: 'ActivityTracker.apply alone',
    });

    const source = createUiMapSource(map);
    const questions = ['how do I export a report?', '¿Cómo invito a un miembro?', 'comment fusionner des tickets ?', 'Wie erstelle ich eine Rechnung?', 'como crio um novo contato?'];
    const pages = Array.from({ length: 16 }, (_, page) => `/${pageName(page).replace(' ', '-')}`);
    const durations: number[] = [];
    const readDurations: number[] = [];
    for (let lookup = 0; lookup < LOOKUPS; lookup++) {
      const question = { productId: 'bench', query: questions[lookup % questions.length]!, language: null, page: pages[lookup % pages.length]!, pageTitle: null };
      started = performance.now();
      await source.find(question);
      durations.push(performance.now() - started);
      started = performance.now();
      await map.known('bench');
      readDurations.push(performance.now() - started);
    }
    durations.sort((a, b) => a - b);
    readDurations.sort((a, b) => a - b);
    report.row({
      name: `lookup p99 (${LOOKUPS.toLocaleString('en-US')} questions in 5 languages, ${known.flows.length} flows)`,
      value: percentile(durations, 0.99),
      unit: 'ms',
      baseline: percentile(readDurations, 0.99),
      baselineName: 'cached map read alone',
      goal: 'p99 < 20 ms',
    });
    clock.set(clock.now() + 61_000);
    started = performance.now();
    await map.known('bench');
    report.row({ name: 'uncached read and trust check of the whole map (every 10 s in a bridge)', value: performance.now() - started, unit: 'ms' });
    report.note('Redis backend: one EVAL per user per payload to learn; a read is two sorted-set reads and one pipeline per 500 entries (see docs/knowledge.md).');
  },
};

export default benchmark;
