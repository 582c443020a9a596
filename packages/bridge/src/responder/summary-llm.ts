/**
 * The `llm` function handed to the SDK's SessionSummarizer: the configured model, or an extractive summary when
 * there is none, so long sessions are condensed without any key too. The extractive summary is built from the
 * summarizer's structured input (the actions as data and the story so far), never from its prompt text.
 */
import { type SlimAction } from '@sightline/protocol';
import { redactDocument } from '@sightline/protocol/internal';
import { foldSummary, structureOf, type LlmFunction, type NormalisedStructure, type SummaryInput } from '@sightline/sdk';
import type { ChatModel } from '../llm/chat-model.ts';
import { joinList, quote } from '../prompts/prompt-text.ts';


const NO_ACTIONS = 'No user actions were recorded in this part of the session.';

/** A run of pages visited one after the other, or one other step. */
type Phrase = { pages: string[] } | { text: string };

/** The label of the dialog or drawer an action sits in, or null. */
function dialogOf(structure: NormalisedStructure): string | null {
  const container = structure.container;
  return container && (container.kind === 'dialog' || container.kind === 'drawer') ? container.label || null : null;
}

/**
 * The steps of a chunk that matter, in the order they happened: pages visited (consecutive visits in one list),
 * dialogs and drawers opened (by their name, else by what opened them), choices made, flows finished, dialogs
 * closed without finishing. Plain clicks are named only when nothing else happened. Every action is read through
 * the SDK's `structureOf`, so Autoplay's prose actions are understood by the project's one adapter; their choices
 * and form labels are left out, since in that prose they are field names and form ids, not labels people see.
 */
function phrasesOf(actions: readonly SlimAction[]): Phrase[] {
  const phrases: Phrase[] = [];
  const clicked: string[] = [];
  let lastPage: string | null = null;
  let openDialog: string | null = null;
  let pendingOpener: string | null = null;
  const addText = (text: string) => {
    const last = phrases.at(-1);
    if (!(last && 'text' in last && last.text === text)) phrases.push({ text });
  };
  const addPage = (page: string) => {
    const last = phrases.at(-1);
    if (last && 'pages' in last) last.pages.push(page);
    else phrases.push({ pages: [page] });
  };
  const flushOpener = () => {
    if (pendingOpener !== null) addText(`opened ${quote(pendingOpener)}`);
    pendingOpener = null;
  };

  for (const action of actions) {
    const structure = structureOf(action);
    const fromWire = Boolean(action.step);
    const page = structure.page?.title.trim() || null;
    if (page && page !== lastPage) {
      flushOpener();
      addPage(page);
      lastPage = page;
      openDialog = null;
    }
    const dialog = dialogOf(structure);
    if (dialog && dialog !== openDialog) {
      // The dialog's own name says more than the button that opened it.
      pendingOpener = null;
      addText(`opened ${quote(dialog)}`);
      openDialog = dialog;
    } else flushOpener();
    const label = structure.target?.label || null;
    switch (structure.step) {
      case 'open':
        if (label) pendingOpener = label;
        break;
      case 'choose':
        if (structure.choice && fromWire) addText(`chose ${quote(structure.choice)}`);
        break;
      case 'submit': {
        const flow = structure.container?.label || (fromWire ? label : null);
        addText(flow ? `finished ${quote(flow)}` : 'submitted a form');
        openDialog = null;
        break;
      }
      case 'dismiss':
        if (openDialog) addText(`closed ${quote(openDialog)} without finishing`);
        openDialog = null;
        break;
      case 'click':
        if (label) clicked.push(label);
        break;
      default:
        break;
    }
  }
  flushOpener();
  if (phrases.length === 0 && clicked.length > 0) addText(`clicked ${joinList([...new Set(clicked)].map(quote))}`);
  return phrases;
}

/** One sentence for a chunk of actions ("Visited Team and Billing; opened 'Upgrade plan'; chose 'Business'."), or null. */
function describeActions(actions: readonly SlimAction[]): string | null {
  const parts = phrasesOf(actions).map((phrase) => ('pages' in phrase ? `visited ${joinList(phrase.pages)}` : phrase.text));
  if (parts.length === 0) return null;
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${/[.!?]$/.test(sentence) ? '' : '.'}`;
}

/**
 * A deterministic summary from the summarizer's structured input: the story so far, continued with one sentence
 * about the new actions, at most the SDK's `STORY_MAX_CHARS` long (the earliest sentences and the newest
 * are kept, the middle gives way). Sentences have no subject ("Visited Billing; opened 'Upgrade plan'"), so the
 * offline recap can quote them to the user as they are.
 *
 * @example
 * extractiveSummary({ previousSummary: 'Visited Team; opened \'Invite member\'.', actions: upgradeSteps, productId: 'acme', sessionId: 's1' });
 * // "Visited Team; opened 'Invite member'. Visited Billing; opened 'Upgrade plan'; chose 'Business'."
 */
export function extractiveSummary(input: SummaryInput): string {
  const newest = describeActions(input.actions);
  const story = input.previousSummary?.trim() || null;
  if (newest === null) return story === null ? NO_ACTIONS : redactDocument(story);
  return redactDocument(foldSummary(story, newest));
}

/** The system prompt for summaries; the summarizer's own prompt carries the instructions and the actions. */
const SUMMARY_SYSTEM = 'You summarise what a user did in a web product, factually and briefly, for another assistant to read.';

/**
 * The function to pass as `llm` to the SDK's `SessionSummarizer`: `model` with temperature 0.2 and at most 300
 * output tokens (a story of up to six sentences), or {@link extractiveSummary} of the summarizer's structured
 * input when `model` is `null` (offline). Model failures reject, so the summarizer keeps the actions and retries
 * later; so does an offline call without the structured input (only the summarizer calls it, and it always
 * passes one).
 *
 * @example
 * new SessionSummarizer({ llm: createSummaryLlm(createChatModel(settings)), threshold: 10 });
 */
export function createSummaryLlm(model: ChatModel | null): LlmFunction {
  if (!model) {
    return (_prompt, input) =>
      input ? Promise.resolve(extractiveSummary(input)) : Promise.reject(new Error('the offline summary needs the summarizer\'s structured input'));
  }
  // The prompt and the summary are both redacted: the summary is stored, and read back into every reply prompt.
  return async (prompt) => redactDocument(await model({ system: SUMMARY_SYSTEM, prompt: redactDocument(prompt), temperature: 0.2, maxOutputTokens: 300 }));
}
