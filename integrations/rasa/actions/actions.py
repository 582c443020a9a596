"""A sample of a team's own rasa-sdk actions, served by the ``actions`` service of the kit's compose file.

``action_check_order`` stands for what a team already has (an order lookup): in the compose file Rasa calls the
bridges, which answer their own actions and forward this one here (``ACTION_SERVER_URL``), unchanged.

``action_sightline_reply`` is the other way: a team action that asks the bridge itself through sightline_helper.py,
for a team whose Rasa ``endpoints.yml`` stays pointed at this server (``endpoints.own-server.yml``). It needs
``BRIDGE_URL`` and ``BRIDGE_API_KEY`` in this server's environment.
"""

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from sightline_helper import SightlineBridge

ORDER_NUMBER = re.compile(r"\b\d{4,}\b")

# One helper for the server: it reads BRIDGE_URL and BRIDGE_API_KEY once.
sightline = SightlineBridge()


class ActionCheckOrder(Action):
    """Looks up the order number the user typed (a canned answer here; a team's action asks its own systems)."""

    def name(self) -> Text:
        return "action_check_order"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        match = ORDER_NUMBER.search(text)
        if match is None:
            dispatcher.utter_message(text="Which order is it? Its number is on the confirmation email.")
        else:
            dispatcher.utter_message(text="Order %s has shipped; it should arrive within two working days." % match.group(0))
        return []


class ActionSightlineReply(Action):
    """Answers the user's message from what they just did in the product, through the Sightline bridge."""

    def name(self) -> Text:
        return "action_sightline_reply"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return await sightline.answer(dispatcher, tracker)
