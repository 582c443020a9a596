import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BANK_HELP, CRM_HELP } from '../__fixtures__/help-centers.ts';
import { splitArticle } from './split-article.ts';

test('a Markdown article splits by heading, keeps the headings above each passage and leaves the title heading out', () => {
  const article = splitArticle(CRM_HELP['en/contacts/export-contacts.md']!, 'markdown');
  assert.equal(article.title, 'Export your contacts');
  assert.deepEqual(
    article.passages.map((passage) => passage.headings),
    [[], ['Steps'], ['Large exports']],
  );
  assert.equal(article.passages[0]!.text, 'You can export every contact, or only the ones a filter shows.');
});

test('numbered steps stay one per line, numbered, and carry the labels they name as the product shows them', () => {
  const steps = splitArticle(CRM_HELP['en/contacts/export-contacts.md']!, 'markdown').passages[1]!;
  assert.equal(steps.text, "1. Open 'Contacts' in the sidebar.\n2. Click 'Export'.\n3. Choose 'CSV' and click 'Download'.");
  assert.deepEqual(steps.steps, [
    { text: "Open 'Contacts' in the sidebar.", labels: ['Contacts'] },
    { text: "Click 'Export'.", labels: ['Export'] },
    { text: "Choose 'CSV' and click 'Download'.", labels: ['CSV', 'Download'] },
  ]);
});

test('front matter gives the title and language; nested items do not restart the numbering', () => {
  const article = splitArticle('---\ntitle: "Billing"\nlang: es\n---\n1. Abre **Facturación**.\n   - en el menú\n2. Pulsa **Cambiar plan**.\n', 'markdown');
  assert.equal(article.title, 'Billing');
  assert.equal(article.language, 'es');
  assert.equal(article.passages[0]!.text, "1. Abre 'Facturación'.\n   - en el menú\n2. Pulsa 'Cambiar plan'.");
  assert.equal(article.passages[0]!.steps.length, 2);
});

test('bold lead-ins such as "Note:" are not labels', () => {
  const article = splitArticle('# A\n\n**Note:** exports take a minute.\n\n1. Click **Export**.', 'markdown');
  assert.equal(article.passages[0]!.text, "Note: exports take a minute.\n1. Click 'Export'.");
  assert.deepEqual(article.passages[0]!.steps, [{ text: "Click 'Export'.", labels: ['Export'] }]);
});

test('an HTML article: the first h1 is the title, navigation and footer are dropped, <b> and <kbd> are labels, <html lang> the language', () => {
  const article = splitArticle(BANK_HELP['de/karten/karte-sperren.html']!, 'html');
  assert.equal(article.title, 'Karte sperren');
  assert.equal(article.language, 'de');
  assert.deepEqual(article.passages, [
    { headings: [], text: 'Eine verlorene Karte sperrst du sofort in der App.', steps: [] },
    {
      headings: ['Schritte'],
      text: "1. Öffne 'Karten'.\n2. Wähle die Karte und klicke auf 'Karte sperren'.\n3. Bestätige mit 'Sperren'.",
      steps: [
        { text: "Öffne 'Karten'.", labels: ['Karten'] },
        { text: "Wähle die Karte und klicke auf 'Karte sperren'.", labels: ['Karte sperren'] },
        { text: "Bestätige mit 'Sperren'.", labels: ['Sperren'] },
      ],
    },
  ]);
});

test('labels with an apostrophe keep it, and a long section is cut between blocks', () => {
  const article = splitArticle("<h1>Offre</h1><ol><li>Cliquez sur <kbd>Changer d'offre</kbd>.</li></ol>", 'html');
  assert.deepEqual(article.passages[0]!.steps[0]!.labels, ["Changer d'offre"]);
  const long = splitArticle(`# Long\n\n${Array.from({ length: 20 }, (_, index) => `Paragraph ${index} ${'word '.repeat(30)}`).join('\n\n')}`, 'markdown', { maxPassageChars: 400 });
  assert.ok(long.passages.length > 5);
  for (const passage of long.passages) assert.ok(passage.text.length <= 400 + 200);
});

test('broken markup still gives text and never throws', () => {
  assert.doesNotThrow(() => splitArticle('<h1>Unclosed <b>bold<ol><li>step', 'html'));
  assert.doesNotThrow(() => splitArticle('---\nno end of front matter\n# x\n```\nunclosed code', 'markdown'));
  assert.deepEqual(splitArticle('', 'markdown').passages, []);
});
