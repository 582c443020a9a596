import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PUBLIC_PACKAGES, catalogueCodes, exportedNames, packageEntries, renderApiReport, undocumentedCodes } from './public-surface.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const isUpdating = process.env.UPDATE_API_REPORT === '1';

const packages = PUBLIC_PACKAGES.map((folder) => {
  const dir = join(repoRoot, 'packages', folder);
  const name = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name;
  return { folder, dir, name, entries: packageEntries(dir) };
});
const names = exportedNames(packages.flatMap((pkg) => [...pkg.entries.values()]));

for (const pkg of packages) {
  test(`${pkg.name}: every entry exports what packages/${pkg.folder}/api-report.md lists`, () => {
    const report = renderApiReport(pkg.name, new Map([...pkg.entries].map(([subpath, file]) => [subpath, names.get(file)!])));
    const reportPath = join(pkg.dir, 'api-report.md');
    if (isUpdating) writeFileSync(reportPath, report);
    let committed = '';
    try {
      committed = readFileSync(reportPath, 'utf8');
    } catch {
      // No report yet: the comparison below fails and says how to write one.
    }
    assert.equal(
      committed,
      report,
      `the public surface of ${pkg.name} changed. If that is deliberate, run UPDATE_API_REPORT=1 npm test ` +
        '(or UPDATE_API_REPORT=1 node scripts/test.mjs scripts/public-surface) and commit the report.',
    );
  });

  test(`${pkg.name}: the root entry and ./internal share no name`, () => {
    const root = pkg.entries.get('.');
    const internal = pkg.entries.get('./internal');
    if (!root || !internal) return;
    const publicNames = new Set(names.get(root)!.map((entry) => entry.name));
    assert.deepEqual(names.get(internal)!.filter((entry) => publicNames.has(entry.name)).map((entry) => entry.name), []);
  });

  test(`${pkg.name}: its README documents every error code of src/errors.ts with its status`, () => {
    const codes = catalogueCodes(pkg.dir);
    const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
    assert.deepEqual(undocumentedCodes(readme, codes), [], `add a row "| \`CODE\` | status | when |" to packages/${pkg.folder}/README.md`);
  });
}

test('an error code missing from the README table, or with another status there, is reported', () => {
  const codes = new Map([['SL_A', 400], ['SL_B', 401], ['SL_C', 500], ['SL_D', 401], ['SL_E', 502]]);
  const readme =
    '| code | status | when |\n|---|---|---|\n| `SL_A` | 400 | bad input |\n| `SL_B` | 403 | wrong |\n' +
    '| `SL_D` | 401, or the answer\'s status | refused |\n| `SL_E` | 5021 | typo |\n\nProse naming `SL_C`.\n';
  assert.deepEqual(undocumentedCodes(readme, codes), ['SL_B (401)', 'SL_C (500)', 'SL_E (502)']);
});
