/**
 * Runs the demo product on its own (the Docker image's `demo` target), configured from the
 * environment. `sightline dev` does not use this: it starts the demo in-process.
 *
 *   DEMO_PORT (3000), DEMO_HOST (0.0.0.0), CONNECTOR_PUBLIC_URL, CAPTURE_TOKEN, CHAT_URL,
 *   CHAT_PATH (/socket.io/), DEMO_USER_ID (demo-user), DEMO_EMAIL (alex@acme.test),
 *   IDENTITY_SECRET (the bridge's; the first of a comma-separated list signs the demo user's id)
 */
import { startDemoServer } from './server/demo-server.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`sightline demo: set ${name} (see apps/demo/README.md)`);
    process.exit(2);
  }
  return value;
}

const identitySecret = process.env.IDENTITY_SECRET?.split(',').map((secret) => secret.trim()).find((secret) => secret !== '');
if (identitySecret === undefined) {
  console.error('sightline demo: IDENTITY_SECRET is not set, so the page carries no user hash and a bridge that verifies ids gives the chat no activity');
}

const demo = await startDemoServer({
  port: Number(process.env.DEMO_PORT ?? 3000),
  host: process.env.DEMO_HOST ?? '0.0.0.0',
  connectorUrl: required('CONNECTOR_PUBLIC_URL'),
  captureToken: required('CAPTURE_TOKEN'),
  chatUrl: required('CHAT_URL'),
  chatPath: process.env.CHAT_PATH ?? '/socket.io/',
  userId: process.env.DEMO_USER_ID ?? 'demo-user',
  email: process.env.DEMO_EMAIL ?? 'alex@acme.test',
  ...(identitySecret === undefined ? {} : { identitySecret }),
});
console.log(`sightline demo: serving ${demo.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
