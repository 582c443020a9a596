import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { SenderDirectory } from '../identity/sender-directory.ts';
import type { ReplyRequest, ReplyService } from '../reply/reply-types.ts';
import { attachSocketChannel, splitBotText } from './socket-channel.ts';

/** The parts of a socket.io-client 3 socket these tests use (the package's ESM wrapper ships no types). */
interface Socket {
  readonly id: string;
  on(event: string, listener: (data: never) => void): Socket;
  once(event: string, listener: (data: never) => void): Socket;
  emit(event: string, ...args: unknown[]): Socket;
  close(): Socket;
}

// The client version rasa-webchat 1.0.1 bundles (socket.io-client 3.1.2: Engine.IO 4, Socket.IO protocol 5).
const { io: connect } = createRequire(import.meta.url)('socket.io-client-v3') as {
  io: (url: string, options: Record<string, unknown>) => Socket;
};

function fakeReplies() {
  const requests: ReplyRequest[] = [];
  let commits = 0;
  const service: ReplyService = {
    async prepare(request) {
      requests.push(request);
      return { body: { reply: `First part.\n\nSecond part about ${request.query}`, name: null, has_activity: true }, commit: async () => void commits++ };
    },
    async greet(userId) {
      return `Hi ${userId}!`;
    },
  };
  return { service, requests, commits: () => commits };
}

async function startChannel(options: { sessionPersistence?: boolean; corsOrigins?: '*' | string[] } = {}) {
  const server = createServer();
  const replies = fakeReplies();
  const senders = new SenderDirectory();
  const channel = attachSocketChannel(server, {
    replies: replies.service,
    senders,
    now: () => 1_700_000_000_000,
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
    { userId: 'u-42', query: 'how do I add a teammate?', sessionId: null, conversationId: sessionId, language: 'en', channel: 'socket' },
  ]);
  assert.equal(channel.senders.get('u-42')?.socketConversationId, sessionId);
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

test('without persistence the sender is the socket id and the user id falls back to it', async (t) => {
  const channel = await startChannel({ sessionPersistence: false });
  t.after(() => channel.close());
  const socket = channel.client();
  await next(socket, 'connect');
  const parts = collect(socket, 'bot_uttered', 2);
  socket.emit('user_uttered', { message: 'hello there', session_id: 'ignored-id' });
  await parts;
  assert.equal(channel.replies.requests[0]?.conversationId, socket.id);
  assert.equal(channel.replies.requests[0]?.userId, socket.id);
});

test('a proactive message reaches the conversation room', async (t) => {
  const channel = await startChannel();
  t.after(() => channel.close());
  const socket = channel.client();
  await next(socket, 'connect');
  socket.emit('session_request', { session_id: 'room-1' });
  await next(socket, 'session_confirm');
  const received = next(socket, 'bot_uttered');
  assert.equal(channel.channel.sendToConversation('room-1', 'Need a hand with the invite?'), true);
  assert.deepEqual(await received, { text: 'Need a hand with the invite?' });
  assert.equal(channel.channel.sendToConversation('nobody-here', 'hi'), false);
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
