/**
 * A Rasa-compatible socket.io channel (docs/reference/rasa-protocols.md#socketio-channel), so rasa-webchat talks to the
 * bridge directly when no Rasa runs: `session_request` → `session_confirm` (bare id string),
 * `user_uttered {message, session_id, customData}` → `bot_uttered {text}`.
 *
 * Who hears what (docs/security.md): the `Origin` of every transport is checked against the allowed origins
 * (websocket requests skip CORS); the widget's `customData.userId` counts only with its `userHash` (or `userToken`);
 * and a conversation belongs to the identity that first spoke in it, so a socket joins a conversation's room only
 * once its own message passed that check.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket, type ServerOptions } from 'socket.io';
import { isSightlineError } from '@sightline/protocol';
import { clientAddress } from '../auth/client-address.ts';
import type { IdentityVerdict, IdentityVerifier } from '../identity/identity-verifier.ts';
import type { SenderDirectory } from '../identity/sender-directory.ts';
import { hashedUserId } from '../identity/user-hash.ts';
import type { ReplyService } from '../reply/reply-types.ts';
import { asRecord, identifier } from '../support/as-record.ts';
import { MemoryConversationBindings, type ConversationBindings, type ConversationOwner } from './conversation-bindings.ts';

/** Options of {@link attachSocketChannel}. */
export interface SocketChannelOptions {
  replies: ReplyService;
  senders: SenderDirectory;
  /** Checks `customData.userId` with its `userHash` or `userToken`. */
  identity: IdentityVerifier;
  now: () => number;
  /** Allowed browser origins (`*` or a list; an empty list admits only clients that send no `Origin`). */
  corsOrigins: '*' | string[];
  /** Proxy hops whose `X-Forwarded-For` is trusted for the client address (default 0). */
  trustProxyHops?: number;
  /** Conversations whose owner is remembered by the default memory bindings (default 10,000). */
  maxConversations?: number;
  /** Who owns each conversation; default: in memory. Bridges sharing Redis share them (redis-conversation-bindings.ts). */
  bindings?: ConversationBindings;
  /**
   * The socket.io adapter; default: socket.io's in-memory one. With `@socket.io/redis-adapter` the rooms span bridges,
   * so a message sent on one bridge reaches a widget connected to another.
   */
  adapter?: ServerOptions['adapter'];
  /** Key the conversation by the widget's `session_id` (Rasa's `session_persistence: true`; default true). */
  sessionPersistence?: boolean;
  /** The key of the widget's metadata in `user_uttered` (Rasa's `metadata_key`; default `customData`). */
  metadataKey?: string;
  /** Path of the socket.io endpoint (default `/socket.io`). */
  path?: string;
  logger?: Logger;
  /** Proactive help (docs/proactive.md): told when a verified widget is ready and about each verified message. */
  proactive?: SocketProactiveHooks;
}

/** What the channel tells the proactive service. */
export interface SocketProactiveHooks {
  onWidgetReady(userId: string): Promise<void>;
  /** Resolves `reply` text to answer with instead of a reply (the user said "Not now"), or null. */
  onUserMessage(message: { userId: string; conversationId: string; text: string; language: string | null }): Promise<{ reply: string | null }>;
}

/**
 * The message a widget sends, unseen, to say it is connected (rasa-webchat's `tooltipPayload`, sent while the chat is
 * closed): its identity is checked and its conversation bound as for any message, and nothing is answered. Until a
 * widget has spoken, by this or by a message, the bridge does not know whose it is, so no offer can reach it.
 */
export const WIDGET_READY_PAYLOAD = '/widget_ready';

/** What the channel keeps on each socket that spoke (socket.data, readable from every bridge through the adapter). */
interface SocketPresence {
  userId: string | null;
  verified: boolean;
  conversationId: string;
  windowId: string | null;
  language: string | null;
}

/** Rooms of a user's verified sockets, and of sockets whose claimed id did not verify. The space keeps them apart from conversation ids. */
const verifiedRoom = (userId: string): string => `sightline verified ${userId}`;
const unverifiedRoom = (userId: string): string => `sightline unverified ${userId}`;

/** The running channel. */
export interface SocketChannel {
  io: Server;
  /**
   * Sends bot messages to a conversation's room (proactive delivery), on every bridge that shares the adapter;
   * resolves to whether anyone was there.
   */
  sendToConversation(conversationId: string, text: string): Promise<boolean>;
  /**
   * Sends a proactive offer: the text, with the quick replies (plain-text payloads) on its last part; resolves to
   * whether a widget was in the conversation.
   */
  sendOffer(conversationId: string, text: string, quickReplies: readonly string[]): Promise<boolean>;
  /** The user's open widgets whose identity verified (on every bridge), and how many unverified ones claim the id. */
  widgetsOf(userId: string): Promise<{ verified: Array<{ conversationId: string; windowId: string | null; language: string | null }>; unverified: number }>;
  /** Unbinds a user's conversations and takes their sockets out of those rooms (on every bridge); resolves to how many. */
  forgetUser(userId: string): Promise<number>;
  /** Number of connected sockets. */
  readonly connectedCount: number;
  close(): Promise<void>;
}

const SESSION_ID = /^[\w.:-]{1,128}$/;
/** Taken conversation ids one socket is remembered to have been moved out of. */
const MAX_MOVED_CONVERSATIONS = 16;
/** Messages of one socket waiting for their answer before new ones are dropped. */
const MAX_WAITING_UTTERANCES = 8;
const TOO_LONG_TEXT = 'That message is too long for me. Could you ask it in fewer words?';
const FALLBACK_TEXT = "Sorry, something went wrong on my side. Could you ask me again?";
const SLOW_DOWN_TEXT = "You're sending messages faster than I can answer. Give me a moment and ask again.";

/** The widget's metadata: an object, or a JSON string of one (Rasa accepts both); anything else is `{}`. */
function parseMetadata(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    try {
      return asRecord(JSON.parse(value)) ?? {};
    } catch {
      return {};
    }
  }
  return asRecord(value) ?? {};
}

/** Text parts as Rasa's channel sends them: one `bot_uttered` per paragraph. */
export function splitBotText(text: string): string[] {
  const parts = text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.length > 0 ? parts : [text];
}

/** An init payload such as `/greet` asks for a greeting; other `/intent` payloads are read as words. */
function classify(message: string): { kind: 'greet' } | { kind: 'query'; query: string } {
  const intent = /^\/([A-Za-z][\w-]*)(\{.*\})?$/s.exec(message);
  if (!intent) return { kind: 'query', query: message };
  if (intent[1]!.toLowerCase() === 'greet') return { kind: 'greet' };
  return { kind: 'query', query: intent[1]!.replace(/[_-]+/g, ' ') };
}

/**
 * Attaches the channel to an HTTP server (the bridge's Fastify server).
 *
 * @example
 * const channel = attachSocketChannel(app.server, { replies, senders, now: Date.now, corsOrigins: '*' });
 */
export function attachSocketChannel(server: HttpServer, options: SocketChannelOptions): SocketChannel {
  const persistence = options.sessionPersistence ?? true;
  const metadataKey = options.metadataKey ?? 'customData';
  const log = options.logger;
  const bindings = options.bindings ?? new MemoryConversationBindings({ maxConversations: options.maxConversations ?? 10_000 });
  const allowed = options.corsOrigins === '*' ? null : new Set(options.corsOrigins);
  const io = new Server(server, {
    path: options.path ?? '/socket.io',
    cors: { origin: options.corsOrigins === '*' ? '*' : options.corsOrigins },
    maxHttpBufferSize: 256 * 1024,
    serveClient: false,
    ...(options.adapter ? { adapter: options.adapter } : {}),
    // Every transport's handshake, websocket included (browsers send no CORS preflight for a websocket).
    allowRequest: (request: IncomingMessage, callback) => {
      const origin = request.headers.origin;
      const ok = origin === undefined || allowed === null || allowed.has(origin);
      if (!ok) log?.info({ origin: String(origin).slice(0, 200) }, 'socket-origin-refused');
      callback(ok ? null : 'origin not allowed', ok);
    },
  });

  const emitText = (room: string, text: string): void => {
    for (const part of splitBotText(text)) io.to(room).emit('bot_uttered', { text: part });
  };

  // The last queued answer of each socket, so closing waits for answers in flight (they still use the stores).
  const answering = new Set<Promise<void>>();
  io.on('connection', (socket: Socket) => {
    // Messages of one socket are answered in order, one at a time.
    let queue: Promise<void> = Promise.resolve();
    const address = clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], options.trustProxyHops ?? 0);
    // Conversations this socket was moved out of (someone else's id) → the fresh one it got instead.
    const movedTo = new Map<string, string>();

    socket.on('session_request', (data: unknown) => {
      const requested = identifier(asRecord(data)?.['session_id']);
      const sessionId = requested !== undefined && SESSION_ID.test(requested) ? requested : randomBytes(16).toString('hex');
      // The room is joined on the first message, once its sender's identity is known (see handleUtterance).
      socket.emit('session_confirm', sessionId);
    });

    let waiting = 0;
    socket.on('user_uttered', (data: unknown) => {
      // A client flooding messages gets the excess dropped instead of an ever-growing queue.
      if (waiting >= MAX_WAITING_UTTERANCES) {
        log?.warn({ socket: socket.id }, 'socket-utterance-dropped');
        return;
      }
      waiting++;
      queue = queue
        .then(() => handleUtterance(socket, data, address, movedTo))
        .catch((error: unknown) => log?.error({ err: error }, 'socket-utterance-failed'))
        .finally(() => waiting--);
      answering.add(queue);
      const current = queue;
      void current.finally(() => answering.delete(current));
    });
  });

  /**
   * The conversation a message goes to: its session id when the sender's identity owns it (or it was free), else a
   * fresh one that the widget is told about with a new `session_confirm`.
   */
  async function conversationFor(socket: Socket, sessionId: string, owner: ConversationOwner, movedTo: Map<string, string>): Promise<string> {
    const moved = movedTo.get(sessionId);
    if (moved !== undefined && (await bindings.ownerOf(moved)) === owner) return moved;
    if (await bindings.claim(sessionId, owner)) return sessionId;
    const fresh = randomBytes(16).toString('hex');
    await bindings.claim(fresh, owner);
    // Bounded: a socket naming one taken id after another keeps only its latest moves.
    if (movedTo.size >= MAX_MOVED_CONVERSATIONS) movedTo.delete(movedTo.keys().next().value as string);
    movedTo.set(sessionId, fresh);
    log?.info({ socket: socket.id }, 'socket-conversation-claimed-by-another-identity');
    socket.emit('session_confirm', fresh);
    return fresh;
  }

  /** Keeps what the socket said about itself, and puts it in its user's room (verified or not). */
  async function remember(socket: Socket, presence: SocketPresence): Promise<void> {
    const previous = socket.data.sightline as SocketPresence | undefined;
    if (previous?.userId && (previous.userId !== presence.userId || previous.verified !== presence.verified)) {
      await socket.leave(previous.verified ? verifiedRoom(previous.userId) : unverifiedRoom(previous.userId));
    }
    socket.data.sightline = presence;
    if (presence.userId) await socket.join(presence.verified ? verifiedRoom(presence.userId) : unverifiedRoom(presence.userId));
  }

  async function handleUtterance(socket: Socket, data: unknown, address: string, movedTo: Map<string, string>): Promise<void> {
    const body = asRecord(data);
    const message = typeof body?.['message'] === 'string' ? (body['message'] as string).trim() : '';
    const sessionId = identifier(body?.['session_id']);
    if (persistence && (sessionId === undefined || !SESSION_ID.test(sessionId))) {
      // Rasa ignores such a message too: without the id there is no conversation to answer in.
      log?.warn({ socket: socket.id }, 'socket-utterance-without-session-id');
      return;
    }
    if (message === '') return;
    const metadata = parseMetadata(body?.[metadataKey]);
    const verdict: IdentityVerdict = await options.identity.verify(
      { userId: identifier(metadata['userId']), userHash: identifier(metadata['userHash']), userToken: identifier(metadata['userToken']) },
      address,
    );
    if (!verdict.ok && verdict.reason !== 'no_user_id') {
      const user = verdict.userId === null ? null : hashedUserId(verdict.userId);
      log?.info({ code: 'SL_IDENTITY_UNVERIFIED', reason: verdict.reason, user, channel: 'socket' }, 'identity-unverified');
    }
    const owner: ConversationOwner = verdict.ok ? `user:${verdict.userId}` : `socket:${socket.id}`;
    const conversationId = persistence ? await conversationFor(socket, sessionId!, owner, movedTo) : socket.id;
    const room = conversationId;
    if (persistence && !socket.rooms.has(room)) await socket.join(room);
    const userId = verdict.ok ? verdict.userId : conversationId;
    if (verdict.ok) await options.senders.learnSocketConversation(verdict.userId, conversationId, options.now());
    const language = identifier(metadata['language']) ?? null;
    await remember(socket, {
      userId: verdict.userId ?? null,
      verified: verdict.ok,
      conversationId,
      windowId: identifier(metadata['windowId']) ?? null,
      language,
    });
    if (message === WIDGET_READY_PAYLOAD) {
      if (verdict.ok) await options.proactive?.onWidgetReady(verdict.userId);
      return;
    }
    if (verdict.ok && options.proactive) {
      const answer = await options.proactive.onUserMessage({ userId: verdict.userId, conversationId, text: message, language });
      if (answer.reply !== null) {
        emitText(room, answer.reply);
        return;
      }
    }

    const intent = classify(message);
    if (intent.kind === 'greet') {
      emitText(room, await options.replies.greet(userId, { verified: verdict.ok }));
      return;
    }
    try {
      const prepared = await options.replies.prepare({
        userId,
        query: intent.query,
        sessionId: identifier(metadata['sessionId']) ?? identifier(metadata['session_id']) ?? null,
        conversationId,
        language: identifier(metadata['language']) ?? null,
        verified: verdict.ok,
        channel: 'socket',
      });
      emitText(room, prepared.body.reply);
      await prepared.commit();
    } catch (error) {
      if (isSightlineError(error, 'SL_QUERY_TOO_LONG')) emitText(room, TOO_LONG_TEXT);
      else if (isSightlineError(error, 'SL_RATE_LIMITED')) emitText(room, SLOW_DOWN_TEXT);
      else {
        log?.warn({ err: error }, 'socket-reply-failed');
        emitText(room, FALLBACK_TEXT);
      }
    }
  }

  return {
    io,
    async sendToConversation(conversationId, text) {
      emitText(conversationId, text);
      // Across bridges this asks every bridge on the adapter; in memory it is this server's room.
      return (await io.in(conversationId).fetchSockets()).length > 0;
    },
    async sendOffer(conversationId, text, quickReplies) {
      const parts = splitBotText(text);
      const replies = quickReplies.map((title) => ({ content_type: 'text', title, payload: title }));
      parts.forEach((part, position) => {
        io.to(conversationId).emit('bot_uttered', position === parts.length - 1 && replies.length > 0 ? { text: part, quick_replies: replies } : { text: part });
      });
      return (await io.in(conversationId).fetchSockets()).length > 0;
    },
    async widgetsOf(userId) {
      const [verified, unverified] = await Promise.all([io.in(verifiedRoom(userId)).fetchSockets(), io.in(unverifiedRoom(userId)).fetchSockets()]);
      const seen = new Map<string, { conversationId: string; windowId: string | null; language: string | null }>();
      for (const socket of verified) {
        const presence = socket.data.sightline as SocketPresence | undefined;
        if (!presence || !presence.verified || presence.userId !== userId || seen.has(presence.conversationId)) continue;
        seen.set(presence.conversationId, { conversationId: presence.conversationId, windowId: presence.windowId, language: presence.language });
      }
      return { verified: [...seen.values()], unverified: unverified.length };
    },
    async forgetUser(userId) {
      io.in(verifiedRoom(userId)).socketsLeave(verifiedRoom(userId));
      const removed = await bindings.forgetUser(userId);
      for (const room of removed) io.in(room).socketsLeave(room);
      return removed.length;
    },
    get connectedCount() {
      return io.engine.clientsCount;
    },
    async close() {
      // io.close() also closes the HTTP server; the bridge closes that itself, so only disconnect sockets.
      // Only this bridge's sockets: with the Redis adapter a plain disconnectSockets would end every bridge's.
      io.local.disconnectSockets(true);
      io.engine.close();
      // Answers being prepared still read and write the stores, which the bridge closes next.
      await Promise.all(answering);
    },
  };
}
