"""Tests of the sample team actions (actions/actions.py) without rasa-sdk: when it is not installed, a stand-in
``rasa_sdk`` module gives the two names the sample imports (``Action`` and ``CollectingDispatcher``).

    python3 -m unittest -v test_sample_actions

``action_sightline_reply`` is tested against the real bridge that sightline-helper.test.ts starts (skipped without
BRIDGE_URL, as in test_sightline_helper.py).
"""

import asyncio
import importlib
import os
import sys
import types
import unittest

from test_sightline_helper import Dispatcher, Tracker, sign


def _stand_in_for_rasa_sdk() -> None:
    try:
        importlib.import_module("rasa_sdk")
        return
    except ImportError:
        pass
    sdk = types.ModuleType("rasa_sdk")
    executor = types.ModuleType("rasa_sdk.executor")

    class Action:
        """rasa-sdk's base class: the server calls ``name()`` and ``await run(dispatcher, tracker, domain)``."""

    sdk.Action = Action  # type: ignore[attr-defined]
    sdk.Tracker = Tracker  # type: ignore[attr-defined]
    executor.CollectingDispatcher = Dispatcher  # type: ignore[attr-defined]
    sdk.executor = executor  # type: ignore[attr-defined]
    sys.modules["rasa_sdk"] = sdk
    sys.modules["rasa_sdk.executor"] = executor


_stand_in_for_rasa_sdk()
sample = importlib.import_module("actions.actions")


def run_action(action: object, tracker: Tracker) -> Dispatcher:
    dispatcher = Dispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))  # type: ignore[attr-defined]
    assert events == [], events
    return dispatcher


class SampleActions(unittest.TestCase):
    def test_the_sample_serves_the_names_the_kit_routes_to_it(self) -> None:
        self.assertEqual(sample.ActionCheckOrder().name(), "action_check_order")
        self.assertEqual(sample.ActionSightlineReply().name(), "action_sightline_reply")

    def test_check_order_answers_with_the_number_the_user_typed(self) -> None:
        dispatcher = run_action(sample.ActionCheckOrder(), Tracker("where is my order 12345?", {}))
        self.assertEqual(len(dispatcher.messages), 1)
        self.assertIn("12345", dispatcher.messages[0]["text"])

    def test_check_order_asks_for_the_number_when_there_is_none(self) -> None:
        dispatcher = run_action(sample.ActionCheckOrder(), Tracker("where is my order?", {}))
        self.assertNotRegex(dispatcher.messages[0]["text"], r"\d{4,}")

    @unittest.skipUnless(os.environ.get("BRIDGE_URL"), "no BRIDGE_URL: run through sightline-helper.test.ts, which starts a bridge")
    def test_sightline_reply_answers_from_the_bridge_for_a_signed_user(self) -> None:
        user_id = os.environ["SIGHTLINE_TEST_USER_ID"]
        tracker = Tracker("what did I just do?", {"userId": user_id, "userHash": sign(os.environ["IDENTITY_SECRET"], user_id)})
        dispatcher = run_action(sample.ActionSightlineReply(), tracker)
        self.assertEqual(len(dispatcher.messages), 1)
        self.assertIn(os.environ["SIGHTLINE_TEST_LABEL"], dispatcher.messages[0]["text"])


if __name__ == "__main__":
    unittest.main()
