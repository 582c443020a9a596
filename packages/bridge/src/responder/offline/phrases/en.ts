/** The offline responder's sentences in English. */
import { CONTAINER_NOUNS } from '@sightline/protocol/internal';
import { joinList, quote } from '../../../prompts/prompt-text.ts';
import { isConfirmable, joinLast, type DeedGroup, type PhraseBook, type PathStepView } from '../phrase-book.ts';
import type { OpenPlace, Place } from '../situation.ts';

const NOUN = CONTAINER_NOUNS;

const list = (labels: readonly string[]) => joinList(labels.map(quote), 'and');

/** "the 'New event' dialog", "the dialog you opened with 'Add'", "a dialog". */
function container(open: OpenPlace): string {
  const noun = NOUN[open.kind];
  if (open.label) return `the '${open.label}' ${noun}${open.openedBy ? ` you opened with '${open.openedBy}'` : ''}`;
  if (open.openedBy) return `the ${noun} you opened with '${open.openedBy}'`;
  return `a ${noun}`;
}

function times(count: number): string {
  if (count <= 1) return '';
  return count === 2 ? ' twice' : ` ${count} times`;
}

function deed(item: DeedGroup): string {
  const labels = item.items.map((one) => `'${one.label}'${times(one.count)}`);
  const label = joinList(item.more > 0 ? [...labels, `${item.more} more`] : labels, 'and');
  switch (item.kind) {
    case 'opened':
      return `opened ${label}`;
    case 'picked':
      return `picked ${label}`;
    case 'filled':
      return `filled in ${label}`;
    case 'finished':
      return `finished ${label}`;
    case 'closed':
      return `closed ${label} without finishing it`;
    default:
      return `used ${label}`;
  }
}

function pages(titles: readonly string[]): string {
  return joinLast(titles, 3, 'and', (count) => `${count} more`);
}

function youAre(place: Place): string {
  const page = place.page ? `on the ${place.page} page` : null;
  const open = place.open ? `in ${container(place.open)}` : null;
  if (page && open) return `You’re ${page}, ${open}.`;
  if (page || open) return `You’re ${page ?? open}.`;
  return 'I can see your activity, but not which page you’re on right now.';
}

/** Names of the help center's languages, for "(in English)". */
const LANGUAGE_NAMES: Record<string, string> = { en: 'English', es: 'Spanish', fr: 'French', de: 'German', pt: 'Portuguese' };

const PATH_VERBS: Record<PathStepView['kind'], string> = { navigate: 'go to', click: 'click', open: 'open', submit: 'finish with' };

/** " (in English)" for a known language, else ''. */
function inLanguage(language: string | null, preposition: string): string {
  const name = language ? LANGUAGE_NAMES[language] : undefined;
  return name ? ` (${preposition} ${name})` : '';
}

function pathSteps(steps: readonly PathStepView[]): string {
  return steps.map((step) => `${step.isRecord ? 'open one of the' : PATH_VERBS[step.kind]} ${quote(step.label)}`).join(', then ');
}

function labelSteps(steps: readonly (readonly string[])[]): string {
  return steps.map((labels) => joinList(labels.map(quote), 'and')).join(', then ');
}

export const en: PhraseBook = {
  language: 'en',
  offlineNote: '(I answer without a language model, from what you do in the product.)',
  noActivity: 'I can’t see any activity from you in the product yet, so I can’t tell where you are.',
  hello: (firstName) => (firstName ? `Hi ${firstName}!` : 'Hi!'),
  askMe: 'Ask me what to do next, or how to do something here.',
  welcome: 'You’re welcome! Ask me anytime if you get stuck.',
  about:
    'I’m the assistant of this product. Right now I answer without a language model, with fixed rules, from what you do in the product: where you are, what you just did and what comes next.',
  unrelated:
    'I can only help with this product and what you’re doing in it, so I can’t answer that one. Ask me what to do next, or how to do something here.',
  outOfScope: 'Without a language model I can only help with where you are in the product and what to do next.',
  youAre,
  progress(open) {
    const parts: string[] = [];
    if (open.fields.length > 0) parts.push(`filled in ${list(open.fields)}`);
    if (open.choices.length > 0) parts.push(`picked ${list(open.choices)}`);
    return parts.length > 0 ? `So far you’ve ${parts.join(' and ')}.` : '';
  },
  pickedBefore: (choices) => `Before that, you picked ${list(choices)}.`,
  finishOpen(open, finisher) {
    if (open.kind === 'menu') return 'Pick the option you want in it.';
    if (!isConfirmable(open.kind)) return 'Carry on there; when you’re done, confirm your changes with the button for it.';
    const rest = 'Fill in anything that’s still missing, then';
    if (finisher) return `${rest} finish with '${finisher}'.`;
    return open.kind === 'form'
      ? `${rest} use the button that confirms it at the end of the form.`
      : `${rest} use the button that confirms it at the bottom of the ${NOUN[open.kind]}.`;
  },
  finisherUsedStillOpen: (open, finisher) =>
    `You already used '${finisher}', but the ${NOUN[open.kind]} is still open: a required field may be empty or show an error. Check the fields, fix what’s marked, then try again.`,
  lastUsed: (label) => `Your last step was '${label}'.`,
  justOpened: (label) => `Your last step was '${label}', so what it opens should be in front of you: fill it in, then confirm with its button.`,
  reachedWith: (label) => `You’re already where '${label}' leads, so the next step is on this page.`,
  carryOn: 'Tell me what you want to do here and I’ll point you to it.',
  backAndForth: (first, second) => `You’ve gone back and forth between the ${first} and ${second} pages; tell me what you’re looking for and I’ll point you to it.`,
  completed(flow, here) {
    const what = flow.name && flow.by ? `you finished '${flow.name}' with '${flow.by}'` : flow.name ? `you finished '${flow.name}'` : flow.by ? `you used '${flow.by}'` : 'your form went through';
    const moved = flow.ledTo && flow.ledTo !== flow.page ? flow.ledTo : null;
    const where = moved ? ` and you’re now on the ${moved} page` : here ? ` and you’re back on the ${here} page` : '';
    return `It looks like that worked: ${what}${where}.`;
  },
  checkResult: (here) =>
    `Check${here ? ` on the ${here} page` : ''} that the result looks right; if something is missing, tell me what you see.`,
  dismissed: (flow) => (flow.name ? `You closed '${flow.name}' without finishing it.` : 'You closed that step without finishing it.'),
  reopen(flow) {
    if (flow.openedBy && flow.page) return `To pick it up again, use '${flow.openedBy}' on the ${flow.page} page.`;
    if (flow.openedBy) return `To pick it up again, use '${flow.openedBy}' again.`;
    return flow.page ? `To pick it up again, start it again from the ${flow.page} page.` : 'To pick it up again, start it again from where you opened it.';
  },
  failedClick(failure) {
    const where = failure.area ? ` in '${failure.area}'` : '';
    if (!failure.label) return `It looks like your last clicks${where} didn’t do anything.`;
    return `It looks like '${failure.label}'${where} didn’t do anything when you clicked it${failure.count > 1 ? ', even after several tries' : ''}.`;
  },
  failedHint: (isInOpen) =>
    `Something before it is probably missing: a required field that’s still empty${isInOpen ? ' in this step' : ''}, or an earlier step that isn’t done yet. Check what’s above it, then try again.`,
  noFailure: 'I can’t see anything that failed in your activity: your last steps went through.',
  alreadyHere(label, kind, open) {
    if (kind === 'page') return `You’re already on the ${label} page.`;
    if (kind === 'open') return `You’re already in '${label}'.`;
    return open ? `'${label}' is in ${container(open)}, where you are now.` : `'${label}' is on this page.`;
  },
  seenElsewhere(seen) {
    const where = seen.isThisPage ? ' on this page' : seen.page ? ` on the ${seen.page} page` : '';
    const tab = seen.isOtherTab ? ' in your other tab' : '';
    const first = seen.isContainer
      ? `Earlier you were in '${seen.label}'${where}${tab}, which looks like the place for that.`
      : `Earlier you used '${seen.label}'${where}${tab}, which looks like the place for that.`;
    const close = seen.closeFirst ? `close ${container(seen.closeFirst)}, then ` : '';
    const control = seen.opener ?? (seen.isContainer ? null : seen.label);
    const back = seen.page ? ` to the ${seen.page} page` : '';
    const route = control
      ? seen.isThisPage ? `${close}use '${control}' on this page` : `${close}go back${back} and use '${control}' there`
      : seen.isThisPage ? `${close}open it again from this page` : `${close}go back${back} and open it again from there`;
    return `${first} To get there, ${route}.`;
  },
  doAgain(flow) {
    const done = flow.name ? `You just finished '${flow.name}'.` : 'You just finished that step.';
    if (flow.openedBy) return `${done} To do another one, use '${flow.openedBy}' again${flow.page ? ` on the ${flow.page} page` : ''}.`;
    return `${done} To do another one, open it again${flow.page ? ` from the ${flow.page} page` : ''}.`;
  },
  pageSeen: (page, isOtherTab, closeFirst) =>
    `You were on the ${page} page earlier${isOtherTab ? ' in your other tab' : ''}, which looks like the place for that. ${closeFirst ? `Close ${container(closeFirst)} and go back there.` : 'Go back there to carry on.'}`,
  notSeen: (topic) =>
    `I can’t see ${topic ? `'${topic}'` : 'that'} in what you’ve used so far, so I can’t point you to the exact place.`,
  lookInOpen: (open) => `If it belongs to this step, look for it in this ${NOUN[open.kind]}.`,
  otherTab: (page) => `In another tab you’re on the ${page} page.`,
  pathAnswer: (steps, from, isDemoData) => `${isDemoData ? 'The demo’s simulated users do it' : 'Other users do it'} like this${from ? ` from the ${from} page` : ''}: ${pathSteps(steps)}.`,
  skipDone(done) {
    const skip = done.isNumbered ? `skip ${done.count === 1 ? 'step 1' : `the first ${done.count} steps`}` : 'that part is done';
    return done.kind === 'page' ? `You’re already on the ${done.here} page, so ${skip}.` : `You already have '${done.here}' open, so ${skip}.`;
  },
  articleSteps: (title, lines) => `The help article '${title}' says:\n\n${lines.join('\n')}`,
  articleLabels: (title, language, steps) => `The help article '${title}'${inLanguage(language, 'in')} goes through ${labelSteps(steps)}.`,
  articleAbout: (title, excerpt, language) => (excerpt ? `The help article '${title}' says: ${excerpt}` : `The help article '${title}'${inLanguage(language, 'in')} covers this.`),
  recapIntro: 'Here’s what you’ve done so far:',
  recapStory: (story) => `- Earlier: ${story}`,
  recapLine(line) {
    const where = line.pages.length > 0 ? `On ${pages(line.pages)}` : 'Elsewhere';
    return line.deeds.length > 0 ? `- ${where}: ${joinList(line.deeds.map(deed), 'and')}.` : `- You looked at ${pages(line.pages)}.`;
  },
  recapEarlier: (count) => `- Before that, ${count === 1 ? 'one other page' : `${count} other pages`}.`,
  recapNow: (place) => `Now: ${youAre(place).replace(/^You’re/, 'you’re')}`,
};
