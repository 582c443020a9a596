/** The places a label matching a question was seen (here, in an earlier step, on a page), and the best of them. */
import type { ActivityState, ActivityStep } from '@sightline/sdk';
import type { HereKind } from './phrase-book.ts';
import { pageRef, showable, type Situation } from './situation.ts';
import { isTopicMatch, topicRank } from './topic-match.ts';

/** The control that opened the container a step sat in: the step before the run of steps in that container. */
function openerOf(steps: readonly ActivityStep[], index: number): string | null {
  const container = steps[index]?.container?.label;
  if (!container) return null;
  let start = index;
  while (start > 0 && steps[start - 1]!.container?.label === container) start--;
  const before = steps[start - 1];
  return before && before.page === steps[index]!.page ? showable(before.label) : null;
}

/** A place where a label matching the question was seen; `label` is what is matched, pages are page references. */
export type Candidate =
  | { where: 'here'; label: string; shown: string; kind: HereKind }
  | { where: 'step'; label: string; page: string | null; opener: string | null; isOtherTab: boolean; isContainer: boolean }
  | { where: 'page'; label: string; shown: string; isOtherTab: boolean };

export function candidates(tabs: readonly ActivityState[], situation: Situation): Candidate[] {
  const found: Candidate[] = [];
  const { place } = situation;
  const open = place.open;
  const here = tabs[0];
  for (const label of [open?.label, open?.openedBy]) if (label) found.push({ where: 'here', label, shown: label, kind: 'open' });
  for (const label of [...(open?.fields ?? []), ...(open?.choices ?? []), ...situation.earlierChoices]) found.push({ where: 'here', label, shown: label, kind: 'inside' });
  const title = showable(here?.page?.title);
  if (title && place.page) found.push({ where: 'here', label: title, shown: place.page, kind: 'page' });
  tabs.forEach((tab, tabIndex) => {
    const isOtherTab = tabIndex > 0;
    const steps = tab.recentSteps;
    for (let index = steps.length - 1; index >= 0; index--) {
      const step = steps[index]!;
      const isInOpen = !isOtherTab && tab.open !== null && step.at >= tab.open.openedAt && step.page === tab.page?.title && step.container?.label === tab.open.label;
      const containerLabel = showable(step.container?.label);
      for (const label of [showable(step.choice), showable(step.label), containerLabel]) {
        if (!label) continue;
        if (isInOpen) found.push({ where: 'here', label, shown: label, kind: 'inside' });
        else found.push({ where: 'step', label, page: pageRef(step.page, step.path), opener: openerOf(steps, index), isOtherTab, isContainer: label === containerLabel });
      }
    }
    for (const visit of [...tab.recentPages].reverse()) {
      const shown = pageRef(visit.title, visit.path);
      if (shown) found.push({ where: 'page', label: visit.title, shown, isOtherTab });
    }
  });
  return found;
}

/** The best place for a topic: the highest score, the current place and the most recent first on ties. */
export function bestCandidate(topic: readonly string[], all: readonly Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  let bestScore = 0;
  for (const candidate of all) {
    if (!isTopicMatch(topic, candidate.label)) continue;
    const score = topicRank(topic, candidate.label);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
