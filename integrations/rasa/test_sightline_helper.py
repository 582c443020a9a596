"""Tests of sightline_helper.py with the standard library only (rasa-sdk is not installed: tracker and dispatcher are
duck-typed stand-ins with the attributes a rasa-sdk action uses).

    python3 -m unittest -v test_sightline_helper

The RealBridge tests need a running bridge and are skipped without one; sightline-helper.test.ts starts a real
bridge with a user's activity on its stream and runs this file with, in the environment: BRIDGE_URL,
BRIDGE_API_KEY, IDENTITY_SECRET (to sign the user id as the product's backend would), SIGHTLINE_TEST_USER_ID (the
user with activity) and SIGHTLINE_TEST_LABEL (a control label that user clicked).
"""

import asyncio
import hashlib
import hmac
import http.server
import json
import os
import socket
import threading
import unittest
import unittest.mock
from typing import Any, Dict, List, Optional

from sightline_helper import (
    DEFAULT_QUERY,
    FALLBACK_TEXT,
    SightlineBridge,
    SightlineUnavailable,
    identity_of,
    language_of,
)


class Dispatcher:
    """Records what an action utters, like rasa-sdk's CollectingDispatcher."""

    def __init__(self) -> None:
        self.messages: List[Dict[str, Any]] = []

    def utter_message(self, text: Optional[str] = None, **kwargs: Any) -> None:
        self.messages.append(dict(kwargs, text=text))


class Tracker:
    """The parts of rasa-sdk's Tracker the helper reads."""

    def __init__(self, text: str, metadata: Optional[Dict[str, Any]], sender_id: str = "socket-7f2c", slots: Optional[Dict[str, Any]] = None) -> None:
        self.sender_id = sender_id
        self.latest_message = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.2}, "metadata": metadata}
        self.slots = dict(slots or {})

    def get_slot(self, name: str) -> Any:
        return self.slots.get(name)


def sign(secret: str, user_id: str) -> str:
    """The user hash the product's backend computes: hex HMAC-SHA256 of the id with IDENTITY_SECRET."""
    return hmac.new(secret.encode("utf-8"), user_id.encode("utf-8"), hashlib.sha256).hexdigest()


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


class StubBridge:
    """A loopback HTTP server in a thread that records each request and answers /reply when told to."""

    def __init__(self, status: int = 200, answer: Optional[Dict[str, Any]] = None, hold: bool = False) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.arrived = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()
        stub = self
        reply = answer if answer is not None else {"reply": "You opened the Invite member dialog.", "name": "Ada", "has_activity": True}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                stub.requests.append({"path": self.path, "headers": dict(self.headers.items()), "body": json.loads(body.decode("utf-8"))})
                stub.arrived.set()
                stub.release.wait(10)
                data = json.dumps(reply if status == 200 else {"error": {"code": "SL_AUTH_REQUIRED", "message": "no"}}).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class TrackerReading(unittest.TestCase):
    def test_reads_user_id_and_hash_from_the_latest_message_metadata(self) -> None:
        tracker = Tracker("hi", {"userId": "ada-42", "userHash": "ab" * 32, "language": "es"})
        self.assertEqual(identity_of(tracker), {"user_id": "ada-42", "user_hash": "ab" * 32, "user_token": None})
        self.assertEqual(language_of(tracker), "es")

    def test_reads_them_from_custom_data_inside_the_metadata(self) -> None:
        tracker = Tracker("hi", {"customData": {"userId": "ada-42", "userHash": "cd" * 32, "language": "fr"}})
        self.assertEqual(identity_of(tracker)["user_id"], "ada-42")
        self.assertEqual(identity_of(tracker)["user_hash"], "cd" * 32)
        self.assertEqual(language_of(tracker), "fr")

    def test_falls_back_to_the_session_started_metadata_slot(self) -> None:
        tracker = Tracker("hi", None, slots={"session_started_metadata": {"userId": "grace-7", "userHash": "ef" * 32}})
        self.assertEqual(identity_of(tracker)["user_id"], "grace-7")

    def test_never_pairs_a_hash_with_an_id_from_another_object(self) -> None:
        tracker = Tracker("hi", {"userId": "mallory"}, slots={"session_started_metadata": {"userId": "ada-42", "userHash": "ab" * 32}})
        self.assertEqual(identity_of(tracker), {"user_id": "mallory", "user_hash": None, "user_token": None})

    def test_a_whole_number_id_is_written_as_the_page_wrote_it(self) -> None:
        self.assertEqual(identity_of(Tracker("hi", {"userId": 42.0, "userHash": "ab" * 32}))["user_id"], "42")
        self.assertEqual(identity_of(Tracker("hi", {"userId": True}))["user_id"], None)

    def test_the_request_body_carries_query_proof_conversation_and_language(self) -> None:
        bridge = SightlineBridge(bridge_url="http://bridge.invalid", api_key="k")
        tracker = Tracker("how do I add a teammate?", {"userId": "ada-42", "userHash": "ab" * 32, "language": "en"})
        self.assertEqual(
            bridge.request_body(tracker),
            {"query": "how do I add a teammate?", "user_id": "ada-42", "user_hash": "ab" * 32, "conversation_id": "socket-7f2c", "language": "en"},
        )
        self.assertEqual(bridge.request_body(Tracker("/greet", {"userId": "ada-42", "userHash": "ab" * 32}))["query"], DEFAULT_QUERY)
        self.assertEqual(bridge.request_body(tracker, query="what now?")["query"], "what now?")

    def test_an_id_without_its_hash_is_not_sent_unless_allowed(self) -> None:
        tracker = Tracker("hi", {"userId": "ada-42"})
        with self.assertRaises(SightlineUnavailable):
            SightlineBridge(bridge_url="http://bridge.invalid", api_key="k").request_body(tracker)
        self.assertEqual(SightlineBridge(bridge_url="http://bridge.invalid", require_user_hash=False).request_body(tracker)["user_id"], "ada-42")


class AgainstAStub(unittest.TestCase):
    def setUp(self) -> None:
        self.stubs: List[StubBridge] = []

    def tearDown(self) -> None:
        for stub in self.stubs:
            stub.close()

    def stub(self, **options: Any) -> StubBridge:
        stub = StubBridge(**options)
        self.stubs.append(stub)
        return stub

    def test_posts_to_reply_with_the_bridge_key_and_dispatches_the_answer(self) -> None:
        stub = self.stub()
        dispatcher = Dispatcher()
        tracker = Tracker("what did I just do?", {"userId": "ada-42", "userHash": "ab" * 32})
        events = run(SightlineBridge(bridge_url=stub.url + "/", api_key="bridge-key-1").answer(dispatcher, tracker))
        self.assertEqual(events, [])
        self.assertEqual(dispatcher.messages, [{"text": "You opened the Invite member dialog."}])
        [request] = stub.requests
        self.assertEqual(request["path"], "/reply")
        self.assertEqual(request["headers"]["Authorization"], "Bearer bridge-key-1")
        self.assertEqual(request["headers"]["Content-Type"], "application/json")
        self.assertEqual(request["body"]["user_hash"], "ab" * 32)

    def test_the_event_loop_keeps_running_while_the_bridge_call_waits(self) -> None:
        stub = self.stub(hold=True)
        dispatcher = Dispatcher()
        bridge = SightlineBridge(bridge_url=stub.url, api_key="k", timeout_s=5)
        tracker = Tracker("what did I just do?", {"userId": "ada-42", "userHash": "ab" * 32})

        async def scenario() -> bool:
            task = asyncio.create_task(bridge.answer(dispatcher, tracker))
            # This coroutine runs on the same loop: it sees the request reach the stub only if the call does not
            # hold the loop (a blocking call would run to its timeout first and the task would be done already).
            while not stub.arrived.is_set():
                await asyncio.sleep(0.01)
            was_pending = not task.done()
            stub.release.set()
            await task
            return was_pending

        self.assertTrue(run(asyncio.wait_for(scenario(), 20)), "the action awaited the bridge without blocking the loop")
        self.assertEqual(dispatcher.messages, [{"text": "You opened the Invite member dialog."}])

    def test_a_bridge_that_never_answers_gives_the_fallback_text_at_the_time_limit(self) -> None:
        # Accepts connections (the kernel completes them) but never reads or answers.
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        self.addCleanup(silent.close)
        dispatcher = Dispatcher()
        bridge = SightlineBridge(bridge_url="http://127.0.0.1:%d" % silent.getsockname()[1], api_key="k", timeout_s=0.5)
        with self.assertLogs("sightline_helper", "WARNING") as logged:
            run(bridge.answer(dispatcher, Tracker("hi", {"userId": "ada-42", "userHash": "ab" * 32})))
        self.assertEqual(dispatcher.messages, [{"text": FALLBACK_TEXT}])
        self.assertIn("sightline-reply-unavailable", logged.output[0])

    def test_a_refused_call_or_a_non_200_answer_gives_the_fallback_text(self) -> None:
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()
        unauthorized = self.stub(status=401)
        tracker = Tracker("hi", {"userId": "ada-42", "userHash": "ab" * 32})
        environment = {name: value for name, value in os.environ.items() if name != "BRIDGE_URL"}
        for url in ("http://127.0.0.1:%d" % port, unauthorized.url, None):
            dispatcher = Dispatcher()
            with unittest.mock.patch.dict(os.environ, environment, clear=True), self.assertLogs("sightline_helper", "WARNING") as logged:
                run(SightlineBridge(bridge_url=url, api_key="k").answer(dispatcher, tracker))
            self.assertEqual(dispatcher.messages, [{"text": FALLBACK_TEXT}], url or "no BRIDGE_URL")
        self.assertIn("BRIDGE_URL is not set", logged.output[0])
        with self.assertRaises(SightlineUnavailable) as raised:
            run(SightlineBridge(bridge_url=unauthorized.url, api_key="k").reply(tracker))
        self.assertEqual((raised.exception.status, raised.exception.code), (401, "SL_AUTH_REQUIRED"))

    def test_an_id_without_its_hash_is_answered_with_the_fallback_and_nothing_is_sent(self) -> None:
        stub = self.stub()
        dispatcher = Dispatcher()
        with self.assertLogs("sightline_helper", "WARNING"):
            run(SightlineBridge(bridge_url=stub.url, api_key="k").answer(dispatcher, Tracker("hi", {"userId": "ada-42"})))
        self.assertEqual(dispatcher.messages, [{"text": FALLBACK_TEXT}])
        self.assertEqual(stub.requests, [])


@unittest.skipUnless(os.environ.get("BRIDGE_URL"), "no BRIDGE_URL: run through sightline-helper.test.ts, which starts a bridge")
class AgainstARealBridge(unittest.TestCase):
    def setUp(self) -> None:
        self.secret = os.environ["IDENTITY_SECRET"]
        self.user_id = os.environ["SIGHTLINE_TEST_USER_ID"]
        self.label = os.environ["SIGHTLINE_TEST_LABEL"]

    def tracker(self, user_id: str, user_hash: str, text: str = "what did I just do?") -> Tracker:
        # As Rasa's socketio channel stores rasa-webchat's customData (metadata_key: customData).
        return Tracker(text, {"userId": user_id, "userHash": user_hash, "language": "en"})

    def test_a_signed_user_gets_an_answer_grounded_in_their_activity(self) -> None:
        dispatcher = Dispatcher()
        events = run(SightlineBridge().answer(dispatcher, self.tracker(self.user_id, sign(self.secret, self.user_id))))
        self.assertEqual(events, [])
        self.assertEqual(len(dispatcher.messages), 1)
        self.assertIn(self.label, dispatcher.messages[0]["text"])
        answer = run(SightlineBridge().reply(self.tracker(self.user_id, sign(self.secret, self.user_id))))
        self.assertIs(answer["has_activity"], True)

    def test_a_wrong_hash_is_refused_by_the_bridge_even_with_the_key(self) -> None:
        tracker = self.tracker(self.user_id, sign("not-the-identity-secret", self.user_id))
        with self.assertRaises(SightlineUnavailable) as raised:
            run(SightlineBridge().reply(tracker))
        self.assertEqual((raised.exception.status, raised.exception.code), (401, "SL_IDENTITY_UNVERIFIED"))
        dispatcher = Dispatcher()
        with self.assertLogs("sightline_helper", "WARNING"):
            run(SightlineBridge().answer(dispatcher, tracker))
        self.assertEqual(dispatcher.messages, [{"text": FALLBACK_TEXT}])

    def test_a_wrong_bridge_key_is_refused(self) -> None:
        tracker = self.tracker(self.user_id, sign(self.secret, self.user_id))
        with self.assertRaises(SightlineUnavailable) as raised:
            run(SightlineBridge(api_key="not-the-bridge-key").reply(tracker))
        self.assertEqual((raised.exception.status, raised.exception.code), (401, "SL_AUTH_REQUIRED"))

    def test_another_signed_user_gets_an_answer_without_the_first_users_activity(self) -> None:
        other = "someone-else-" + self.user_id
        answer = run(SightlineBridge().reply(self.tracker(other, sign(self.secret, other))))
        self.assertIs(answer["has_activity"], False)
        self.assertNotIn(self.label, answer["reply"])


if __name__ == "__main__":
    unittest.main()
