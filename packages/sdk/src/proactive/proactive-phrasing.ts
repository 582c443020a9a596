/**
 * Offers phrased by a language model (docs/proactive.md, "Phrasing by the model"): the prompt gives the model the
 * facts a trigger saw and the labels it may name, and the check below takes its answer only when it is short, plain and
 * grounded (it names a label of the state, and every label it quotes is one). Anything else keeps the template, so a
 * model that invents a page or writes a paragraph never reaches the user.
 */
import { MAX_PROACTIVE_MESSAGE_CHARS } from './playbook.ts';
import type { ProactiveMessage } from './proactive-text.ts';
import type { ProactiveFacts, ProactiveProposal } from './proactive-trigger.ts';

/** A chat request for the model: a system prompt and one user message. */
export interface ProactivePhrasingPrompt {
  system: string;
  prompt: string;
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', es: 'Spanish', fr: 'French', de: 'German', pt: 'Portuguese' };

/** The labels of the product a trigger saw (pages, a container, a button), without blanks or repeats. */
export function proactiveLabels(facts: ProactiveFacts): string[] {
  const labels: Array<string | null> = [];
  switch (facts.kind) {
    case 'back_and_forth':
      labels.push(...facts.pages);
      break;
    case 'page_dwell':
      labels.push(facts.page);
      break;
    case 'container_idle':
      labels.push(facts.container.label, facts.page);
      break;
    case 'repeated_failure':
      labels.push(facts.label, facts.page);
      break;
    case 'playbook':
      labels.push(facts.page, facts.container);
      break;
  }
  const unique = new Map<string, string>();
  for (const label of labels) {
    const trimmed = (label ?? '').trim();
    if (trimmed !== '' && !unique.has(trimmed.toLowerCase())) unique.set(trimmed.toLowerCase(), trimmed);
  }
  return [...unique.values()];
}

function situation(facts: ProactiveFacts): string {
  switch (facts.kind) {
    case 'back_and_forth':
      return `The user went back and forth between two pages ${facts.cycles} times without settling.`;
    case 'page_dwell':
      return `The user has stayed on one page for ${facts.seconds} seconds with few actions.`;
    case 'container_idle':
      return `The user opened a ${facts.container.kind} and left it for ${facts.seconds} seconds without confirming.`;
    case 'repeated_failure':
      return facts.failure === 'submit'
        ? `The user submitted a form ${facts.count} times and it came back each time.`
        : `The user clicked something ${facts.count} times and nothing seemed to happen.`;
    case 'playbook':
      return 'The user reached a part of the product where the team offers help.';
  }
}

/**
 * The request that asks a model to phrase an offer in the message's language, from the facts and the labels only.
 *
 * @example
 * const { system, prompt } = proactivePhrasingPrompt(proposal, proactiveMessage(proposal, ['en']));
 */
export function proactivePhrasingPrompt(proposal: ProactiveProposal, message: ProactiveMessage): ProactivePhrasingPrompt {
  const language = LANGUAGE_NAMES[message.language.slice(0, 2).toLowerCase()] ?? message.language;
  const labels = proactiveLabels(proposal.facts);
  const system = [
    "You write the one message a product's in-app assistant shows to offer help before the user asks.",
    `Write in ${language}. At most ${MAX_PROACTIVE_MESSAGE_CHARS} characters, one or two short sentences, friendly and plain.`,
    'Name only the labels listed by the user message, spelled exactly as listed, and name at least one. Never name any other page, button, feature or step, and never guess why the user is stuck.',
    'No greeting, no emoji, no links, no quotes around the whole message. Answer with the message only.',
  ].join('\n');
  const prompt = [
    situation(proposal.facts),
    `Labels you may name: ${labels.map((label) => JSON.stringify(label)).join(', ') || '(none)'}.`,
    `The standard wording, to improve on or keep: ${message.text}`,
  ].join('\n');
  return { system, prompt };
}

/** Spans in quotation marks: "…", “…”, «…», „…“, and '…' or ‘…’ when they stand apart from words (not "don't"). */
const QUOTED = /"([^"]+)"|“([^”]+)”|«\s*([^»]+?)\s*»|„([^“”]+)[“”]|(?:^|[\s(])'([^']+)'(?=[\s.,!?;:)]|$)|‘([^’]+)’/gu;
const LINK = /https?:\/\/|www\.|\.(?:com|io|net|org)\b/i;

/**
 * The model's answer made ready to send, or null when it may not be: empty, longer than 150 characters, holding a link
 * or markup, naming no label of the state, or quoting anything that is not one.
 *
 * @example
 * acceptPhrasing('Stuck between Billing and Team? I can point you to the right place.', proposal); // the text
 * acceptPhrasing('Try the Reports page!', proposal); // null: names no label of the state
 */
export function acceptPhrasing(candidate: string, proposal: ProactiveProposal): string | null {
  let text = candidate.replace(/\s+/g, ' ').trim();
  // Models often wrap the whole answer in quotes.
  const wrapped = /^(["“«'‘])(.*)(["”»'’])$/u.exec(text);
  if (wrapped && !wrapped[2]!.includes(wrapped[1]!)) text = wrapped[2]!.trim();
  if (text === '' || text.length > MAX_PROACTIVE_MESSAGE_CHARS) return null;
  if (LINK.test(text) || /[<>{}[\]`*#]/.test(text)) return null;
  const labels = proactiveLabels(proposal.facts).map((label) => label.toLowerCase());
  const lower = text.toLowerCase();
  if (labels.length > 0 && !labels.some((label) => lower.includes(label))) return null;
  for (const match of text.matchAll(QUOTED)) {
    const quoted = match.slice(1).find((group) => group !== undefined)!.trim().toLowerCase();
    if (!labels.includes(quoted)) return null;
  }
  return text;
}
