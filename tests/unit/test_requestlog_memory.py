"""The request log keeps a long response compressed in memory, and gives it back whole."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tui.requestlog import RequestLog, curl_command, response_body


def _page() -> str:
    customers = [
        {"id": f"cus_{i:014d}", "object": "customer", "email": f"user{i}@example.com"}
        for i in range(100)
    ]
    return json.dumps({"object": "list", "data": customers, "has_more": True})


def test_a_long_response_is_kept_small_and_read_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "requests.jsonl"
    log = RequestLog(path)
    text = _page()
    entry = {"method": "get", "path": "/v1/customers", "status": 200, "response": text}
    log.record(entry)
    kept = log.entries()[0]
    assert response_body(kept) == json.loads(text)
    assert sys.getsizeof(kept["response"]) < len(text) / 4
    assert "/v1/customers" in curl_command(kept)
    line = json.loads(path.read_text().splitlines()[0])
    assert line["response"] == json.loads(text)  # the file has the whole response as JSON


def test_a_short_response_is_kept_as_text() -> None:
    log = RequestLog()
    log.record({"method": "get", "path": "/v1/balance", "status": 200, "response": '{"a": 1}'})
    assert log.entries()[0]["response"] == '{"a": 1}'
    assert response_body(log.entries()[0]) == {"a": 1}
