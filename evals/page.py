"""One person's browser tab on a running `lmcs serve`, over Gradio's own HTTP protocol (no browser).

The page's events (ask, 👍/👎) are not API endpoints, so gradio_client cannot call them; this
does what the page's JavaScript does: sign in (a cookie), read /config, find an event by its
component's elem_id, join the queue with that session and read the result from the event stream.
The session's state (the conversation) stays on the server, as it does for a browser.
"""

from __future__ import annotations

import json
import uuid
from typing import Any


class Page:
    def __init__(self, url: str, auth: tuple[str, str] | None = None, timeout: float = 120) -> None:
        import httpx

        self.http = httpx.Client(base_url=url, timeout=timeout)
        if auth and self.http.post("login", data={"username": auth[0], "password": auth[1]}).status_code != 200:
            raise PermissionError(f"could not sign in as {auth[0]} at {url}")
        self.config = self.http.get("config").json()
        self.session = uuid.uuid4().hex
        self.prefix = self.config.get("api_prefix", "/gradio_api").strip("/")
        self.by_id = {c["id"]: c for c in self.config["components"]}
        self.by_elem = {c["props"].get("elem_id"): c["id"] for c in self.config["components"]}

    @staticmethod
    def signs_in(url: str, user: str, password: str) -> bool:
        import httpx

        return httpx.post(f"{url.rstrip('/')}/login", data={"username": user, "password": password}).status_code == 200

    def signed_in_at(self, url: str) -> bool:
        """Whether this page's sign-in cookie is honoured by the server at `url` (another process)."""
        import httpx

        cookie = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies.jar)  # as a browser sends them
        check = f"{url.rstrip('/')}/{self.prefix}/login_check"
        return httpx.get(check, headers={"Cookie": cookie}).status_code == 200

    def ask(self, question: str) -> str:
        """Type the question and press Ask; the conversation's last message (the answer as shown)."""
        chat = self.fire("lmcs-ask", "click", {"lmcs-question": question})[0]
        return str(chat[-1]["content"])

    def feedback(self, up: bool, comment: str = "") -> str:
        """Write a comment and press 👍 or 👎 under the last answer; the status line shown."""
        return str(self.fire("lmcs-up" if up else "lmcs-down", "click", {"lmcs-comment": comment})[0])

    def fire(self, elem_id: str, trigger: str, values: dict[str, Any]) -> list[Any]:
        """Trigger an event with the page's current values, `values` (by elem_id) typed in; its outputs."""
        target = self.by_elem[elem_id]
        dependency = next(
            d for d in self.config["dependencies"] if [target, trigger] in [list(t) for t in d["targets"]]
        )
        data = []
        for component in dependency["inputs"]:
            props = self.by_id[component]["props"]
            data.append(values.get(props.get("elem_id"), props.get("value")))
        body = {
            "data": data,
            "event_data": None,
            "fn_index": dependency["id"],
            "trigger_id": target,
            "session_hash": self.session,
        }
        joined = self.http.post(f"{self.prefix}/queue/join", json=body)
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        with self.http.stream("GET", f"{self.prefix}/queue/data", params={"session_hash": self.session}) as events:
            for line in events.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") != event_id or message.get("msg") != "process_completed":
                    continue
                output = message.get("output", {})
                if not message.get("success", False):
                    raise RuntimeError(f"{elem_id} {trigger} failed: {output}")
                return list(output["data"])
        raise RuntimeError(f"{elem_id} {trigger}: the event stream ended without a result")
