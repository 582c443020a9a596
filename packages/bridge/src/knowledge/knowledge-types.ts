/**
 * What the bridge knows about a product beyond one user's clicks: passages of its help center and paths that other
 * users took through its UI. Sources fill a {@link ProductKnowledge} for one chat message; the reply prompt and the
 * offline responder use it after what the user is doing now.
 */

/** A passage of a help-center article that matched the question. */
export interface HelpPassage {
  /** The article's title, named as the source of an answer. */
  title: string;
  /** The headings above the passage inside the article, outermost first (may be empty). */
  headings: string[];
  /** The passage as plain text (Markdown or HTML markup removed), steps kept one per line. */
  text: string;
  /** The article's path relative to the knowledge folder, e.g. `en/billing/change-plan.md`. */
  source: string;
  /** ISO 639-1 code of the article's language. */
  language: string;
  /** Relevance (higher is better); comparable only within one answer. */
  score: number;
  /**
   * The passage's numbered steps, in order, each with the UI labels it names as the article writes them (bold,
   * code or `<kbd>` text). Absent or empty when the passage has no numbered steps.
   */
  steps?: HelpStep[];
}

/** One numbered step of a help article. */
export interface HelpStep {
  /** The step as plain text, labels quoted (`Open 'Billing'.`), without its number. */
  text: string;
  /** Labels the step names, as the product shows them, in the order written. */
  labels: string[];
}

/** One step of a path through the product's UI. */
export interface UiPathStep {
  /** What the user does: go to a page, click a control, open a dialog, submit or confirm. */
  kind: 'navigate' | 'click' | 'open' | 'submit';
  /** The control's label as the product shows it ("Invite member"), or the page's title for `navigate`. */
  label: string;
  /** The canonical page (path or title) the step happens on, when known. */
  page: string | null;
}

/** A short path that enough distinct users took to finish a flow, learned from the stream. */
export interface UiPath {
  /** The flow the path finishes, in the product's words (the label of its final submit or confirm). */
  goal: string;
  /** Steps in order, starting where the asking user is when the map knows a path from there. */
  steps: UiPathStep[];
  /** How many distinct identified users took it (at least the map's threshold). */
  users: number;
  /** Relevance to the question (higher is better); comparable only within one answer. */
  score: number;
  /** True when the path stands only thanks to the demo's simulated users (`sightline dev`); answers say so. */
  isDemoData?: boolean;
}

/** The question a knowledge source is asked for one chat message. */
export interface KnowledgeQuestion {
  productId: string;
  /** The user's message. */
  query: string;
  /** The language the answer will be in (ISO 639-1), when known. */
  language: string | null;
  /** Where the user is: the canonical path of the current page, when known. */
  page: string | null;
  /** The current page's title, when known. */
  pageTitle: string | null;
  /**
   * What the user has open (the dialog's, panel's or form's label, or the control that opened it), when anything: the
   * sources also give what they know about it, after what they found for the message, so an answer can name the
   * control that finishes it.
   */
  openLabel?: string | null;
}

/** Everything the sources found for one question, best first in each list. */
export interface ProductKnowledge {
  passages: HelpPassage[];
  paths: UiPath[];
}

/** A source of product knowledge: the help-center index, the UI map, or one a team writes. */
export interface KnowledgeSource {
  /** Finds what is relevant; resolves with empty lists (never rejects) when the source has nothing or is away. */
  find(question: KnowledgeQuestion, signal?: AbortSignal): Promise<Partial<ProductKnowledge>>;
}
