/**
 * Splits one help-center article (Markdown or HTML) into passages by heading. Each passage keeps the article's title
 * and the headings above it as context, its text as plain lines (steps one per line, numbered), and its numbered
 * steps as data with the UI labels each step names (the article's bold, code or `<kbd>` text), so the offline
 * responder can quote them without parsing the text back. Markdown is read by `marked`'s lexer, HTML by
 * `htmlparser2`; see docs/knowledge.md.
 */
import { parseDocument } from 'htmlparser2';
import { Lexer, type Token, type Tokens } from 'marked';
import type { HelpStep } from '../knowledge-types.ts';

type ChildNode = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<ChildNode, { attribs: Record<string, string> }>;

/** The markup an article is written in. */
export type ArticleFormat = 'markdown' | 'html';

/** A passage of an article before it is indexed: what {@link HelpPassage} carries, without source, language and score. */
export interface ArticlePassage {
  headings: string[];
  text: string;
  steps: HelpStep[];
}

/** An article read and split. */
export interface SplitArticle {
  /** Front matter's `title`, else the first level-1 heading, else null (the caller names it from the file). */
  title: string | null;
  /** Front matter's `lang` or `language`, when given. */
  language: string | null;
  passages: ArticlePassage[];
}

/** Options of {@link splitArticle}. */
export interface SplitArticleOptions {
  /** A passage longer than this many characters is cut between blocks. Default 1500. */
  maxPassageChars?: number;
}

/** One block of an article, whichever markup it came from. */
type Block =
  | { kind: 'heading'; depth: number; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'step'; text: string; labels: string[] }
  /** A list item nested under another item: written indented, it does not end a run of numbered steps. */
  | { kind: 'detail'; text: string };

/** Emphasised text that reads as a UI label: short, one line, not a lead-in such as "Note:". */
function asLabel(text: string): string | null {
  const label = text.replace(/\s+/g, ' ').trim();
  if (label.length === 0 || label.length > 60 || /[:：]$/.test(label)) return null;
  return label;
}

/** Inline text with labels quoted ('Billing'), collecting the labels. */
class InlineText {
  text = '';
  readonly labels: string[] = [];

  label(raw: string): void {
    const label = asLabel(raw);
    if (label === null) {
      this.text += raw;
      return;
    }
    this.text += `'${label}'`;
    if (!this.labels.includes(label)) this.labels.push(label);
  }
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

function frontMatter(source: string): { fields: Map<string, string>; body: string } {
  const match = FRONT_MATTER.exec(source);
  const fields = new Map<string, string>();
  if (!match) return { fields, body: source };
  for (const line of match[1]!.split(/\r?\n/)) {
    const field = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (field) fields.set(field[1]!.toLowerCase(), field[2]!.trim().replace(/^(['"])(.*)\1$/, '$2'));
  }
  return { fields, body: source.slice(match[0].length) };
}

function markdownInline(tokens: readonly Token[] | undefined, into: InlineText): void {
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'strong':
      case 'codespan':
        into.label(plainMarkdown(token));
        break;
      case 'image':
      case 'html':
        break;
      case 'br':
        into.text += ' ';
        break;
      case 'escape':
        into.text += (token as Tokens.Escape).text;
        break;
      default:
        if ('tokens' in token && token.tokens) markdownInline(token.tokens, into);
        else into.text += 'text' in token ? String(token.text) : '';
    }
  }
}

function plainMarkdown(token: Token): string {
  if (token.type === 'codespan') return (token as Tokens.Codespan).text;
  if ('tokens' in token && token.tokens) return token.tokens.map(plainMarkdown).join('');
  return 'text' in token ? String(token.text) : '';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function markdownBlocks(tokens: readonly Token[], blocks: Block[], isNested = false): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const inline = new InlineText();
        markdownInline((token as Tokens.Heading).tokens, inline);
        blocks.push({ kind: 'heading', depth: (token as Tokens.Heading).depth, text: oneLine(inline.text) });
        break;
      }
      case 'list': {
        const list = token as Tokens.List;
        for (const item of list.items) {
          const inline = new InlineText();
          const nested: Token[] = [];
          for (const child of item.tokens) {
            if (child.type === 'list') nested.push(child);
            else if (child.type === 'text' || child.type === 'paragraph') {
              if (inline.text) inline.text += ' ';
              markdownInline((child as Tokens.Text).tokens ?? [child], inline);
            }
          }
          const text = oneLine(inline.text);
          if (text) blocks.push(isNested ? { kind: 'detail', text } : list.ordered ? { kind: 'step', text, labels: inline.labels } : { kind: 'text', text: `- ${text}` });
          markdownBlocks(nested, blocks, true);
        }
        break;
      }
      case 'paragraph':
      case 'text': {
        const inline = new InlineText();
        markdownInline((token as Tokens.Paragraph).tokens, inline);
        const text = oneLine(inline.text);
        if (text) blocks.push({ kind: 'text', text });
        break;
      }
      case 'blockquote':
        markdownBlocks((token as Tokens.Blockquote).tokens, blocks, isNested);
        break;
      case 'code':
        if ((token as Tokens.Code).text.trim()) blocks.push({ kind: 'text', text: (token as Tokens.Code).text.trim() });
        break;
      case 'table': {
        const table = token as Tokens.Table;
        for (const row of [table.header, ...table.rows]) {
          const text = row.map((cell) => oneLine(cell.text)).join(' | ');
          if (text.replace(/[|\s]/g, '')) blocks.push({ kind: 'text', text });
        }
        break;
      }
      default:
        break;
    }
  }
}

const SKIPPED_ELEMENTS = new Set(['script', 'style', 'nav', 'header', 'footer', 'template', 'noscript', 'svg', 'img', 'head']);
const LABEL_ELEMENTS = new Set(['strong', 'b', 'kbd', 'code']);
const BLOCK_ELEMENTS = new Set(['p', 'div', 'section', 'article', 'main', 'pre', 'blockquote', 'dd', 'dt', 'td', 'th', 'figcaption', 'tr']);

function htmlInline(nodes: readonly ChildNode[], into: InlineText): void {
  for (const node of nodes) {
    if (node.type === 'text') into.text += (node as { data: string }).data;
    else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      const element = node as Element;
      if (SKIPPED_ELEMENTS.has(element.name)) continue;
      if (element.name === 'br') into.text += ' ';
      else if (LABEL_ELEMENTS.has(element.name)) {
        const plain = new InlineText();
        htmlInline(element.children, plain);
        into.label(plain.text);
      } else htmlInline(element.children, into);
    }
  }
}

function hasBlockChild(element: Element): boolean {
  return element.children.some((child) => child.type === 'tag' && (BLOCK_ELEMENTS.has((child as Element).name) || /^(?:h[1-6]|ol|ul|table)$/.test((child as Element).name)));
}

function htmlBlocks(nodes: readonly ChildNode[], blocks: Block[], titleOut: { title: string | null }, isNested = false): void {
  for (const node of nodes) {
    if (node.type !== 'tag') continue;
    const element = node as Element;
    const name = element.name;
    if (name === 'title') {
      const inline = new InlineText();
      htmlInline(element.children, inline);
      titleOut.title ??= oneLine(inline.text) || null;
      continue;
    }
    if (SKIPPED_ELEMENTS.has(name)) continue;
    const heading = /^h([1-6])$/.exec(name);
    if (heading) {
      const inline = new InlineText();
      htmlInline(element.children, inline);
      const text = oneLine(inline.text);
      if (text) blocks.push({ kind: 'heading', depth: Number(heading[1]), text });
    } else if (name === 'ol' || name === 'ul') {
      for (const item of element.children) {
        if (item.type !== 'tag' || (item as Element).name !== 'li') continue;
        const inline = new InlineText();
        const nested = (item as Element).children.filter((child) => child.type === 'tag' && /^(?:ol|ul)$/.test((child as Element).name));
        htmlInline((item as Element).children.filter((child) => !nested.includes(child)), inline);
        const text = oneLine(inline.text);
        if (text) blocks.push(isNested ? { kind: 'detail', text } : name === 'ol' ? { kind: 'step', text, labels: inline.labels } : { kind: 'text', text: `- ${text}` });
        htmlBlocks(nested, blocks, titleOut, true);
      }
    } else if (name === 'table') {
      htmlBlocks(element.children, blocks, titleOut);
    } else if (BLOCK_ELEMENTS.has(name) || name === 'body' || name === 'html' || name === 'thead' || name === 'tbody') {
      if (hasBlockChild(element) || name === 'body' || name === 'html' || name === 'thead' || name === 'tbody') {
        htmlBlocks(element.children, blocks, titleOut);
      } else {
        const inline = new InlineText();
        htmlInline(element.children, inline);
        const text = name === 'pre' ? inline.text.trim() : oneLine(inline.text);
        if (text) blocks.push({ kind: 'text', text });
      }
    } else {
      htmlBlocks(element.children, blocks, titleOut);
    }
  }
}

/** Groups blocks into passages under their headings; long passages are cut between blocks. */
function passagesOf(blocks: readonly Block[], title: string | null, maxChars: number): ArticlePassage[] {
  const passages: ArticlePassage[] = [];
  const stack: { depth: number; text: string }[] = [];
  let lines: string[] = [];
  let steps: HelpStep[] = [];
  let size = 0;
  let stepNumber = 0;
  const flush = () => {
    if (lines.length > 0) passages.push({ headings: stack.map((heading) => heading.text), text: lines.join('\n'), steps });
    lines = [];
    steps = [];
    size = 0;
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      flush();
      stepNumber = 0;
      // The article's title heading is the passage's title, not one of its headings.
      if (block.depth === 1 && block.text === title && stack.length === 0) continue;
      while (stack.length > 0 && stack.at(-1)!.depth >= block.depth) stack.pop();
      stack.push({ depth: block.depth, text: block.text });
      continue;
    }
    const line = block.kind === 'step' ? `${(stepNumber += 1)}. ${block.text}` : block.kind === 'detail' ? `   - ${block.text}` : block.text;
    if (block.kind === 'text') stepNumber = 0;
    if (size > 0 && size + line.length > maxChars) flush();
    lines.push(line);
    size += line.length + 1;
    if (block.kind === 'step') steps.push({ text: block.text, labels: block.labels });
  }
  flush();
  return passages;
}

/**
 * Splits an article into passages by heading: headings above a passage (outermost first, the title heading left
 * out) are its context; paragraphs, list items and table rows become lines; numbered list items become numbered
 * lines and {@link HelpStep}s with the labels they name (bold, code, `<kbd>`, written `'Label'` in the text).
 * Markdown front matter may give `title` and `lang`.
 *
 * @example
 * splitArticle('# Change your plan\n\n1. Open **Billing**.\n2. Click **Change plan**.', 'markdown');
 * // { title: 'Change your plan', language: null,
 * //   passages: [{ headings: [], text: "1. Open 'Billing'.\n2. Click 'Change plan'.", steps: [...] }] }
 */
export function splitArticle(source: string, format: ArticleFormat, options: SplitArticleOptions = {}): SplitArticle {
  const maxChars = Math.max(200, options.maxPassageChars ?? 1500);
  const blocks: Block[] = [];
  let title: string | null = null;
  let language: string | null = null;
  let htmlTitle: string | null = null;
  if (format === 'markdown') {
    const { fields, body } = frontMatter(source);
    title = fields.get('title') || null;
    language = fields.get('lang') || fields.get('language') || null;
    markdownBlocks(new Lexer({ gfm: true }).lex(body), blocks);
  } else {
    const document = parseDocument(source, { decodeEntities: true });
    const titleOut: { title: string | null } = { title: null };
    htmlBlocks(document.children, blocks, titleOut);
    const htmlElement = document.children.find((node): node is Element => node.type === 'tag' && (node as Element).name === 'html');
    language = htmlElement?.attribs['lang']?.trim() || null;
    htmlTitle = titleOut.title;
  }
  const firstHeading = blocks.find((block): block is Extract<Block, { kind: 'heading' }> => block.kind === 'heading' && block.depth === 1);
  // An HTML page's <title> often carries the site's name ("Change plan | Acme Help"); its first <h1> is the article's.
  title ??= firstHeading?.text ?? (format === 'html' ? htmlTitle : null);
  return { title, language, passages: passagesOf(blocks, title, maxChars) };
}
