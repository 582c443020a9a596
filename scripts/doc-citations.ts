/**
 * Finds citations of documents in the repo's source and docs that a clone could not follow: a cited `docs/…md` file
 * (or a Markdown link to a `.md` file) that does not exist, an `#anchor` that is no heading of it, a decision id
 * (`D-12`) that does not come with its record in docs/decisions/, and citations of documents outside the repo
 * (docs/STYLE.md: "Never cite a file outside the repo").
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One citation a reader could not follow. */
export interface CitationProblem {
  /** Path relative to the scanned root, with `/` separators. */
  file: string;
  /** 1-based line. */
  line: number;
  /** What was cited and why it fails. */
  message: string;
}

/** Folders scanned below the root, and the root's own Markdown files. */
const ROOTS = ['packages', 'apps', 'integrations', 'e2e', 'bench', 'scripts', 'docs'];
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs', '.js', '.cjs', '.py', '.hog', '.md', '.yml', '.yaml'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'artifacts', 'results', 'build']);

/** `docs/…md`, optionally with `#anchor`, from the repo root (any `../` before it is the citing file's way there). */
const DOCS_PATH = /(?<![\w./-])(?:\.\.\/)*(docs\/[\w./-]*?\.md)(#[\w-]+)?/g;
/** Inside docs/: `reference/…md` or `decisions/…md` written relative to docs/ (as docs/DESIGN.md does). */
const DOCS_RELATIVE_PATH = /(?<![\w./-])((?:reference|decisions)\/[\w.-]+\.md)(#[\w-]+)?/g;
/** A Markdown link or image target. */
const MARKDOWN_LINK = /\[[^\]]*\]\(([^)\s]+)\)/g;
const DECISION_ID = /\bD-(\d+)\b/g;

/** Citations of what lives outside the repo, each with the reason it is refused. */
const FORBIDDEN: { pattern: RegExp; message: string }[] = [
  { pattern: /shared\/(?:reference|STYLE\.md)|\/work\/shared\b|\.\.\/shared\//, message: 'cites a file outside the repo' },
  { pattern: /\b(?:wire-contract|posthog|rasa|llm-offline)(?:\.md)? §/, message: 'cites a section of a document outside the repo by number' },
  { pattern: /(?<!\bRFC \d+ )§/, message: 'cites a numbered section (§) of no document in the repo; cite docs/<file>.md#<heading>' },
];

/** Lower-cased GitHub anchor of a heading's text: punctuation dropped, spaces to hyphens. */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor of a Markdown text's headings, fenced code skipped, repeated slugs numbered as GitHub does. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const fenceMatch = /^\s*(```|~~~)/.exec(line);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1]!;
      else if (fenceMatch[1] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = githubSlug(heading[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function listFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || SKIPPED_FOLDERS.has(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (EXTENSIONS.some((extension) => name.endsWith(extension))) found.push(path);
    }
  };
  for (const folder of ROOTS) walk(join(root, folder));
  for (const name of readdirSync(root)) if (name.endsWith('.md') && statSync(join(root, name)).isFile()) found.push(join(root, name));
  return found;
}

interface Citation {
  /** Absolute path of the cited file. */
  target: string;
  anchor: string | null;
  /** Column span of the citation in its line (a whole link for Markdown links). */
  start: number;
  end: number;
}

/**
 * Checks every citation under `root` (the repo) and returns what a reader could not follow; empty when all resolve.
 * `skip` lists files (relative to root) that are not checked, such as a file that spells the refused patterns.
 */
export function findCitationProblems(root: string, skip: readonly string[] = []): CitationProblem[] {
  const absoluteRoot = resolve(root);
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (path: string): Set<string> => {
    let anchors = anchorCache.get(path);
    if (!anchors) {
      anchors = headingAnchors(readFileSync(path, 'utf8'));
      anchorCache.set(path, anchors);
    }
    return anchors;
  };
  const docsDir = join(absoluteRoot, 'docs');
  const decisionsDir = join(docsDir, 'decisions');
  const problems: CitationProblem[] = [];

  for (const path of listFiles(absoluteRoot)) {
    const file = relative(absoluteRoot, path).split(sep).join('/');
    if (skip.includes(file)) continue;
    const isMarkdown = path.endsWith('.md');
    const isInDocs = path.startsWith(docsDir + sep);
    const ownDecision = /^docs\/decisions\/D-(\d+)-/.exec(file)?.[1] ?? null;
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((text, index) => {
      const line = index + 1;
      const reported = new Set<string>();
      const report = (message: string): void => {
        if (reported.has(message)) return;
        reported.add(message);
        problems.push({ file, line, message });
      };
      const citations: Citation[] = [];
      for (const match of text.matchAll(DOCS_PATH)) {
        citations.push({ target: join(absoluteRoot, match[1]!), anchor: match[2]?.slice(1) ?? null, start: match.index, end: match.index + match[0].length });
      }
      if (isInDocs) {
        for (const match of text.matchAll(DOCS_RELATIVE_PATH)) {
          citations.push({ target: join(docsDir, match[1]!), anchor: match[2]?.slice(1) ?? null, start: match.index, end: match.index + match[0].length });
        }
      }
      if (isMarkdown) {
        for (const match of text.matchAll(MARKDOWN_LINK)) {
          const link = match[1]!;
          if (/^[a-z][\w+.-]*:/i.test(link)) continue;
          const [pathPart, anchor] = link.split('#', 2) as [string, string | undefined];
          if (pathPart !== '' && !pathPart.endsWith('.md') && !pathPart.endsWith('/')) continue;
          const target = pathPart === '' ? path : resolve(dirname(path), pathPart);
          citations.push({ target, anchor: anchor ?? null, start: match.index, end: match.index + match[0].length });
        }
      }

      for (const citation of citations) {
        const shown = relative(absoluteRoot, citation.target).split(sep).join('/') + (citation.anchor ? `#${citation.anchor}` : '');
        if (!citation.target.startsWith(absoluteRoot + sep) && citation.target !== absoluteRoot) {
          report(`cites ${shown}, outside the repo`);
        } else if (!existsSync(citation.target)) {
          report(`cites ${shown}, which does not exist`);
        } else if (citation.anchor !== null && statSync(citation.target).isFile() && !anchorsOf(citation.target).has(citation.anchor)) {
          report(`cites ${shown}, which is no heading of that file`);
        }
      }

      for (const match of text.matchAll(DECISION_ID)) {
        const id = match[1]!;
        if (ownDecision === id && /^#\s+D-\d+:/.test(text)) continue;
        const covering = citations.find((citation) => citation.start <= match.index && match.index < citation.end);
        const recordName = covering ? relative(decisionsDir, covering.target) : '';
        if (!covering || !recordName.startsWith(`D-${id}-`) || recordName.includes(sep)) {
          report(`D-${id} is not a citation of its record, docs/decisions/D-${id}-<name>.md`);
        }
      }

      for (const { pattern, message } of FORBIDDEN) {
        const hit = pattern.exec(text);
        if (hit) {
          report(`"${hit[0]}" ${message}`);
          break;
        }
      }
    });
  }
  return problems;
}
