/**
 * The bridge's proactive help (docs/proactive.md): after each actions payload, and on a pulse for the moments that
 * are made of time (a page dwelt on, a dialog left open), the triggers evaluate the tab's activity state; a hit goes
 * through the gate (`decideProactive` over the session's SessionState and the user's ledger); a fired offer is claimed
 * once across bridges and delivered to the user's widget (the verified conversation of the tab, else one open
 * conversation of theirs), to Rasa (a sender seen recently), and to the signed webhook. Without an open widget the
 * offer waits `PROACTIVE_HOLD_S` for one, then is dropped and counted.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { backoffDelay } from '@sightline/protocol';
import {
  acceptPhrasing,
  proactivePhrasingPrompt,
  ProactiveTriggerRegistry,
  builtinTriggers,
  decideProactive,
  isNotNowReply,
  playbookTrigger,
  proactiveMessage,
  templateLanguage,
  type ActivityKey,
  type ActivityState,
  type Clock,
  type ProactiveMessage,
  type ProactivePhrasingPrompt,
  type ProactiveProposal,
  type ProactiveReason,
  type ProactiveTrigger,
  type SessionState,
  type TimerHandle,
} from '@sightline/sdk';
import { PlaybookFile } from '@sightline/sdk/playbook';
import { hashedUserId } from '../identity/user-hash.ts';
import type { SenderDirectory } from '../identity/sender-directory.ts';
import { LruMap } from '@sightline/sdk/internal';
import type { ProactiveLedger } from './proactive-ledger.ts';
import type { ProactiveMetrics } from './proactive-metrics.ts';
import type { ProactiveOffer, SendResult } from './proactive-offer.ts';
import type { ProactiveSettings } from './proactive-settings.ts';

/** An open widget of a verified user, as the socket channel knows it. */
export interface WidgetPresence {
  conversationId: string;
  /** The tab (posthog-js `$window_id`) the widget said it runs in, or null. */
  windowId: string | null;
  /** The widget's `customData.language`, or null. */
  language: string | null;
}

/** The bridge's own chat widget channel, as the proactive service uses it. */
export interface WidgetChannel {
  /** The user's open widgets whose identity verified, on every bridge; and how many unverified ones claim the id. */
  widgetsOf(userId: string): Promise<{ verified: WidgetPresence[]; unverified: number }>;
  /** Sends an offer (text and quick replies) to a conversation; resolves to whether a widget was there. */
  sendOffer(conversationId: string, text: string, quickReplies: readonly string[]): Promise<boolean>;
}

/** What the session states offer the service (pipeline/session-states.ts). */
export interface ProactiveSessionStates {
  touch(key: { productId: string; sessionId: string }): Promise<SessionState>;
  markProactive(key: { productId: string; sessionId: string }, triggerId: string): Promise<boolean>;
}

/** Options of {@link createProactiveService}. */
export interface ProactiveServiceOptions {
  settings: ProactiveSettings;
  tracker: { get(key: ActivityKey): Promise<ActivityState | null> };
  states: ProactiveSessionStates;
  ledger: ProactiveLedger;
  senders: Pick<SenderDirectory, 'get'>;
  clock: Clock;
  logger: Logger;
  metrics?: ProactiveMetrics;
  rasa?: { send(senderId: string, offer: ProactiveOffer): Promise<SendResult> };
  webhook?: { send(offer: ProactiveOffer): Promise<SendResult> };
  /** Triggers of one's own, evaluated after the playbook and the built-ins. */
  triggers?: ProactiveTrigger[];
  /**
   * The configured language model, to phrase the built-in triggers' offers (docs/proactive.md, "Phrasing by the
   * model"); its answer is used only when `acceptPhrasing` takes it, else the template. Absent: templates only.
   */
  phrase?: (request: ProactivePhrasingPrompt & { signal: AbortSignal }) => Promise<string>;
  /** How long the model may take to phrase an offer before the template goes instead, ms. Default 3000. */
  phraseTimeoutMs?: number;
  /** How often tabs are evaluated again for the moments made of time, ms. Default 5000. */
  pulseMs?: number;
  /** How long an offer counts as open for "Not now" and answers, seconds (the session's interaction timeout). Default 60. */
  interactionTimeoutS?: number;
}

/** What happened to a user's chat message that answered an offer. */
export interface OfferAnswer {
  /** The text to answer with instead of a reply ("Not now" was taken), or null to answer as usual. */
  reply: string | null;
}

/** The running service. */
export interface ProactiveService {
  /** Tabs just changed by an actions payload: evaluate them now, and keep them on the pulse. */
  onActivity(tabs: readonly ActivityState[]): Promise<void>;
  /** A verified widget of the user connected: an offer held for them goes out now. */
  onWidgetReady(userId: string): Promise<void>;
  /** A verified user wrote in a conversation: "Not now" backs off; any other message answers the open offer. */
  onUserMessage(message: { userId: string; conversationId: string; text: string; language: string | null }): Promise<OfferAnswer>;
  /**
   * Rasa called one of the bridge's answering actions for a conversation: when an offer is open there, it was answered
   * (the offer's question button, or any message). "Not now" goes to {@link ProactiveService.dismiss} instead.
   */
  onRasaAnswer(senderId: string): void;
  /**
   * The user said "Not now" (the widget's quick reply, or Rasa's button): offers stay away for `PROACTIVE_DISMISS_BACKOFF_S`,
   * doubled at each further "Not now" (at most a day). Resolves to the answer, in `language`.
   */
  dismiss(userId: string, language: string): Promise<string>;
  /** Connects the socket channel (attached after the service is built). */
  setWidgets(widgets: WidgetChannel): void;
  /** Forgets what the ledger and this process hold about a user. */
  forgetUser(userId: string): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

/** Tabs kept on the pulse; the least recently active dropped first. */
const MAX_WATCHED_TABS = 10_000;
/** A tab with no action for this long leaves the pulse, seconds. */
const WATCH_IDLE_S = 30 * 60;
/** The longest "Not now" back-off, ms. */
const MAX_BACKOFF_MS = 24 * 3600 * 1000;
/** Said after "Not now", in the offer's language. */
const NOT_NOW_ANSWERS: Record<string, string> = {
  en: "Okay, I'll leave you to it. Ask me any time.",
  es: 'De acuerdo, no te interrumpo. Pregúntame cuando quieras.',
  fr: "D'accord, je vous laisse. Demandez-moi quand vous voulez.",
  de: 'Alles klar, ich halte mich zurück. Fragen Sie jederzeit.',
  pt: 'Tudo bem, não vou interromper. Pergunte quando quiser.',
};

/** What the assistant says after "Not now", in `language` (English when it has no template for it). */
export function notNowAnswer(language: string | null): string {
  return NOT_NOW_ANSWERS[templateLanguage(language) ?? 'en']!;
}

function tabIdOf(key: ActivityKey): string {
  return `${key.productId}\u001f${key.sessionId}\u001f${key.windowId ?? ''}`;
}

/**
 * Builds the service; nothing runs until {@link ProactiveService.start}.
 *
 * @example
 * const proactive = createProactiveService({ settings, tracker, states, ledger, senders, clock, logger });
 * await proactive.start();
 */
export function createProactiveService(options: ProactiveServiceOptions): ProactiveService {
  const { settings, clock, logger, ledger } = options;
  const pulseMs = options.pulseMs ?? 5000;
  const offerOpenMs = (options.interactionTimeoutS ?? 60) * 1000;
  let widgets: WidgetChannel | undefined;
  const playbook = settings.playbookFile
    ? new PlaybookFile({
        path: settings.playbookFile,
        clock,
        logger: {
          debug: (message, fields) => logger.debug(fields ?? {}, message),
          info: (message, fields) => logger.info(fields ?? {}, message),
          warn: (message, fields) => logger.warn(fields ?? {}, message),
          error: (message, fields) => logger.error(fields ?? {}, message),
        },
        onChange: () => {
          registry = buildRegistry();
        },
      })
    : null;

  function buildRegistry(): ProactiveTriggerRegistry {
    const onError = (error: unknown, triggerId: string) => logger.warn({ err: error, trigger: triggerId }, 'proactive-trigger-failed');
    const registry = new ProactiveTriggerRegistry([], { onError });
    // The product team's rules first: what they wrote for a page wins over a generic nudge.
    if (playbook) registry.register(playbookTrigger(() => playbook.current));
    for (const trigger of builtinTriggers(playbook?.current?.triggers ?? {})) registry.register(trigger);
    for (const trigger of options.triggers ?? []) registry.register(trigger);
    return registry;
  }
  let registry = buildRegistry();

  /** Moments decided already (by tab, trigger and moment): each is decided once, so the pulse never counts it twice. */
  const decided = new LruMap<string, true>(MAX_WATCHED_TABS * 4);
  const watched = new LruMap<string, ActivityKey>(MAX_WATCHED_TABS);
  /** Offers waiting for a widget, one per user (the latest). */
  const held = new Map<string, { proposal: ProactiveProposal; state: ActivityState; timer: TimerHandle }>();
  /** Offers open in a conversation, for "Not now" and the answered count. */
  const openOffers = new LruMap<string, { userId: string; triggerId: string; language: string; at: number }>(10_000);
  /** The language of each user's last chat message. */
  const lastLanguage = new LruMap<string, string>(10_000);
  let timer: TimerHandle | undefined;
  let running = false;

  function record(reason: ProactiveReason, proposal: ProactiveProposal, state: ActivityState): void {
    options.metrics?.recordDecision(reason, proposal.triggerId);
    logger.debug(
      {
        trigger: proposal.triggerId,
        reason,
        user: state.userId === null ? null : hashedUserId(state.userId),
        product_id: state.key.productId,
        session_id: state.key.sessionId,
        window_id: state.key.windowId,
      },
      'proactive-decided',
    );
  }

  async function targetsOf(userId: string, windowId: string | null) {
    const open = widgets ? await widgets.widgetsOf(userId) : { verified: [], unverified: 0 };
    // The tab where the moment happened; when the tabs are not known, one open conversation of the user.
    const sameTab = windowId === null ? undefined : open.verified.find((widget) => widget.windowId === windowId);
    const knowsTabs = windowId !== null && open.verified.some((widget) => widget.windowId !== null);
    const widget = sameTab ?? (knowsTabs ? undefined : open.verified[0]);
    let rasaSender: string | null = null;
    if (options.rasa) {
      const known = await options.senders.get(userId);
      if (known?.rasaSenderId && clock.now() - known.updatedAt <= settings.senderRecentS * 1000) rasaSender = known.rasaSenderId;
    }
    // Known verified when a chat surface verified them: an open verified widget, or a sender learned from a verified
    // chat (the directory learns only those). Known unverified when the only widgets claiming the id failed the check.
    const isKnownVerified = open.verified.length > 0 || rasaSender !== null || (await options.senders.get(userId)) !== undefined;
    return { widget, rasaSender, isKnownVerified, hasUnverifiedOnly: open.verified.length === 0 && open.unverified > 0 };
  }

  async function decide(proposal: ProactiveProposal, state: ActivityState, isLastChance: boolean): Promise<void> {
    const userId = state.userId;
    if (userId === null) return record('unverified', proposal, state);
    const targets = await targetsOf(userId, state.key.windowId);
    // The webhook's chatbot holds its own conversations: it hears only about users a chat surface here verified.
    const hasSomewhere = targets.widget !== undefined || targets.rasaSender !== null || (options.webhook !== undefined && targets.isKnownVerified);
    const session = await options.states.touch({ productId: state.key.productId, sessionId: state.key.sessionId });
    const ledgerRecord = await ledger.read(userId);
    const now = clock.now();
    const reason = decideProactive({
      now,
      session,
      // Until a widget speaks the identity is not known either way: the offer waits for one (no_open_widget).
      isVerified: !targets.hasUnverifiedOnly,
      hasOpenWidget: hasSomewhere,
      triggerFiredAt: ledgerRecord.fired.filter((entry) => entry.triggerId === proposal.triggerId).at(-1)?.at ?? null,
      triggerCooldownS: proposal.cooldownS,
      dismissedUntil: ledgerRecord.dismissedUntil,
      firedInWindow: ledgerRecord.fired.filter((entry) => entry.at > now - settings.capWindowS * 1000).length,
      cap: settings.userCap,
    });
    if (reason === 'no_open_widget' && !isLastChance) return hold(userId, proposal, state);
    if (reason !== 'fired') return record(reason, proposal, state);

    const { productId, sessionId, windowId } = state.key;
    const hitKey = `${productId}|${sessionId}|${windowId ?? ''}|${proposal.triggerId}|${proposal.moment}`;
    if (!(await ledger.claim(hitKey, Math.max(proposal.cooldownS, 3600) * 1000))) {
      logger.debug({ trigger: proposal.triggerId, session_id: sessionId }, 'proactive-claimed-elsewhere');
      return;
    }
    if (!(await options.states.markProactive({ productId, sessionId }, proposal.triggerId))) return record('cooldown', proposal, state);
    await ledger.recordFired(userId, proposal.triggerId, now, Math.max(settings.capWindowS * 1000, proposal.cooldownS * 1000));
    record('fired', proposal, state);

    const message = await phrased(proposal, proactiveMessage(proposal, [lastLanguage.peek(userId), targets.widget?.language, settings.defaultLanguage]));
    const offer: ProactiveOffer = {
      id: `offer_${randomUUID()}`,
      userId,
      productId,
      sessionId,
      windowId,
      triggerId: proposal.triggerId,
      text: message.text,
      quickReplies: message.quickReplies,
      language: message.language,
      facts: proposal.facts,
      at: now,
    };
    await deliver(offer, targets.widget, targets.rasaSender, targets.isKnownVerified);
  }

  /** The model's wording of a built-in trigger's offer when it is grounded and short; the template otherwise. */
  async function phrased(proposal: ProactiveProposal, message: ProactiveMessage): Promise<ProactiveMessage> {
    // A playbook rule's words are the team's own: they go out as written.
    if (!options.phrase || proposal.text) return message;
    try {
      const answer = await options.phrase({ ...proactivePhrasingPrompt(proposal, message), signal: AbortSignal.timeout(options.phraseTimeoutMs ?? 3000) });
      const text = acceptPhrasing(answer, proposal);
      options.metrics?.recordPhrasing(text === null ? 'rejected' : 'model');
      if (text === null) {
        logger.info({ trigger: proposal.triggerId, length: answer.length }, 'proactive-phrasing-rejected');
        return message;
      }
      return { ...message, text };
    } catch (error) {
      options.metrics?.recordPhrasing('failed');
      logger.warn({ trigger: proposal.triggerId, reason: (error as Error).message }, 'proactive-phrasing-failed');
      return message;
    }
  }

  async function deliver(offer: ProactiveOffer, widget: WidgetPresence | undefined, rasaSender: string | null, isVerified: boolean): Promise<void> {
    const remember = (conversationId: string) => openOffers.set(conversationId, { userId: offer.userId, triggerId: offer.triggerId, language: offer.language, at: offer.at });
    if (widget && widgets) {
      const isThere = await widgets.sendOffer(widget.conversationId, offer.text, offer.quickReplies).catch((error: unknown) => {
        logger.warn({ err: error }, 'proactive-socket-failed');
        return false;
      });
      options.metrics?.recordDelivery('socket', isThere ? 'delivered' : 'failed');
      if (isThere) remember(widget.conversationId);
    }
    if (rasaSender !== null && options.rasa) {
      const result = await options.rasa.send(rasaSender, offer);
      options.metrics?.recordDelivery('rasa', result === 'sent' ? 'sent' : 'failed');
      if (result === 'sent') remember(rasaSender);
    }
    if (options.webhook && isVerified) {
      const result = await options.webhook.send(offer);
      options.metrics?.recordDelivery('webhook', result === 'sent' ? 'sent' : 'failed');
    }
    logger.info({ trigger: offer.triggerId, offer_id: offer.id, user: hashedUserId(offer.userId), language: offer.language }, 'proactive-offer-sent');
  }

  async function dismiss(userId: string, language: string): Promise<string> {
    options.metrics?.recordAnswered('not_now');
    const before = await ledger.read(userId);
    const backoffMs = backoffDelay(before.dismissals + 1, { initialMs: settings.dismissBackoffS * 1000, maxMs: MAX_BACKOFF_MS });
    await ledger.recordDismissed(userId, clock.now() + backoffMs, settings.capWindowS * 1000);
    logger.debug({ user: hashedUserId(userId), backoff_s: backoffMs / 1000 }, 'proactive-dismissed');
    return notNowAnswer(language);
  }

  function hold(userId: string, proposal: ProactiveProposal, state: ActivityState): void {
    const previous = held.get(userId);
    if (previous) {
      clock.clearTimeout(previous.timer);
      // The older offer is replaced by the newer moment: it is dropped, and counted.
      record('no_open_widget', previous.proposal, previous.state);
    }
    const entry = {
      proposal,
      state,
      timer: clock.setTimeout(() => {
        if (held.get(userId) !== entry) return;
        held.delete(userId);
        void decide(proposal, state, true).catch((error: unknown) => logger.warn({ err: error }, 'proactive-decide-failed'));
      }, settings.holdS * 1000),
    };
    held.set(userId, entry);
  }

  async function evaluate(state: ActivityState): Promise<void> {
    options.metrics?.recordEvaluated();
    // The first hit whose moment is new: a moment decided already (say, an earlier rage click) does not hide a new one.
    for (const proposal of registry.evaluateAll({ state, now: clock.now() })) {
      const momentKey = `${tabIdOf(state.key)}\u001f${proposal.triggerId}\u001f${proposal.moment}`;
      if (decided.peek(momentKey)) continue;
      decided.set(momentKey, true);
      await decide(proposal, state, false);
      return;
    }
  }

  async function pulse(): Promise<void> {
    const nowS = clock.now() / 1000;
    for (const id of [...watched.keys()]) {
      const key = watched.peek(id)!;
      const state = await options.tracker.get(key);
      if (!state || nowS - state.lastAt > WATCH_IDLE_S) {
        watched.delete(id);
        continue;
      }
      await evaluate(state);
    }
  }

  function schedule(): void {
    if (!running) return;
    timer = clock.setTimeout(() => {
      pulse()
        .catch((error: unknown) => logger.warn({ err: error }, 'proactive-pulse-failed'))
        .finally(schedule);
    }, pulseMs);
  }

  return {
    async onActivity(tabs) {
      for (const state of tabs) {
        watched.set(tabIdOf(state.key), state.key);
        try {
          await evaluate(state);
        } catch (error) {
          logger.warn({ err: error }, 'proactive-evaluate-failed');
        }
      }
    },
    async onWidgetReady(userId) {
      const entry = held.get(userId);
      if (!entry) return;
      held.delete(userId);
      clock.clearTimeout(entry.timer);
      await decide(entry.proposal, entry.state, true);
    },
    async onUserMessage({ userId, conversationId, text, language }) {
      const tag = templateLanguage(language);
      if (tag) lastLanguage.set(userId, tag);
      const offer = openOffers.peek(conversationId);
      if (!offer || offer.userId !== userId || clock.now() - offer.at > offerOpenMs) return { reply: null };
      openOffers.delete(conversationId);
      if (!isNotNowReply(text)) {
        options.metrics?.recordAnswered('reply');
        return { reply: null };
      }
      return { reply: await dismiss(userId, offer.language) };
    },
    onRasaAnswer(senderId) {
      const offer = openOffers.peek(senderId);
      if (!offer || clock.now() - offer.at > offerOpenMs) return;
      openOffers.delete(senderId);
      options.metrics?.recordAnswered('reply');
    },
    dismiss,
    setWidgets(value) {
      widgets = value;
    },
    async forgetUser(userId) {
      await ledger.forgetUser(userId);
      lastLanguage.delete(userId);
      const entry = held.get(userId);
      if (entry) clock.clearTimeout(entry.timer);
      held.delete(userId);
    },
    async start() {
      if (running) return;
      running = true;
      await playbook?.start();
      registry = buildRegistry();
      schedule();
    },
    stop() {
      running = false;
      playbook?.stop();
      if (timer !== undefined) clock.clearTimeout(timer);
      for (const entry of held.values()) clock.clearTimeout(entry.timer);
      held.clear();
    },
  };
}
