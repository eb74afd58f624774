"""An open-loop load of Open311 POSTs, run in a process of its own (bench/open311.py starts it), so the
clients never take the interpreter lock from the server they measure, as the grid app's phones would not.

Case i is due at start + i / rate whatever happened to the cases before it; each is sent on one of
`connections` keep-alive connections, and its latency runs from the moment it was due to its answer, so a
server that falls behind is charged for the wait too (no coordinated omission). Standard library only:
the process starts in a fraction of a second.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

#: Seconds between the process being ready and the first case being due.
_LEAD_S = 0.2


@dataclass
class Load:
    latencies_ms: list[float] = field(default_factory=list)  # from when each case was due to its answer
    finished: list[float] = field(default_factory=list)  # when each answer came (seconds from the start)
    failures: list[str] = field(default_factory=list)


def post_at_rate(port: int, key: str, cases: list[dict[str, str]], *, rate: float, connections: int,
                 prefix: str) -> Load:
    """POST `cases` at `rate` a second over `connections` connections; each gets client_request_id
    PREFIX-N. Returns every latency, answer time and failure."""
    load = Load()
    lock = threading.Lock()
    start = time.perf_counter() + _LEAD_S

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Api-Key": key}
        for index in range(number, len(cases), connections):
            due = start + index / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            body = urllib.parse.urlencode({**cases[index], "client_request_id": f"{prefix}-{index}"})
            try:
                connection.request("POST", "/open311/v2/requests.json", body=body, headers=headers)
                answer = connection.getresponse()
                text = answer.read()
                problem = "" if answer.status == 201 else f"{answer.status} {text[:200]!r}"
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                problem = f"{type(error).__name__}: {error}"
            done = time.perf_counter()
            with lock:
                load.latencies_ms.append((done - due) * 1000)
                load.finished.append(done - start)
                if problem:
                    load.failures.append(problem)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return load
