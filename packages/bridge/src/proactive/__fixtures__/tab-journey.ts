/**
 * Actions payloads of one tab, as the connector streams them: each step carries its page, target, container and
 * window, and the time moves on with the clock the test drives.
 */
import { createActionsPayload, type ActionContainer, type ActionsPayload, type SlimActionFields, type TargetRole } from '@sightline/protocol';

export class TabJourney {
  private index = 0;
  private page: { title: string; path: string } | null = null;

  constructor(private readonly tab: { productId: string; sessionId: string; userId: string | null; windowId: string; now: () => number }) {}

  navigate(title: string, path: string): SlimActionFields {
    this.page = { title, path };
    return this.action('pageview', 'navigate', { title: `Viewed ${title}` });
  }

  click(label: string, container: ActionContainer | null = null, role: TargetRole = 'button'): SlimActionFields {
    return this.action('click', 'click', { title: `Clicked '${label}'`, target: { role, label }, container });
  }

  choose(choice: string, container: ActionContainer): SlimActionFields {
    return this.action('click', 'choose', { title: `Chose '${choice}'`, target: { role: 'radio', label: choice }, container, choice });
  }

  rageClick(label: string): SlimActionFields {
    return this.action('click', 'failed', { title: `Rage-clicked '${label}'`, target: { role: 'button', label }, failure: 'rage' });
  }

  /** One payload of the given steps (make them with this journey's methods). */
  payload(...actions: SlimActionFields[]): ActionsPayload {
    return createActionsPayload({
      product_id: this.tab.productId,
      session_id: this.tab.sessionId,
      user_id: this.tab.userId,
      forwarded_at: this.tab.now() / 1000,
      actions,
    });
  }

  private action(type: string, step: NonNullable<SlimActionFields['step']>, fields: Partial<SlimActionFields>): SlimActionFields {
    const at = this.tab.now() / 1000;
    const url = this.page ? `https://app.example.com${this.page.path}` : '';
    return {
      type,
      index: this.index++,
      canonical_url: url,
      raw_url: url,
      timestamp_start: at,
      window_id: this.tab.windowId,
      page: this.page,
      target: null,
      container: null,
      step,
      received_at: at,
      ...fields,
    };
  }
}
