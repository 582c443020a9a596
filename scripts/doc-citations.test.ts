import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findCitationProblems, githubSlug, headingAnchors, type CitationProblem } from './doc-citations.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** These two files spell the refused patterns on purpose. */
const SELF = ['scripts/doc-citations.ts', 'scripts/doc-citations.test.ts'];

function describe(problems: CitationProblem[]): string {
  return problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`).join('\n');
}

/** A throwaway repo with the given files; removed after the test. */
function fakeRepo(t: { after: (fn: () => void) => void }, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sightline-citations-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const REFERENCE = '# Wire contract\n\n## Event ids\n\ntext\n\n## `email` is null\n\n```\n## not a heading\n```\n';
const DECISION = '# D-12: email null\n\n**Context.** …\n';

test('every document the repo cites is in the repo, with the cited heading', () => {
  const problems = findCitationProblems(repoRoot, SELF);
  assert.equal(problems.length, 0, `citations a clone cannot follow:\n${describe(problems)}`);
});

test('GitHub slugs drop punctuation and keep hyphens, and repeated headings are numbered', () => {
  assert.equal(githubSlug('`email` is null — D-12 (v2)'), 'email-is-null--d-12-v2');
  assert.deepEqual([...headingAnchors('# A\n## A\n```\n# B\n```\n### C.d\n')], ['a', 'a-1', 'cd']);
});

test('a resolving citation, link and decision id pass', (t) => {
  const root = fakeRepo(t, {
    'docs/reference/wire-contract.md': REFERENCE,
    'docs/decisions/D-12-email-null.md': DECISION,
    'docs/DESIGN.md': 'See reference/wire-contract.md and [the record](decisions/D-12-email-null.md).\n',
    'packages/a/src/a.ts': '// docs/reference/wire-contract.md#event-ids, docs/reference/wire-contract.md#email-is-null (docs/decisions/D-12-email-null.md)\n',
  });
  assert.deepEqual(findCitationProblems(root), []);
});

test('a missing file, an unknown anchor and a heading inside code fences fail', (t) => {
  const root = fakeRepo(t, {
    'docs/reference/wire-contract.md': REFERENCE,
    'packages/a/src/a.ts': '// docs/reference/gone.md\n// docs/reference/wire-contract.md#actions\n// docs/reference/wire-contract.md#not-a-heading\n',
    'packages/a/README.md': '[link](../../docs/reference/wire-contract.md#nope)\n',
  });
  const problems = findCitationProblems(root);
  assert.deepEqual(problems.map((problem) => [problem.file, problem.line]), [
    ['packages/a/README.md', 1],
    ['packages/a/src/a.ts', 1],
    ['packages/a/src/a.ts', 2],
    ['packages/a/src/a.ts', 3],
  ].sort(), describe(problems));
});

test('a bare decision id, or one cited with another record, fails', (t) => {
  const root = fakeRepo(t, {
    'docs/decisions/D-12-email-null.md': DECISION,
    'packages/a/src/a.ts': '// email is null (D-12)\n// D-13 docs/decisions/D-12-email-null.md\n// docs/decisions/D-12-email-null.md\n',
  });
  const problems = findCitationProblems(root);
  assert.deepEqual(problems.map((problem) => problem.line), [1, 2], describe(problems));
});

test('citations of documents outside the repo fail', (t) => {
  const root = fakeRepo(t, {
    'packages/a/src/a.ts': [
      '// see shared/reference/posthog.md',
      '// wire-contract.md §3.2',
      '// wire-contract §14.6',
      '// the §10.2 example',
      '// RFC 9110 §7.6.1 is fine',
    ].join('\n'),
  });
  const problems = findCitationProblems(root);
  assert.deepEqual([...new Set(problems.map((problem) => problem.line))], [1, 2, 3, 4], describe(problems));
});
