/**
 * Runs the Python helper's own tests (test_sightline_helper.py, and test_sample_actions.py for the sample team actions;
 * unittest, standard library only) with Debian's python3 against a real bridge: the bridge has a key and an identity
 * secret, and one user's clicks on its stream.
 * Without python3 the test skips and says why, unless CI=true or SIGHTLINE_REQUIRE names python3: then it fails.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadBridgeConfig, startBridge } from '@sightline/bridge';
import { createActionsPayload } from '@sightline/protocol';
import { startSseTestServer } from '@sightline/sdk/testing';

const KEY = 'helper-bridge-key-0123456789abcdef0123456789abcdef';
const IDENTITY_SECRET = 'helper-identity-secret-0123456789abcdef0123456789';
const USER_ID = 'ada-42';
const LABEL = 'Invite member';

const isPythonRequired =
  process.env['CI'] === 'true' ||
  (process.env['SIGHTLINE_REQUIRE'] ?? '')
    .split(',')
    .some((name) => name.trim().toLowerCase() === 'python3');

/** Debian's python3 when it is there, else a python3 on PATH, else null. */
function findPython(): string | null {
  if (existsSync('/usr/bin/python3')) return '/usr/bin/python3';
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0 ? 'python3' : null;
}

/** Runs a child to its end without blocking this process's event loop (the bridge answers from it meanwhile). */
function runChild(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('the Python helper answers from a real bridge: grounded for a signed user, the fallback for a wrong hash or key', { timeout: 120_000 }, async (t) => {
  const python = findPython();
  if (python === null) {
    const reason = 'python3 is not installed (apt-get install python3)';
    if (isPythonRequired) assert.fail(`CI=true or SIGHTLINE_REQUIRE names python3, but ${reason}`);
    t.skip(reason);
    return;
  }
  const stream = await startSseTestServer({ token: 'helper-stream-key' });
  t.after(() => stream.close());
  const config = loadBridgeConfig(
    {
      STREAM_URL: stream.streamUrl('acme'),
      STREAM_KEY: 'helper-stream-key',
      BRIDGE_PORT: '0',
      BRIDGE_HOST: '127.0.0.1',
      LLM_PROVIDER: 'offline',
      BRIDGE_API_KEY: KEY,
      IDENTITY_SECRET,
    },
    { envFile: false },
  );
  const bridge = await startBridge(config, { logger: false });
  t.after(() => bridge.close());
  const now = Date.now() / 1000;
  stream.send(
    createActionsPayload({
      product_id: 'acme',
      session_id: 'helper-session-1',
      user_id: USER_ID,
      email: 'ada@example.com',
      forwarded_at: now,
      actions: [
        { type: 'pageview', title: 'Viewed Team', description: 'User viewed the Team page', canonical_url: 'https://app.example.com/team', timestamp_start: now - 20 },
        { type: 'click', title: `Clicked '${LABEL}'`, description: `User clicked ${LABEL} on the Team page`, canonical_url: 'https://app.example.com/team', timestamp_start: now - 5 },
      ],
    }),
    { id: '1-1' },
  );
  const deadline = Date.now() + 10_000;
  while (bridge.pipeline.usersTracked() < 1) {
    assert.ok(Date.now() < deadline, 'the bridge applied the payload');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  const { code, output } = await runChild(python, ['-m', 'unittest', '-v', 'test_sightline_helper', 'test_sample_actions'], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      PYTHONDONTWRITEBYTECODE: '1',
      BRIDGE_URL: bridge.url,
      BRIDGE_API_KEY: KEY,
      IDENTITY_SECRET,
      SIGHTLINE_TEST_USER_ID: USER_ID,
      SIGHTLINE_TEST_LABEL: LABEL,
    },
  });
  assert.equal(code, 0, output);
  assert.match(output, /^OK$/m, output);
  assert.doesNotMatch(output, /skipped/, 'every Python test ran, the real-bridge ones included');
  assert.match(output, /test_a_signed_user_gets_an_answer_grounded_in_their_activity \S+ \.\.\. ok/);
  assert.match(output, /test_sightline_reply_answers_from_the_bridge_for_a_signed_user \S+ \.\.\. ok/);
});
