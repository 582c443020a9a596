/**
 * A playbook read from a file (`PLAYBOOK_FILE`) and read again when it changes. The file is polled with the injectable
 * clock's timers (a change is seen within `pollMs`), which works the same on every file system and in tests; a file
 * that stops parsing is logged with its reason and the previous playbook stays in force.
 */
import { readFile } from 'node:fs/promises';
import { isSightlineError, systemClock, type Clock, type TimerHandle } from '@sightline/protocol';
import { silentLogger, type Logger } from '../client/logger.ts';
import { checkPositiveNumber } from '../options/option-checks.ts';
import type { Playbook } from '../proactive/playbook.ts';
import { parsePlaybook } from './parse-playbook.ts';

/** Options of {@link PlaybookFile}. */
export interface PlaybookFileOptions {
  path: string;
  /** How often the file is checked for a change, ms. Default 2000. */
  pollMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Called after a new version of the file took effect. */
  onChange?: (playbook: Playbook) => void;
}

/** The largest playbook read, in bytes: a bigger file is refused, not loaded. */
const MAX_PLAYBOOK_BYTES = 1_000_000;

/**
 * The current playbook of a file.
 *
 * @example
 * const playbook = new PlaybookFile({ path: 'playbook.yaml', logger });
 * await playbook.start();
 * registry.register(playbookTrigger(() => playbook.current));
 */
export class PlaybookFile {
  readonly path: string;
  private readonly pollMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly onChange: ((playbook: Playbook) => void) | undefined;
  private playbook: Playbook | null = null;
  private lastText: string | null = null;
  private error: string | null = null;
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(options: PlaybookFileOptions) {
    this.path = options.path;
    this.pollMs = checkPositiveNumber('pollMs', options.pollMs ?? 2000);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.onChange = options.onChange;
  }

  /** The playbook in force: the last version of the file that parsed, or null before any did. */
  get current(): Playbook | null {
    return this.playbook;
  }

  /** Why the file's latest version was refused (the coded error's reason), or null when it is in force. */
  get lastError(): string | null {
    return this.error;
  }

  /**
   * Reads the file now; resolves to true when a new version took effect. An unreadable or invalid file is logged
   * (`playbook-invalid`, code `SL_PLAYBOOK_INVALID`) and changes nothing.
   */
  async check(): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      return this.refuse(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'unreadable');
    }
    if (text === this.lastText) return false;
    this.lastText = text;
    if (Buffer.byteLength(text) > MAX_PLAYBOOK_BYTES) return this.refuse(`the file is over ${MAX_PLAYBOOK_BYTES} bytes`, 'too-large');
    let playbook: Playbook;
    try {
      playbook = parsePlaybook(text, this.path);
    } catch (error) {
      if (!isSightlineError(error, 'SL_PLAYBOOK_INVALID')) throw error;
      return this.refuse(String((error.details as { reason?: unknown }).reason ?? error.message), 'invalid');
    }
    this.playbook = playbook;
    this.error = null;
    this.logger.info('playbook-loaded', { path: this.path, rules: playbook.rules.length });
    this.onChange?.(playbook);
    return true;
  }

  /** Reads the file once and then polls it until {@link stop}. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.check();
    this.schedule();
  }

  /** Stops polling. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(() => {
      this.check()
        .catch((error: unknown) => this.logger.error('playbook-check-failed', { path: this.path, error: (error as Error).message }))
        .finally(() => this.schedule());
    }, this.pollMs);
  }

  private refuse(reason: string, kind: string): false {
    // The same broken version is reported once, not on every poll.
    if (this.error !== reason) {
      this.logger.error('playbook-invalid', { code: 'SL_PLAYBOOK_INVALID', path: this.path, kind, reason, kept: this.playbook === null ? 'none' : 'previous' });
    }
    this.error = reason;
    return false;
  }
}
