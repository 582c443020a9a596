/**
 * An ordered registry of proactive triggers (Autoplay's `evaluate_first` / `evaluate_all`). Unlike Autoplay's, a trigger
 * that throws does not stop the others: the error goes to `onError` and evaluation goes on.
 */
import { createError } from '../errors.ts';
import type { ProactiveContext, ProactiveProposal, ProactiveTrigger } from './proactive-trigger.ts';

/** Options of {@link ProactiveTriggerRegistry}. */
export interface ProactiveTriggerRegistryOptions {
  /** Told about a trigger that threw; default: nothing (the trigger counts as no hit). */
  onError?: (error: unknown, triggerId: string) => void;
}

/**
 * Triggers in registration order.
 *
 * @example
 * const registry = new ProactiveTriggerRegistry(builtinTriggers());
 * registry.register(playbookTrigger(() => playbook.current));
 * const hit = registry.evaluateFirst({ state, now: Date.now() });
 */
export class ProactiveTriggerRegistry {
  private readonly triggers: ProactiveTrigger[] = [];
  private readonly onError: (error: unknown, triggerId: string) => void;

  constructor(triggers: Iterable<ProactiveTrigger> = [], options: ProactiveTriggerRegistryOptions = {}) {
    this.onError = options.onError ?? (() => undefined);
    for (const trigger of triggers) this.register(trigger);
  }

  /**
   * Adds a trigger after the others.
   *
   * @throws SightlineError `SL_CONFIG_INVALID` when a trigger with the same id is registered already.
   */
  register(trigger: ProactiveTrigger): this {
    if (this.triggers.some((existing) => existing.id === trigger.id)) {
      throw createError('SL_CONFIG_INVALID', { option: 'trigger', reason: `a trigger with id '${trigger.id}' is registered already` });
    }
    this.triggers.push(trigger);
    return this;
  }

  /** The ids, in order. */
  get ids(): string[] {
    return this.triggers.map((trigger) => trigger.id);
  }

  /** The first hit, in registration order, or null. */
  evaluateFirst(context: ProactiveContext): ProactiveProposal | null {
    for (const trigger of this.triggers) {
      const hit = this.run(trigger, context);
      if (hit) return hit;
    }
    return null;
  }

  /** Every hit, in registration order. */
  evaluateAll(context: ProactiveContext): ProactiveProposal[] {
    const hits: ProactiveProposal[] = [];
    for (const trigger of this.triggers) {
      const hit = this.run(trigger, context);
      if (hit) hits.push(hit);
    }
    return hits;
  }

  private run(trigger: ProactiveTrigger, context: ProactiveContext): ProactiveProposal | null {
    try {
      return trigger.evaluate(context) ?? null;
    } catch (error) {
      this.onError(error, trigger.id);
      return null;
    }
  }
}
