/**
 * Reads what each public package offers, for the test that guards it (public-surface.test.ts):
 * the names every entry of its package.json "exports" gives (read with the TypeScript compiler,
 * so types count as well as values), rendered as a Markdown API report, and the error codes of
 * its catalogue set against the codes its README names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** The packages people install, by folder under packages/. */
export const PUBLIC_PACKAGES = ['protocol', 'sdk', 'connector', 'bridge', 'cli'] as const;

/** One name an entry exports and what it is. */
export interface ExportedName {
  name: string;
  kind: 'class' | 'function' | 'const' | 'enum' | 'interface' | 'type' | 'namespace';
}

/** The subpaths of a package ('.', './internal', …) and the source file behind each (its `source` condition). */
export function packageEntries(packageDir: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    exports?: Record<string, { source?: string }>;
  };
  const entries = new Map<string, string>();
  for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
    if (conditions.source) entries.set(subpath, join(packageDir, conditions.source));
  }
  return entries;
}

function kindOf(symbol: ts.Symbol): ExportedName['kind'] {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) return 'class';
  if (flags & ts.SymbolFlags.Function) return 'function';
  if (flags & ts.SymbolFlags.Enum) return 'enum';
  if (flags & ts.SymbolFlags.Variable) return 'const';
  if (flags & ts.SymbolFlags.Interface) return 'interface';
  if (flags & ts.SymbolFlags.TypeAlias) return 'type';
  return 'namespace';
}

/** Every name each file exports, aliases followed to what they name; one compiler program for all files. */
export function exportedNames(files: string[]): Map<string, ExportedName[]> {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    customConditions: ['source'],
    noEmit: true,
    strict: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, ExportedName[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read the exports of ${file}`);
    const names = checker.getExportsOfModule(moduleSymbol).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return { name: symbol.name, kind: kindOf(target) };
    });
    result.set(file, names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  }
  return result;
}

/** The committed report's text: one section per entry, one line per name. */
export function renderApiReport(packageName: string, entries: Map<string, ExportedName[]>): string {
  const lines = [
    `# API report: ${packageName}`,
    '',
    'What each entry of this package exports, checked by scripts/public-surface.test.ts.',
    'A name under `./internal` is for the Sightline packages themselves, the benches and the tests: it may change in any release.',
    'After a deliberate change, rewrite this file with `UPDATE_API_REPORT=1 node scripts/test.mjs scripts/public-surface`.',
  ];
  for (const [subpath, names] of entries) {
    const specifier = subpath === '.' ? packageName : `${packageName}/${subpath.slice(2)}`;
    lines.push('', `## \`${specifier}\` (${names.length})`, '');
    for (const { name, kind } of names) lines.push(`- \`${name}\` ${kind}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The codes a package's error catalogue (src/errors.ts, built with defineErrors) defines, with their statuses. */
export function catalogueCodes(packageDir: string): Map<string, number> {
  const file = join(packageDir, 'src', 'errors.ts');
  const codes = new Map<string, number>();
  if (!existsSync(file)) return codes;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'defineErrors') {
      const catalogue = node.arguments[0];
      if (catalogue && ts.isObjectLiteralExpression(catalogue)) {
        for (const property of catalogue.properties) {
          if (!ts.isPropertyAssignment(property) || !ts.isObjectLiteralExpression(property.initializer)) continue;
          const status = property.initializer.properties.find(
            (field): field is ts.PropertyAssignment => ts.isPropertyAssignment(field) && field.name.getText(source) === 'status',
          );
          codes.set(property.name.getText(source).replace(/['"]/g, ''), status ? Number(status.initializer.getText(source)) : NaN);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return codes;
}

/**
 * The codes of the catalogue that the README's error table leaves out or gives another status: each
 * code needs a table row `| \`SL_…\` | <status> | when |` whose status cell starts with its status.
 */
export function undocumentedCodes(readme: string, codes: Map<string, number>): string[] {
  const rows = new Map<string, string>();
  for (const match of readme.matchAll(/^\|\s*`(SL_[A-Z0-9_]+)`\s*\|\s*(\d*)[^|]*\|/gm)) rows.set(match[1]!, match[2]!);
  return [...codes].filter(([code, status]) => rows.get(code) !== String(status)).map(([code, status]) => `${code} (${status})`);
}
