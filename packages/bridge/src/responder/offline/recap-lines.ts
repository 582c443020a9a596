/** What the user did on each page, grouped into the lines of a recap. */
import type { ActivityState, ActivityStep } from '@sightline/sdk';
import type { Deed, DeedGroup, RecapLine } from './phrase-book.ts';
import { pageRef, showable } from './situation.ts';

const MAX_DEEDS_PER_LINE = 3;
const MAX_LABELS_PER_DEED = 3;

/** One page's deeds: by kind (first use first), each label once with its count. */
type PageDeeds = Map<Deed['kind'], Map<string, number>>;

function groupsOf(deeds: PageDeeds): DeedGroup[] {
  const groups: DeedGroup[] = [];
  for (const [kind, labels] of deeds) {
    const items = [...labels].map(([label, count]) => ({ label, count }));
    const shown = items.slice(-MAX_LABELS_PER_DEED);
    groups.push({ kind, items: shown, more: items.length - shown.length });
  }
  return groups.slice(-MAX_DEEDS_PER_LINE);
}

/** What was done on each page, for a recap: pages in order of their last visit, pages with the same deeds merged. */
export function recapLines(tab: ActivityState): { lines: RecapLine[]; pageCount: number } {
  const byPage = new Map<string, PageDeeds>();
  const touch = (page: string) => {
    const deeds = byPage.get(page) ?? new Map();
    byPage.delete(page);
    byPage.set(page, deeds);
    return deeds;
  };
  const visits = tab.recentPages.map((visit) => ({ page: pageRef(visit.title, visit.path), at: visit.enteredAt }));
  let visitIndex = 0;
  const visitUntil = (at: number) => {
    for (; visitIndex < visits.length && visits[visitIndex]!.at <= at; visitIndex++) {
      const page = visits[visitIndex]!.page;
      if (page) touch(page);
    }
  };
  for (const step of tab.recentSteps) {
    visitUntil(step.at);
    const page = pageRef(step.page, step.path);
    const deed = deedOf(step);
    if (!page) continue;
    const deeds = touch(page);
    if (!deed) continue;
    const labels = deeds.get(deed.kind) ?? new Map<string, number>();
    labels.set(deed.label, (labels.get(deed.label) ?? 0) + 1);
    deeds.set(deed.kind, labels);
  }
  visitUntil(Number.POSITIVE_INFINITY);
  const here = pageRef(tab.page?.title, tab.page?.path);
  const lines: RecapLine[] = [];
  const signatures: string[] = [];
  for (const [page, deeds] of byPage) {
    const groups = groupsOf(deeds);
    if (page === here && groups.length === 0) continue;
    const signature = JSON.stringify(groups);
    const same = groups.length > 0 ? signatures.indexOf(signature) : -1;
    const pages = same >= 0 ? [...lines[same]!.pages, page] : [page];
    if (same >= 0) {
      signatures.splice(same, 1);
      lines.splice(same, 1);
    }
    signatures.push(signature);
    lines.push({ pages, deeds: groups });
  }
  return { lines, pageCount: byPage.size };
}

function deedOf(step: ActivityStep): Deed | null {
  const label = showable(step.label);
  const area = showable(step.container?.label);
  switch (step.step) {
    case 'choose': {
      const choice = showable(step.choice) ?? label;
      return choice ? { kind: 'picked', label: choice, count: 1 } : null;
    }
    case 'type':
      return label ? { kind: 'filled', label, count: 1 } : null;
    case 'submit':
      return area ?? label ? { kind: area ? 'finished' : 'used', label: (area ?? label)!, count: 1 } : null;
    case 'dismiss':
      return area ? { kind: 'closed', label: area, count: 1 } : label ? { kind: 'used', label, count: 1 } : null;
    case 'navigate':
      return label ? { kind: 'opened', label, count: 1 } : null;
    case 'failed':
      return null;
    default:
      if (!label) return null;
      return { kind: step.role === 'link' || step.role === 'menuitem' ? 'opened' : 'used', label, count: 1 };
  }
}
