/**
 * The UI map as a {@link KnowledgeSource}: for a how-to question, the short paths other users took to finish the flow
 * it is about, starting where the asking user is. The question is matched to flows by the words of their labels
 * (the offline responder's topic words and concepts, so a Spanish or German question finds English labels).
 */
import type { KnowledgeQuestion, KnowledgeSource, ProductKnowledge, UiPath, UiPathStep } from '../knowledge-types.ts';
import { topicWords } from '../../responder/offline/detect-intent.ts';
import { namesSpecifically, topicRank } from '../../responder/offline/topic-match.ts';
import type { KnownFlow, KnownUiMap, UiMap } from './ui-map.ts';

/** Paths returned at most. */
const MAX_PATHS = 3;
/** Clicks from the user's page to a flow's page looked through (Dashboard → Settings → Team is two). */
const MAX_ROUTE_CLICKS = 3;

/**
 * A flow's relevance: each word of the question scores by the flow's label that matches it best (its own word 2, a
 * word of the same concept in another language 1), the page's name counts half, and naming the goal adds 1. A flow
 * matched only by generic words ("add", "new"), or only through them, scores 0: "how do I add a vacation day?" is not
 * about "New contact", and "einladen" (a way to add) names 'Invite agent', not 'New ticket'.
 */
function flowScore(topic: readonly string[], flow: KnownFlow): number {
  const labels = [flow.goal, ...flow.steps.filter((step) => step.kind !== 'submit').map((step) => step.label)];
  let total = 0;
  let isSpecific = false;
  let namesGoal = false;
  for (const word of topic) {
    const ranks = labels.map((label) => topicRank([word], label));
    const best = Math.max(...ranks);
    if (best > 0) {
      total += best;
      if (!isSpecific && labels.some((label, position) => ranks[position]! > 0 && namesSpecifically(word, label))) isSpecific = true;
      if (topicRank([word], flow.goal) > 0) namesGoal = true;
    } else total += topicRank([word], flow.pageTitle) / 2;
  }
  if (!isSpecific) return 0;
  return total + (namesGoal ? 1 : 0);
}

/** The canonical path of the user's page: the question's, else the known page whose title the question names. */
function userPageOf(question: KnowledgeQuestion, known: KnownUiMap): string | null {
  if (question.page) return question.page;
  if (!question.pageTitle) return null;
  return known.pages.find((page) => page.title === question.pageTitle)?.path ?? null;
}

/**
 * The fewest known clicks from `from` to `to` (each a transition users took), or null when the map knows no way.
 */
export function routeBetween(known: KnownUiMap, from: string, to: string): UiPathStep[] | null {
  return routeWith(known, from, to)?.steps ?? null;
}

/** {@link routeBetween}, and whether a click on the way is known only from the demo's simulated users. */
function routeWith(known: KnownUiMap, from: string, to: string): { steps: UiPathStep[]; isDemoData: boolean } | null {
  if (from === to) return { steps: [], isDemoData: false };
  const seen = new Set([from]);
  let frontier: { page: string; steps: UiPathStep[]; isDemoData: boolean }[] = [{ page: from, steps: [], isDemoData: false }];
  for (let depth = 0; depth < MAX_ROUTE_CLICKS && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { page, steps, isDemoData: isDemo } of frontier) {
      for (const transition of known.transitions) {
        if (transition.page !== page || transition.toPage === null || seen.has(transition.toPage)) continue;
        const path = [...steps, { kind: 'click' as const, label: transition.label, page }];
        const isDemoData = isDemo || transition.isDemoData;
        if (transition.toPage === to) return { steps: path, isDemoData };
        seen.add(transition.toPage);
        next.push({ page: transition.toPage, steps: path, isDemoData });
      }
    }
    frontier = next;
  }
  return null;
}

/** The flow's steps from where the user is: none to reach its page when they are on it, else the clicks there. */
function stepsFrom(known: KnownUiMap, userPage: string | null, flow: KnownFlow): { steps: UiPathStep[]; isDemoData: boolean } {
  if (userPage === flow.page) return { steps: flow.steps, isDemoData: flow.isDemoData };
  const route = userPage === null ? null : routeWith(known, userPage, flow.page);
  if (route !== null) return { steps: [...route.steps, ...flow.steps], isDemoData: flow.isDemoData || route.isDemoData };
  return { steps: [{ kind: 'navigate', label: flow.pageTitle, page: flow.page }, ...flow.steps], isDemoData: flow.isDemoData };
}

/**
 * The paths of `known` that answer `question`, best first.
 *
 * @example
 * pathsFor(known, { productId: 'acme', query: 'how do I invite someone?', language: 'en', page: '/dashboard', pageTitle: null });
 * // [{ goal: 'Send invite', steps: [click 'Team', open 'Invite member', submit 'Send invite'], users: 4, score: 9 }]
 */
export function pathsFor(known: KnownUiMap, question: KnowledgeQuestion): UiPath[] {
  const topic = topicWords(question.query);
  if (topic.length === 0) return [];
  const userPage = userPageOf(question, known);
  const best = new Map<string, { flow: KnownFlow; score: number }>();
  for (const flow of known.flows) {
    const score = flowScore(topic, flow);
    if (score === 0) continue;
    const key = `${flow.page}\0${flow.goal}`;
    const current = best.get(key);
    const isBetter =
      !current || score > current.score || (score === current.score && (flow.users > current.flow.users || (flow.users === current.flow.users && flow.steps.length < current.flow.steps.length)));
    if (isBetter) best.set(key, { flow, score });
  }
  return [...best.values()]
    .map(({ flow, score }): UiPath => {
      const { steps, isDemoData } = stepsFrom(known, userPage, flow);
      // Among equals, a flow on the user's own page comes first.
      const path: UiPath = { goal: flow.goal, steps, users: flow.users, score: score + (flow.page === userPage ? 0.5 : 0) };
      return isDemoData ? { ...path, isDemoData } : path;
    })
    .sort((a, b) => b.score - a.score || b.users - a.users || a.steps.length - b.steps.length)
    .slice(0, MAX_PATHS);
}

/**
 * Builds the UI map's knowledge source. `find` never rejects: a store that fails gives no paths (and `onError` hears).
 *
 * @example
 * const source = createUiMapSource(uiMap);
 * const { paths } = await source.find({ productId: 'acme', query: '¿cómo invito a alguien?', language: 'es', page: '/dashboard', pageTitle: 'Dashboard' });
 */
export function createUiMapSource(map: Pick<UiMap, 'known'>, options: { onError?: (error: unknown) => void } = {}): KnowledgeSource {
  return {
    async find(question: KnowledgeQuestion): Promise<Partial<ProductKnowledge>> {
      try {
        const known = await map.known(question.productId);
        const paths = pathsFor(known, question);
        if (!question.openLabel) return { paths };
        // What is open, after what the message found: a path through it names the control that finishes it.
        const through = pathsFor(known, { ...question, query: question.openLabel }).filter((path) => !paths.some((found) => found.goal === path.goal && found.steps.length === path.steps.length));
        return { paths: [...paths, ...through.slice(0, 1)] };
      } catch (error) {
        options.onError?.(error);
        return { paths: [] };
      }
    },
  };
}
