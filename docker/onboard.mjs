/* global AbortSignal */
// One-shot docker-compose step: registers the demo product with the connector (once) and writes its
// credentials to an env file that the bridge and the demo source at start.
//
//   CONNECTOR_URL          the connector as containers reach it (http://connector:8080)
//   CONNECTOR_ADMIN_TOKEN  the connector's admin token (formerly ADMIN_TOKEN here, still read with a warning)
//   PRODUCT_ID             (demo) and CONTACT_EMAIL (demo@example.com)
//   OUTPUT                 (/run/sightline/product.env)
//
// Idempotent: an existing env file is kept. If the connector already knows the product but the file
// is gone (a fresh volume), it re-registers with force_reregister, which rotates the credentials.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const connectorUrl = (process.env.CONNECTOR_URL ?? 'http://connector:8080').replace(/\/+$/, '');
const formerAdminToken = process.env.ADMIN_TOKEN?.trim() ?? '';
const adminToken = process.env.CONNECTOR_ADMIN_TOKEN?.trim() || formerAdminToken;
if (!process.env.CONNECTOR_ADMIN_TOKEN?.trim() && formerAdminToken) {
  console.warn('onboard: ADMIN_TOKEN is the former name of CONNECTOR_ADMIN_TOKEN; rename it to CONNECTOR_ADMIN_TOKEN (the former name still works for now)');
}
const productId = process.env.PRODUCT_ID ?? 'demo';
const contactEmail = process.env.CONTACT_EMAIL ?? 'demo@example.com';
const output = process.env.OUTPUT ?? '/run/sightline/product.env';

async function existing() {
  try {
    const text = await readFile(output, 'utf8');
    return text.includes('STREAM_KEY=') && text.includes('CAPTURE_TOKEN=') ? text : null;
  } catch {
    return null;
  }
}

async function register(force) {
  const response = await fetch(`${connectorUrl}/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-key': adminToken, authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ product_id: productId, contact_email: contactEmail, force_reregister: force }),
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status === 409 && !force) return register(true);
  const body = await response.text();
  if (!response.ok) throw new Error(`connector answered ${response.status} to POST /products: ${body.slice(0, 300)}`);
  return JSON.parse(body);
}

if (await existing()) {
  console.log(`onboard: ${output} already holds the ${productId} product's credentials`);
  process.exit(0);
}
if (!adminToken) {
  console.error('onboard: set CONNECTOR_ADMIN_TOKEN to the connector admin token');
  process.exit(2);
}
const product = await register(false);
const streamKey = product.stream_key ?? product.unkey_key;
if (!streamKey || !product.capture_token) {
  console.error('onboard: the connector did not return stream_key and capture_token');
  process.exit(1);
}
// The stream URL is built from the internal connector address: the bridge reads it from inside the
// compose network, whatever public URL the connector advertises.
// Single-quoted for `sh`'s `.`: the values never contain a quote, and nothing inside is expanded.
const quote = (value) => `'${String(value).replaceAll("'", '')}'`;
const lines = [
  `PRODUCT_ID=${quote(productId)}`,
  `STREAM_URL=${quote(`${connectorUrl}/stream/${encodeURIComponent(productId)}`)}`,
  `STREAM_KEY=${quote(streamKey)}`,
  `CAPTURE_TOKEN=${quote(product.capture_token)}`,
  `WEBHOOK_URL=${quote(product.webhook_url ?? '')}`,
  `WEBHOOK_SECRET=${quote(product.webhook_secret ?? '')}`,
];
await mkdir(dirname(output), { recursive: true });
await writeFile(`${output}.tmp`, `${lines.join('\n')}\n`, { mode: 0o600 });
await rename(`${output}.tmp`, output);
console.log(`onboard: registered ${productId}; credentials written to ${output}`);
