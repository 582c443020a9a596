/**
 * The `llm` function handed to the SDK's SessionSummarizer: the configured model, or an extractive summary when
 * there is none, so long sessions are condensed without any key too.
 */
import type { ChatModel } from '../llm/chat-model.ts';
import { pageNameFromUrl } from '../prompts/activity-facts.ts';

/** One action line of the summarizer prompt: "1. [0] click: User clicked X on the Team page — /team". */
const ACTION_LINE = /^\s*\d+\.\s*\[(\d+)\]\s*([\w-]*)\s*:\s*(.*?)\s*$/;
const ON_PAGE = /\bon the (.+?) page\b/i;
const CLICKED = /\b(?:clicked|pressed|tapped|selected)\s+(?:on\s+)?(?:the\s+)?['"‘“]?(.+?)['"’”]?(?:\s+(?:button|link|tab))?(?:\s+on the .+? page)?$/i;
const SUBMITTED = /\bsubmitted\s+(?:the\s+)?['"‘“]?(.+?)['"’”]?(?:\s+form)?(?:\s+on the .+? page)?$/i;

interface ParsedLine {
  type: string;
  description: string;
  url: string;
}

/** Splits "description — url" on the last em dash, since descriptions may themselves contain dashes. */
function parseLine(line: string): ParsedLine | null {
  const match = ACTION_LINE.exec(line);
  if (!match) return null;
  const rest = match[3]!;
  const dash = rest.lastIndexOf(' — ');
  const description = (dash >= 0 ? rest.slice(0, dash) : rest).trim();
  const url = dash >= 0 ? rest.slice(dash + 3).trim() : '';
  return { type: match[2]!.toLowerCase(), description, url };
}

function listInOrder(items: readonly string[], limit: number): string {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, limit);
  const more = unique.length - shown.length;
  const head = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
  return more > 0 ? `${head} (and ${more} more)` : head;
}

/**
 * A deterministic summary of the action lines in a summarizer prompt (wire-contract §10.2 lines): the pages visited,
 * the elements used, and the last action. Two or three sentences, like the model's summary would be.
 *
 * @example
 * extractiveSummary('Actions:\n1. [0] pageview: User viewed the Team page — /team\n2. [1] click: User clicked Invite member on the Team page — /team\nSummary:');
 * // "The user visited the Team page. They clicked Invite member. Most recently: User clicked Invite member on the Team page."
 */
export function extractiveSummary(prompt: string): string {
  const lines = prompt.split('\n').map(parseLine).filter((line): line is ParsedLine => line !== null);
  if (lines.length === 0) return 'No user actions were recorded in this part of the session.';
  const pages: string[] = [];
  const used: string[] = [];
  const submitted: string[] = [];
  for (const line of lines) {
    const page = ON_PAGE.exec(line.description)?.[1] ?? (line.url ? pageNameFromUrl(line.url) : null);
    if (page) pages.push(page);
    if (line.type === 'submit') {
      const form = SUBMITTED.exec(line.description)?.[1];
      if (form) submitted.push(form);
    } else if (line.type === 'click') {
      const element = CLICKED.exec(line.description)?.[1];
      if (element) used.push(element);
    }
  }
  const sentences: string[] = [];
  if (pages.length > 0) {
    const unique = new Set(pages).size;
    sentences.push(`The user visited the ${listInOrder(pages, 5)} page${unique > 1 ? 's' : ''}.`);
  }
  const did: string[] = [];
  if (used.length > 0) did.push(`clicked ${listInOrder(used, 6)}`);
  if (submitted.length > 0) did.push(`submitted ${listInOrder(submitted, 3)}`);
  if (did.length > 0) sentences.push(`They ${did.join(' and ')}.`);
  const last = lines.at(-1)!;
  if (last.description) sentences.push(`Most recently: ${last.description.replace(/\.$/, '')}.`);
  if (sentences.length === 0) sentences.push(`The user performed ${lines.length} actions.`);
  return sentences.join(' ');
}

/** The system prompt for summaries; the summarizer's own prompt carries the instructions and the actions. */
const SUMMARY_SYSTEM = 'You summarise what a user did in a web product, factually and briefly, for another assistant to read.';

/**
 * The function to pass as `llm` to the SDK's `SessionSummarizer`: `model` with temperature 0.2 and at most 200
 * output tokens, or {@link extractiveSummary} when `model` is `null` (offline). Model failures reject, so the
 * summarizer keeps the actions and retries later.
 *
 * @example
 * new SessionSummarizer({ llm: createSummaryLlm(createChatModel(settings)), threshold: 10 });
 */
export function createSummaryLlm(model: ChatModel | null): (prompt: string) => Promise<string> {
  if (!model) return (prompt) => Promise.resolve(extractiveSummary(prompt));
  return (prompt) => model({ system: SUMMARY_SYSTEM, prompt, temperature: 0.2, maxOutputTokens: 200 });
}
