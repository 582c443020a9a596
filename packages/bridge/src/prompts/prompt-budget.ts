/**
 * The reply prompt's token budget. Tokens are estimated, not counted: a quarter of the characters, which is close
 * for English with the common tokenizers and errs long for most other text, so a budget is rarely overrun.
 */

/** Default token budget of one reply prompt (system prompt and user block together), the `PROMPT_TOKEN_BUDGET` setting. */
export const DEFAULT_PROMPT_TOKEN_BUDGET = 3000;

/** Characters per token in the estimate. */
export const CHARS_PER_TOKEN = 4;

/**
 * An estimate of how many tokens `text` takes: its length over {@link CHARS_PER_TOKEN}, rounded up.
 *
 * @example
 * estimateTokens('Upgrade plan'); // 3
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
