/**
 * Help centers of invented products that look nothing like the demo, for tests: a CRM (English and Spanish folders),
 * a bank (Portuguese Markdown and German HTML) and a help desk (flat folder: English articles and a French one
 * marked by its front matter).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Files of a help center: path relative to its folder → content. */
export type HelpCenterFiles = Record<string, string>;

export const CRM_HELP: HelpCenterFiles = {
  'en/contacts/export-contacts.md': `# Export your contacts

You can export every contact, or only the ones a filter shows.

## Steps

1. Open **Contacts** in the sidebar.
2. Click **Export**.
3. Choose **CSV** and click **Download**.

## Large exports

Exports of more than 10,000 contacts are emailed to you when they are ready.
`,
  'en/deals/create-deal.md': `---
title: Create a deal
---
Deals track what a customer may buy.

1. Go to **Pipeline**.
2. Click **New deal**.
3. Fill in the deal's name and value, then click **Save deal**.
`,
  'en/settings/rename-pipeline-stage.md': `# Rename a pipeline stage

1. Open **Settings**.
2. Choose **Pipeline stages**.
3. Click the stage's name, type the new one and press **Save**.
`,
  'es/contactos/exportar-contactos.md': `# Exportar tus contactos

Puedes exportar todos los contactos o solo los que muestra un filtro.

1. Abre **Contactos** en la barra lateral.
2. Pulsa **Exportar**.
3. Elige **CSV** y pulsa **Descargar**.
`,
};

export const BANK_HELP: HelpCenterFiles = {
  'pt/transferencias/nova-transferencia.md': `# Fazer uma transferência

As transferências entre contas do mesmo banco são imediatas.

## Passo a passo

1. Abra **Transferências**.
2. Clique em **Nova transferência**.
3. Preencha o IBAN do destinatário e confirme com **Enviar**.
`,
  'de/karten/karte-sperren.html': `<!doctype html>
<html lang="de"><head><title>Karte sperren | Banco Aurora Hilfe</title></head>
<body><nav><a href="/">Hilfe</a></nav>
<h1>Karte sperren</h1>
<p>Eine verlorene Karte sperrst du sofort in der App.</p>
<h2>Schritte</h2>
<ol><li>Öffne <b>Karten</b>.</li><li>Wähle die Karte und klicke auf <b>Karte sperren</b>.</li><li>Bestätige mit <b>Sperren</b>.</li></ol>
<footer>© Banco Aurora</footer>
</body></html>
`,
};

export const HELP_DESK_HELP: HelpCenterFiles = {
  'assign-ticket.md': `# Assign a ticket

Every ticket has one owner.

1. Open **Inbox**.
2. Select the ticket and click **Assign**.
3. Pick an agent and click **Save**.
`,
  'merge-tickets.md': `---
lang: fr
title: Fusionner des tickets
---
Deux tickets du même client peuvent être fusionnés.

1. Ouvrez **Boîte de réception**.
2. Cochez les tickets et cliquez sur **Fusionner**.
`,
  'business-hours.md': `# Set your business hours

Reply times count only the hours your team works, in the help desk's time zone.

1. Open **Admin**.
2. Choose the time zone and the hours under **Business hours**.
3. Click **Save hours**.
`,
  'notes.txt': 'not an article',
};

/** Writes a help center into a new temporary folder and returns its path. */
export async function writeHelpCenter(files: HelpCenterFiles, prefix = 'sightline-help-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}
