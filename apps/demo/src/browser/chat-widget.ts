/**
 * rasa-webchat 1.0.1, loaded from the demo server (`lib/index.js` bundles React, so it is one plain
 * script with no CDN) and connected to the bridge's Rasa-compatible socket.io channel, or to Rasa.
 */
import type { DemoPageConfig } from '../demo-config.ts';

interface WebChatGlobal {
  default(props: Record<string, unknown>, element: HTMLElement | null): void;
}

declare global {
  interface Window {
    WebChat?: WebChatGlobal;
  }
}

/** What the widget tells the bridge about the tab it runs in (posthog-js's session and window ids). */
export interface WidgetTab {
  sessionId: string | null;
  windowId: string | null;
}

/** The part of rasa-webchat's component the demo calls (its `innerRef`): a hidden message to the bot. */
interface WebChatHandle {
  sendMessage(payload: string): void;
}

/** Set in this tab's session once the conversation has a bot message, so opening the chat greets at most once. */
const GREETED_KEY = 'sightline-demo-greeted';

/**
 * Mounts the chat widget. Its container is excluded from autocapture so chatting is not "activity". While the chat is
 * closed, the widget sends `/widget_ready` once (rasa-webchat's tooltip payload) with its signed user and its tab, so
 * the bridge can offer help in this tab before the user types; the bridge answers it with nothing.
 *
 * rasa-webchat counts the tooltip payload as the conversation's start and then never sends `initPayload`, so the demo
 * asks for the greeting itself when the chat is first opened on a conversation with no bot message yet (an offer that
 * already arrived is greeting enough).
 */
export function mountChatWidget(config: DemoPageConfig, tab: WidgetTab = { sessionId: null, windowId: null }): void {
  const webChat = window.WebChat;
  if (!webChat) {
    console.error('sightline demo: rasa-webchat did not load, so the chat widget is unavailable');
    return;
  }
  const container = document.createElement('div');
  container.id = 'rasaWebchatPro';
  container.className = 'ph-no-capture';
  document.body.appendChild(container);
  let handle: WebChatHandle | null = null;
  const hasGreeted = (): boolean => sessionStorage.getItem(GREETED_KEY) !== null;
  const markGreeted = (): void => sessionStorage.setItem(GREETED_KEY, '1');
  webChat.default(
    {
      innerRef: (instance: WebChatHandle | null) => {
        handle = instance;
      },
      onSocketEvent: { bot_uttered: markGreeted },
      onWidgetEvent: {
        // rasa-webchat calls this from inside its reducer, where sending (a dispatch) is refused: send just after.
        onChatOpen: () => {
          if (hasGreeted()) return;
          markGreeted();
          setTimeout(() => handle?.sendMessage('/greet'), 0);
        },
      },
      socketUrl: config.chatUrl,
      socketPath: config.chatPath,
      initPayload: '/greet',
      tooltipPayload: '/widget_ready',
      tooltipDelay: 200,
      // Rasa forwards customData into the tracker's metadata; the bridge gives activity only to an id whose hash verifies.
      customData: {
        userId: config.userId,
        ...(config.userHash === null ? {} : { userHash: config.userHash }),
        language: 'en',
        ...(tab.sessionId === null ? {} : { sessionId: tab.sessionId }),
        ...(tab.windowId === null ? {} : { windowId: tab.windowId }),
      },
      params: { storage: 'session' },
      title: 'Acme Assistant',
      subtitle: 'Sees what you just did',
      inputTextFieldHint: 'Ask about this page…',
      showFullScreenButton: false,
      hideWhenNotConnected: false,
      mainColor: '#4f46e5',
      userBackgroundColor: '#4f46e5',
      userTextColor: '#ffffff',
      // The default types 30 ms per character; a demo should answer briskly.
      customMessageDelay: () => 150,
    },
    container,
  );
}
