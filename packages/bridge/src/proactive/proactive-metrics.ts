/**
 * The proactive counters, on the bridge's registry (docs/proactive.md, "What operators see"). Every reason is set to 0
 * up front, so a dashboard shows a suppression kind before its first occurrence.
 */
import { Counter, type Registry } from 'prom-client';
import { PROACTIVE_REASONS, type ProactiveReason } from '@sightline/sdk';

/** Where an offer went: the widget through the bridge's socket (`socket`), Rasa's HTTP API (`rasa`), the webhook. */
export type ProactiveChannel = 'socket' | 'rasa' | 'webhook';

/** `delivered`: a widget was there to get it; `sent`: accepted by Rasa or the webhook, which the bridge cannot see further; `failed`. */
export type DeliveryOutcome = 'delivered' | 'sent' | 'failed';

/** The hooks the proactive service feeds. */
export interface ProactiveMetrics {
  recordEvaluated(): void;
  recordDecision(reason: ProactiveReason, triggerId: string): void;
  recordDelivery(channel: ProactiveChannel, outcome: DeliveryOutcome): void;
  recordAnswered(answer: 'reply' | 'not_now'): void;
  /** How an offer of a built-in trigger was worded with a model configured: its words, or the template after a rejected or failed answer. */
  recordPhrasing(outcome: 'model' | 'rejected' | 'failed'): void;
}

/**
 * @example
 * const proactiveMetrics = createProactiveMetrics(metrics.registry);
 */
export function createProactiveMetrics(registry: Registry): ProactiveMetrics {
  const evaluated = new Counter({
    name: 'sightline_bridge_proactive_evaluated_total',
    help: 'Tabs whose activity state the proactive triggers evaluated (on each actions payload and on the pulse).',
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'sightline_bridge_proactive_decisions_total',
    help: 'Trigger hits decided, by reason: fired, or why suppressed (cooldown, user_chatting, no_open_widget, unverified, dismissed, cap).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const fired = new Counter({
    name: 'sightline_bridge_proactive_fired_total',
    help: 'Offers fired, by trigger (built-in id, or playbook:<rule id>).',
    labelNames: ['trigger'] as const,
    registers: [registry],
  });
  const suppressed = new Counter({
    name: 'sightline_bridge_proactive_suppressed_total',
    help: 'Trigger hits suppressed, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const delivered = new Counter({
    name: 'sightline_bridge_proactive_delivered_total',
    help: 'Offers handed to a channel, by channel (socket, rasa, webhook) and outcome (delivered, sent, failed).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const answered = new Counter({
    name: 'sightline_bridge_proactive_answered_total',
    help: 'Offers the user answered, by answer (reply: a quick reply or a message; not_now).',
    labelNames: ['answer'] as const,
    registers: [registry],
  });
  const phrased = new Counter({
    name: 'sightline_bridge_proactive_phrased_total',
    help: 'Offers the model was asked to word, by outcome (model: its words went out; rejected or failed: the template did).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const reason of PROACTIVE_REASONS) {
    decisions.inc({ reason }, 0);
    if (reason !== 'fired') suppressed.inc({ reason }, 0);
  }
  return {
    recordEvaluated: () => evaluated.inc(),
    recordDecision(reason, triggerId) {
      decisions.inc({ reason });
      if (reason === 'fired') fired.inc({ trigger: triggerId });
      else suppressed.inc({ reason });
    },
    recordDelivery: (channel, outcome) => delivered.inc({ channel, outcome }),
    recordAnswered: (answer) => answered.inc({ answer }),
    recordPhrasing: (outcome) => phrased.inc({ outcome }),
  };
}
