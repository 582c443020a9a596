/**
 * What the demo page needs to know at run time. The server writes it into the page as JSON; the
 * browser bundle reads it from `window.SIGHTLINE_DEMO`. Shared by both sides so they cannot drift.
 */
export interface DemoPageConfig {
  /** Where posthog-js sends events (`api_host`): the Sightline connector, e.g. `http://localhost:8080`. */
  connectorUrl: string;
  /** The demo product's public `capture_token`, used by posthog-js as its project api key. */
  captureToken: string;
  /** Where rasa-webchat opens its socket.io connection: the bridge, or Rasa when it fronts the chat. */
  chatUrl: string;
  /** The socket.io path on `chatUrl`; `/socket.io/` for both the bridge and Rasa. */
  chatPath: string;
  /** The signed-in user's id: given to `posthog.identify` and sent as the widget's `customData.userId`. */
  userId: string;
  /**
   * The user hash the demo's server signed for `userId` (hex HMAC-SHA256 with the bridge's IDENTITY_SECRET), sent
   * as the widget's `customData.userHash` so the bridge trusts the id; null when the server holds no secret.
   */
  userHash: string | null;
  /** The signed-in user's email: sent with `identify` and registered as a super property. */
  email: string;
  /** The user's display name, shown in the top bar. */
  userName: string;
}

/** The global the page script sets before the bundle runs. */
export const demoConfigGlobal = 'SIGHTLINE_DEMO';
