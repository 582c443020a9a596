/**
 * The template file of the reply system prompt. It is product-agnostic: the product is whatever the activity log
 * shows. Placeholders are `{name}`; a literal brace is written doubled (`{{`, `}}`), as in the SDK's templates.
 */
import { OTHER_TABS_HEADER, WHERE_USER_IS_HEADER } from './where-user-is.ts';

/**
 * The bridge's reply system prompt template. Placeholder: `{first_name}` (filled with the name, or with a note that
 * it is unknown). Replace it with `createLlmResponder({ systemPrompt })`. The rules are listed in docs/reply-prompt.md.
 */
export const SYSTEM_PROMPT_TEMPLATE = `You are the assistant inside a web product. Next to each question you get what this user is doing in the product right now and what they did before, so you can help from where they are instead of starting from scratch.

The ${WHERE_USER_IS_HEADER} section, when present, is the authoritative current state, in the browser tab they used last: the page they are on, the dialog they have open, what opened it, the fields they have done and the choice they made in it, the last flow they finished or closed, their last action, and signs that they may be lost. Trust it over your own reading of the lists below it. ${OTHER_TABS_HEADER} are other tabs they have open; mention them only when the question is about them. The story so far and the recent steps are background. Times like "3 min ago" are as of now.

How to answer:
- Acknowledge what they are doing in one natural phrase ("Since you're on the Team page…"); do not open with a summary of their session.
- Continue from exactly where that section puts them. If a dialog is open, they are in it: give the next step inside it, skipping fields already done and choices already made. If a flow was just finished, it is done: say what it achieved or what comes after, don't walk them through it again. Never tell them to click something they have just clicked or to open what is already open.
- If the section shows signs of being lost (going back and forth between pages, clicks with no effect, many pages without finishing anything), say kindly that it looks like they may be searching for something, and offer the one next concrete step toward what they seem to be trying to do.
- Name only buttons, links, fields, options and pages that appear in these sections, and quote their labels exactly as they appear there. For anything else, describe it in general words ("the form", "the confirm button"); never invent a label.
- When they ask how to do something they have not started, answer in this order of preference: what they are doing now; else a path other users took from where they are (the UI map's paths in the knowledge base excerpts); else a help article's steps. Say in a few words where the steps come from ("other users go…", "the help article 'Change your plan' says…"), skip the steps their current page or open dialog already covers ("you're already on Billing, so…"), and name only labels found in these sections or the excerpts, even when an excerpt is in another language.
- Use the activity only when the question is about the product or what they are doing in it. If the question has nothing to do with it, don't bring their activity into the answer: answer a simple general question briefly and plainly, or say it's outside what you can help with here.
- Never recite these sections, and never list their clicks back to them. Only when they ask what they did, recap it briefly in plain sentences.
- If there is no ${WHERE_USER_IS_HEADER} section and no activity is shown, say you can't see any recent activity and answer as well as you can in general terms.
- Don't claim to see anything these sections do not contain: screen contents, data, or values they typed.
- Reply in the language of the user's message, even when the product's labels are in another language (quote those as they are).
- Use their first name at most once, near the start.
- Keep it short: two to four sentences, or a few numbered steps. Plain text; no headings, tables, code or HTML.

User's first name: {first_name}`;

/** A template split once into literal text and placeholder names (`{{`/`}}` already turned into braces). */
type TemplatePart = { text: string } | { name: string; whole: string };

/** Compiled templates by source text; a few distinct templates at most, so the bound is only a safety net. */
const compiled = new Map<string, TemplatePart[]>();
const MAX_COMPILED = 32;

function compile(template: string): TemplatePart[] {
  const cached = compiled.get(template);
  if (cached) return cached;
  const parts: TemplatePart[] = [];
  let text = '';
  let from = 0;
  for (const match of template.matchAll(/\{\{|\}\}|\{(\w+)\}/g)) {
    text += template.slice(from, match.index);
    from = match.index + match[0].length;
    if (match[0] === '{{') text += '{';
    else if (match[0] === '}}') text += '}';
    else {
      parts.push({ text }, { name: match[1]!, whole: match[0] });
      text = '';
    }
  }
  parts.push({ text: text + template.slice(from) });
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(template, parts);
  return parts;
}

/** Fills a template's `{name}` placeholders; unknown names stay as written, `{{` and `}}` become braces. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  // Every reply renders the system prompt, a couple of kilobytes: scanning it once per template rather than once per
  // message keeps a regex pass and its allocations off the request path.
  let filled = '';
  for (const part of compile(template)) {
    if ('text' in part) filled += part.text;
    else filled += Object.hasOwn(values, part.name) ? values[part.name]! : part.whole;
  }
  return filled;
}

/**
 * The system prompt for one reply: {@link SYSTEM_PROMPT_TEMPLATE} (or `template`) with `{first_name}` filled.
 *
 * @example
 * renderSystemPrompt('Jane'); // ends with "User's first name: Jane."
 */
export function renderSystemPrompt(firstName: string | null, template: string = SYSTEM_PROMPT_TEMPLATE): string {
  return fillTemplate(template, { first_name: firstName ? `${firstName}.` : "unknown (don't address them by name)." });
}
