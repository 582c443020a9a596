"""Sightline helper for rasa-sdk actions: answer from the user's live activity through the bridge.

For teams whose Rasa ``endpoints.yml`` stays pointed at their own action server (docs/rasa-actions.md). Standard
library only (rasa-sdk brings no HTTP client); the HTTP call runs in a worker thread (``run_in_executor``), so an
``async def run`` action awaits it without blocking the action server's event loop. Python 3.8 or later.

    from sightline_helper import SightlineBridge

    bridge = SightlineBridge()  # BRIDGE_URL and BRIDGE_API_KEY from the environment

    class ActionAskLlm(Action):
        def name(self):
            return "action_ask_llm"

        async def run(self, dispatcher, tracker, domain):
            return await bridge.answer(dispatcher, tracker)

The user is the widget's ``customData.userId`` with its ``userHash`` (hex HMAC-SHA256 of the id with the bridge's
IDENTITY_SECRET, computed by the product's backend), read from the tracker's metadata. The bridge key goes along with
the hash, and the bridge checks the hash, so a browser cannot ask about someone else's activity.
"""

import asyncio
import json
import logging
import os
import urllib.error
import urllib.request
from typing import Any, Dict, List, Mapping, Optional

__all__ = [
    "DEFAULT_QUERY",
    "DEFAULT_TIMEOUT_S",
    "FALLBACK_TEXT",
    "SightlineBridge",
    "SightlineUnavailable",
    "identity_of",
    "language_of",
]

#: What the user reads when the bridge cannot answer (the same canned text as the bridge's own actions).
FALLBACK_TEXT = "Sorry, I can't see your recent activity right now. Could you tell me what you are trying to do?"

#: Seconds one call to the bridge may take (the tutorial's actions wait 12 s).
DEFAULT_TIMEOUT_S = 12.0

#: The question asked when the user's latest message has no words of its own (an intent payload such as ``/greet``).
DEFAULT_QUERY = "What did I just do?"

logger = logging.getLogger(__name__)


class SightlineUnavailable(Exception):
    """The bridge gave no answer: not configured, unreachable, too slow, or a non-200 status (``status``)."""

    def __init__(self, reason: str, status: Optional[int] = None, code: Optional[str] = None) -> None:
        super().__init__(reason)
        self.status = status
        self.code = code


def _record(value: Any) -> Optional[Mapping[str, Any]]:
    return value if isinstance(value, Mapping) else None


def _identifier(value: Any) -> Optional[str]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        # As JavaScript writes a whole number (42, not 42.0), so the id matches the one the page signed.
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _get(tracker: Any, name: str) -> Any:
    """An attribute of a rasa-sdk Tracker, or a key of a tracker dict (``current_state()``)."""
    if isinstance(tracker, Mapping):
        return tracker.get(name)
    return getattr(tracker, name, None)


def _slot(tracker: Any, name: str) -> Any:
    get_slot = getattr(tracker, "get_slot", None)
    if callable(get_slot):
        return get_slot(name)
    slots = _record(_get(tracker, "slots"))
    return slots.get(name) if slots else None


def _metadata_sources(tracker: Any) -> List[Mapping[str, Any]]:
    """The metadata objects that may carry the widget's fields, newest first."""
    latest = _record(_get(tracker, "latest_message")) or {}
    sources = []
    for metadata in (_record(latest.get("metadata")), _record(_slot(tracker, "session_started_metadata"))):
        if metadata is None:
            continue
        sources.append(metadata)
        custom = _record(metadata.get("customData"))
        if custom is not None:
            sources.append(custom)
    return sources


def identity_of(tracker: Any) -> Dict[str, Optional[str]]:
    """The widget's ``userId`` with its ``userHash`` / ``userToken``, all from the same metadata object.

    A proof is never paired with an id from elsewhere: the first object that names a user gives all three.
    """
    for fields in _metadata_sources(tracker):
        user_id = _identifier(fields.get("userId"))
        user_token = _identifier(fields.get("userToken"))
        if user_id is not None or user_token is not None:
            return {"user_id": user_id, "user_hash": _identifier(fields.get("userHash")), "user_token": user_token}
    return {"user_id": None, "user_hash": None, "user_token": None}


def language_of(tracker: Any) -> Optional[str]:
    """The widget's ``language`` (``metadata.language`` or ``customData.language``), or None."""
    for fields in _metadata_sources(tracker):
        language = _identifier(fields.get("language"))
        if language is not None:
            return language
    return None


def _latest_text(tracker: Any) -> str:
    """The user's latest words, or "" for none and for an intent payload (``/greet``, a button's ``/intent{...}``)."""
    latest = _record(_get(tracker, "latest_message")) or {}
    text = latest.get("text")
    text = text.strip() if isinstance(text, str) else ""
    return "" if text.startswith("/") else text


class SightlineBridge:
    """Calls the bridge's ``POST /reply`` for the user of a Rasa conversation.

    Args:
        bridge_url: the bridge's base URL (default the ``BRIDGE_URL`` environment variable, e.g. http://bridge:8090).
        api_key: the bridge key (default ``BRIDGE_API_KEY``), sent as ``Authorization: Bearer``.
        timeout_s: seconds one call may take, connection to answer (default 12).
        fallback_text: what the user reads when the bridge cannot answer.
        require_user_hash: when True (the default), a user id without its hash or token is not sent: the key would
            vouch for an id that came from a browser. Set False only without IDENTITY_SECRET, on loopback.
    """

    def __init__(
        self,
        bridge_url: Optional[str] = None,
        api_key: Optional[str] = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        fallback_text: str = FALLBACK_TEXT,
        require_user_hash: bool = True,
    ) -> None:
        self.bridge_url = (bridge_url or os.environ.get("BRIDGE_URL") or "").rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("BRIDGE_API_KEY")
        self.timeout_s = timeout_s
        self.fallback_text = fallback_text
        self.require_user_hash = require_user_hash

    def request_body(self, tracker: Any, query: Optional[str] = None) -> Dict[str, Any]:
        """The ``/reply`` body for this tracker: user, proof, query, conversation and language."""
        identity = identity_of(tracker)
        if identity["user_id"] is None and identity["user_token"] is None:
            raise SightlineUnavailable("the tracker's metadata names no userId (set customData.userId in the widget)")
        if self.require_user_hash and identity["user_hash"] is None and identity["user_token"] is None:
            raise SightlineUnavailable("the userId comes without its userHash; the bridge key must not vouch for it")
        body: Dict[str, Any] = {"query": query if query is not None else (_latest_text(tracker) or DEFAULT_QUERY)}
        for name in ("user_id", "user_hash", "user_token"):
            if identity[name] is not None:
                body[name] = identity[name]
        sender_id = _identifier(_get(tracker, "sender_id"))
        if sender_id is not None:
            body["conversation_id"] = sender_id
        language = language_of(tracker)
        if language is not None:
            body["language"] = language
        return body

    def _post(self, body: Dict[str, Any]) -> Dict[str, Any]:
        if not self.bridge_url:
            raise SightlineUnavailable("BRIDGE_URL is not set")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = "Bearer " + self.api_key
        request = urllib.request.Request(
            self.bridge_url + "/reply", data=json.dumps(body).encode("utf-8"), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            code = None
            try:
                code = json.loads(error.read().decode("utf-8"))["error"]["code"]
            except Exception:  # a body that is not the bridge's {"error": {"code"}} still ends here
                pass
            raise SightlineUnavailable("the bridge answered HTTP %d" % error.code, status=error.code, code=code) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise SightlineUnavailable("could not reach the bridge: %s" % (reason,)) from None
        if not isinstance(answer, dict) or not isinstance(answer.get("reply"), str):
            raise SightlineUnavailable("the bridge's answer has no reply text")
        return answer

    async def reply(self, tracker: Any, query: Optional[str] = None) -> Dict[str, Any]:
        """The bridge's ``{reply, name, has_activity}`` for the tracker's user; raises :class:`SightlineUnavailable`.

        ``query`` defaults to the user's latest message (:data:`DEFAULT_QUERY` when it has no words). The call runs in
        a worker thread; the socket timeout bounds each connect and read, and ``wait_for`` the whole call, so a bridge
        that answers a byte at a time cannot hold the action longer than ``timeout_s``.
        """
        body = self.request_body(tracker, query)
        call = asyncio.get_running_loop().run_in_executor(None, self._post, body)
        try:
            return await asyncio.wait_for(call, timeout=self.timeout_s)
        except asyncio.TimeoutError:
            raise SightlineUnavailable("the bridge did not answer within %g s" % self.timeout_s) from None

    async def answer(self, dispatcher: Any, tracker: Any, query: Optional[str] = None) -> List[Dict[str, Any]]:
        """Dispatches the bridge's reply (or the fallback text) and returns the action's events (none).

        Never raises for the bridge's sake: a Rasa turn should not fail because the bridge is away.
        """
        try:
            text = (await self.reply(tracker, query))["reply"]
        except SightlineUnavailable as error:
            logger.warning("sightline-reply-unavailable: %s (status %s, code %s)", error, error.status, error.code)
            text = self.fallback_text
        dispatcher.utter_message(text=text)
        return []
