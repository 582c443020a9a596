/**
 * Builds structured actions as the connector sends them, one tab at a time: the page, index and time carry over
 * from one action to the next, so a test reads as the user's steps.
 */
import { createSlimAction, type ActionContainer, type ActionStep, type SlimAction, type TargetRole } from '@sightline/protocol';

export interface TabBuilderOptions {
  windowId?: string | null;
  /** The first action's time, epoch seconds. */
  startAt?: number;
  /** The first action's index. */
  startIndex?: number;
}

interface StepFields {
  role?: TargetRole;
  container?: ActionContainer | null;
  choice?: string | null;
  title?: string;
}

/** A tab of one user: each method appends one action and returns it. */
export class TabBuilder {
  readonly actions: SlimAction[] = [];
  private page: { title: string; path: string } | null = null;
  private nextIndex: number;
  private at: number;

  constructor(private readonly options: TabBuilderOptions = {}) {
    this.nextIndex = options.startIndex ?? 0;
    this.at = options.startAt ?? 1_700_000_000;
  }

  /** Lets `seconds` pass before the next action. */
  wait(seconds: number): this {
    this.at += seconds;
    return this;
  }

  /** Continues numbering from `index` (another tab took the indexes between). */
  skipTo(index: number): this {
    this.nextIndex = index;
    return this;
  }

  navigate(title: string, path: string): SlimAction {
    this.page = { title, path };
    return this.add('pageview', 'navigate', null, {});
  }

  click(label: string | null, fields: StepFields = {}): SlimAction {
    return this.add('click', 'click', label, { role: 'button', ...fields });
  }

  open(label: string, fields: StepFields = {}): SlimAction {
    return this.add('click', 'open', label, { role: 'button', ...fields });
  }

  type(label: string, container: ActionContainer | null, fields: StepFields = {}): SlimAction {
    return this.add('type', 'type', label, { role: 'field', container, ...fields });
  }

  choose(choice: string, container: ActionContainer | null, fields: StepFields = {}): SlimAction {
    return this.add('click', 'choose', choice, { role: 'radio', container, choice, ...fields });
  }

  submit(container: ActionContainer | null): SlimAction {
    return this.add('submit', 'submit', null, { role: 'form', container });
  }

  dismiss(label: string, container: ActionContainer | null): SlimAction {
    return this.add('click', 'dismiss', label, { role: 'button', container });
  }

  rageClick(label: string, fields: StepFields = {}): SlimAction {
    return this.add('click', 'failed', label, { role: 'button', title: `Rage-clicked '${label}'`, ...fields });
  }

  deadClick(label: string, fields: StepFields = {}): SlimAction {
    return this.add('click', 'failed', label, { role: 'button', title: `Clicked '${label}' (nothing happened)`, ...fields });
  }

  private add(type: string, step: ActionStep, label: string | null, fields: StepFields): SlimAction {
    const at = this.at;
    this.at += 2;
    const action: SlimAction = {
      ...createSlimAction({
        type,
        index: this.nextIndex++,
        title: fields.title ?? (label ? `Did '${label}'` : 'Did something'),
        canonical_url: this.page ? `https://app.example.com${this.page.path}` : '',
        raw_url: this.page ? `https://app.example.com${this.page.path}?utm_source=mail&token=abc#top` : '',
        timestamp_start: at - 5,
        session_id: 's1',
        user_id: 'u1',
      }),
      window_id: this.options.windowId === undefined ? 'w1' : this.options.windowId,
      page: this.page,
      target: step === 'navigate' ? null : { role: fields.role ?? 'button', label },
      container: fields.container ?? null,
      choice: fields.choice ?? null,
      step,
      received_at: at,
    };
    this.actions.push(action);
    return action;
  }
}
