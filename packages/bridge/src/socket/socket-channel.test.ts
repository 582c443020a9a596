import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { CredentialGuard } from '@sightline/protocol/internal';
import { guardFailures } from '../auth/credential-failures.ts';
import { IdentityVerifier } from '../identity/identity-verifier.ts';
import { MemorySenderDirectory } from '../identity/sender-directory.ts';
import { signUserId } from '../identity/user-hash.ts';
import type { ReplyRequest, ReplyService } from '../reply/reply-types.ts';
import { connectWebchat as connect, type WebchatSocket as Socket } from '../server/__fixtures__/test-bridge.ts';
import { attachSocketChannel, splitBotText } from './socket-channel.ts';

function fakeReplies() {
  const requests: ReplyRequest[] = [];
  let commits = 0;
  const service: ReplyService = {
    async prepare(request) {
      requests.push(request);
      return { body: { reply: `First part.\n\nSecond part about ${request.query}`, name: null, has_activity: true }, commit: async () => void commits++ };
    },
    async greet(userId, options) {
      return options?.verified === false ? 'Hi there!' : `Hi ${userId}!`;
    },
  };
  return { service, requests, commits: () => commits };
}

const SECRET = 'identity-secret-for-socket-tests-0123456789';

async function startChannel(options: { sessionPersistence?: boolean; corsOrigins?: '*' | string[]; identitySecrets?: string[] } = {}) {
  const server = createServer();
  const replies = fakeReplies();
  const senders = new MemorySenderDirectory();
  const now = () => 1_700_000_000_000;
  const channel = attachSocketChannel(server, {
    replies: replies.service,
    senders,
    identity: new IdentityVerifier({ secrets: options.identitySecrets ?? [], failures: guardFailures(new CredentialGuard({ now })), now }),
    now,
    corsOrigins: options.corsOrigins ?? '*',
    ...(options.sessionPersistence === undefined ? {} : { sessionPersistence: options.sessionPersistence }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: Socket[] = [];
  return {
    url,
    replies,
    senders,
    channel,
    client(extra: Record<string, unknown> = {}) {
      // Exactly how rasa-webchat creates its socket: io(socketUrl, {path}) and nothing else.
      const socket = connect(url, { path: '/socket.io', ...extra });
      clients.push(socket);
      return socket;
    },
    async close() {
      for (const socket of clients) socket.close();
      await channel.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function next<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (data: T) => resolve(data)));
}

function collect(socket: Socket, event: string, count: number): Promise<unknown[]> {
  const received: unknown[] = [];
  return new Promise((resolve) => {
    socket.on(event, (data: unknown) => {
      received.push(data);
      if (received.length === count) resolve(received);
    });
  });
}

test('splitBotText splits on blank lines like Rasa', () => {
  assert.deepEqual(splitBotText('a\n\nb\n \nc'), ['a', 'b', 'c']);
  assert.deepEqual(splitBotText('one line'), ['one line']);
});

test('session_request without an id gets a bare 32-hex session_confirm; a sent id is kept', async (t) => {
  const channel = await startChannel();
  t.after(() => channel.close());
  const socket = channel.client();
  await next(socket, 'connect');
  socket.emit('session_request', { session_id: null });
  const confirmed = await next<unknown>(socket, 'session_confirm');
  assert.equal(typeof confirmed, 'string');
  assert.match(confirmed as string, /^[0-9a-f]{32}$/);
  socket.emit('session_request', { session_id: 'f00dfeedf00dfeedf00dfeedf00dfeed' });
  assert.equal(await next<unknown>(socket, 'session_confirm'), 'f00dfeedf00dfeedf00dfeedf00dfeed');
});

test('the /greet init payload gets a greeting, and a message gets bot_uttered parts for customData.userId', async (t) => {
  const channel = await startChannel();
  t.after(() => channel.close());
  const socket = channel.client();
  await next(socket, 'connect');
  socket.emit('session_request', { session_id: null });
  const sessionId = await next<string>(socket, 'session_confirm');

  socket.emit('user_uttered', { message: '/greet', customData: { language: 'en', userId: 'u-42' }, session_id: sessionId });
  assert.deepEqual(await next(socket, 'bot_uttered'), { text: 'Hi u-42!' });

  const parts = collect(socket, 'bot_uttered', 2);
  socket.emit('user_uttered', { message: 'how do I add a teammate?', customData: { language: 'en', userId: 'u-42' }, session_id: sessionId });
  assert.deepEqual(await parts, [{ text: 'First part.' }, { text: 'Second part about how do I add a teammate?' }]);
  assert.deepEqual(channel.replies.requests, [
    { userId: 'u-42', query: 'how do I add a teammate?', sessionId: null, conversationId: sessionId, language: 'en', verified: true, channel: 'socket' },
  ]);
  assert.equal((await channel.senders.get('u-42'))?.socketConversationId, sessionId);
  assert.equal(channel.replies.commits(), 1);
});

test('customData sent as a JSON string is parsed, and a message without session_id is ignored with persistence', async (t) => {
  const channel = await startChannel();
  t.after(() => channel.close());
  const socket = channel.client();
  await next(socket, 'connect');
  socket.emit('user_uttered', { message: 'ignored', customData: { userId: 'u-1' } });
  socket.emit('session_request', { session_id: 'abc' });
  await next(socket, 'session_confirm');
  const parts = collect(socket, 'bot_uttered', 2);
  socket.emit('user_uttered', { message: 'what did I do', customData: '{"userId":"u-7"}', session_id: 'abc' });
  await parts;
  assert.deepEqual(
    channel.replies.requests.map((request) => request.userId),
    ['u-7'],
  );
});

test('without persistence the sender is the socket id, and without a user id nothing of anyone is read', async (t) => {
  const channel = await startChannel({ sessionPersistence: false });
  t.after(() => channel.close());
  const socket = channel.client();
  await next(socket, 'connect');
  const parts = collect(socket, 'bot_uttered', 2);
  socket.emit('user_uttered', { message: 'hello there', session_id: 'ignored-id' });
  await parts;
  assert.equal(channel.replies.requests[0]?.conversationId, socket.id);
  assert.equal(channel.replies.requests[0]?.userId, socket.id);
  assert.equal(channel.replies.requests[0]?.verified, false);
});

test('a proactive message reaches the conversation room', async (t) => {
  const channel = await startChannel();
  t.after(() => channel.close());
  const socket = channel.client();
  await next(socket, 'connect');
  socket.emit('session_request', { session_id: 'room-1' });
  await next(socket, 'session_confirm');
  assert.equal(await channel.channel.sendToConversation('room-1', 'hi'), false, 'a socket joins the room with its first message, not on session_request');
  const answered = collect(socket, 'bot_uttered', 2);
  socket.emit('user_uttered', { message: 'hello', customData: { userId: 'u-1' }, session_id: 'room-1' });
  await answered;
  const received = next(socket, 'bot_uttered');
  assert.equal(await channel.channel.sendToConversation('room-1', 'Need a hand with the invite?'), true);
  assert.deepEqual(await received, { text: 'Need a hand with the invite?' });
  assert.equal(await channel.channel.sendToConversation('nobody-here', 'hi'), false);
});

test('CORS allows a configured origin on the polling handshake', async (t) => {
  const channel = await startChannel({ corsOrigins: ['http://app.example.com'] });
  t.after(() => channel.close());
  const response = await fetch(`${channel.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://app.example.com' } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), 'http://app.example.com');
  await response.text();
  const other = await fetch(`${channel.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example.com' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null, 'an origin not listed is not allowed');
  await other.text();
});

test('with IDENTITY_SECRET a signed userId reads activity; a wrong or missing hash is answered without it', async (t) => {
  const channel = await startChannel({ identitySecrets: [SECRET] });
  t.after(() => channel.close());
  const socket = channel.client();
  await next(socket, 'connect');
  socket.emit('session_request', { session_id: null });
  const sessionId = await next<string>(socket, 'session_confirm');
  const ask = async (customData: Record<string, unknown>) => {
    const parts = collect(socket, 'bot_uttered', 2);
    socket.emit('user_uttered', { message: 'where am I?', customData, session_id: sessionId });
    await parts;
    return channel.replies.requests.at(-1)!;
  };
  const signed = await ask({ userId: 'u-42', userHash: signUserId(SECRET, 'u-42') });
  assert.equal(signed.verified, true);
  assert.equal(signed.userId, 'u-42');
  assert.equal((await channel.senders.get('u-42'))?.socketConversationId, sessionId);

  const forged = await ask({ userId: 'u-42', userHash: signUserId('another-secret-of-enough-length-0123', 'u-42') });
  assert.equal(forged.verified, false, 'a hash made with another secret does not count');
  const bare = await ask({ userId: 'u-42' });
  assert.equal(bare.verified, false, 'the id alone does not count');
  const greeting = next<{ text: string }>(socket, 'bot_uttered');
  socket.emit('user_uttered', { message: '/greet', customData: { userId: 'u-7' }, session_id: sessionId });
  assert.equal((await greeting).text, 'Hi there!', 'an unverified greeting names no one');
});

test('a session id bound to one user gives another identity a fresh conversation, never the owner’s messages', async (t) => {
  const channel = await startChannel({ identitySecrets: [SECRET] });
  t.after(() => channel.close());
  const owner = channel.client();
  await next(owner, 'connect');
  owner.emit('session_request', { session_id: 'victim-session' });
  await next(owner, 'session_confirm');
  const ownerParts = collect(owner, 'bot_uttered', 2);
  owner.emit('user_uttered', { message: 'hi', customData: { userId: 'u-42', userHash: signUserId(SECRET, 'u-42') }, session_id: 'victim-session' });
  await ownerParts;

  for (const customData of [{ userId: 'u-42' }, { userId: 'u-7', userHash: signUserId(SECRET, 'u-7') }, {}]) {
    const intruder = channel.client();
    await next(intruder, 'connect');
    intruder.emit('session_request', { session_id: 'victim-session' });
    assert.equal(await next<string>(intruder, 'session_confirm'), 'victim-session');
    const moved = next<string>(intruder, 'session_confirm');
    const intruderParts = collect(intruder, 'bot_uttered', 2);
    const overheard: unknown[] = [];
    intruder.on('bot_uttered', (data: unknown) => overheard.push(data));
    intruder.emit('user_uttered', { message: 'what did I do?', customData, session_id: 'victim-session' });
    const fresh = await moved;
    assert.match(fresh, /^[0-9a-f]{32}$/);
    await intruderParts;
    assert.equal(channel.replies.requests.at(-1)?.conversationId, fresh, JSON.stringify(customData));

    const ownerHears = next(owner, 'bot_uttered');
    await channel.channel.sendToConversation('victim-session', 'for the owner only');
    assert.deepEqual(await ownerHears, { text: 'for the owner only' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(!overheard.some((data) => JSON.stringify(data).includes('owner only')), 'the intruder hears nothing of the owner');
    intruder.close();
  }
  assert.equal(await channel.channel.forgetUser('u-42'), 1);
  assert.equal(await channel.channel.sendToConversation('victim-session', 'gone'), false, 'a forgotten user’s sockets leave the room');
});

test('the Origin is checked on every transport: a websocket from an origin not listed is refused', async (t) => {
  const channel = await startChannel({ corsOrigins: ['http://app.example.com'] });
  t.after(() => channel.close());
  const refused = channel.client({ transports: ['websocket'], extraHeaders: { origin: 'http://evil.example.com' }, reconnection: false });
  const error = await next<Error>(refused, 'connect_error');
  assert.ok(error instanceof Error);
  const allowed = channel.client({ transports: ['websocket'], extraHeaders: { origin: 'http://app.example.com' }, reconnection: false });
  await next(allowed, 'connect');
});
