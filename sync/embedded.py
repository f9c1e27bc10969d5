"""The embedded reference platform: reuse the one answering on its port, or start it in the background."""

from __future__ import annotations

import subprocess
import sys
import time

import requests

from sync.engine import PROJECT_ROOT

EMBEDDED_URL = "http://127.0.0.1:8765"
DATA_DIR = PROJECT_ROOT / ".platform-data"
TOKEN_FILE = DATA_DIR / "operator-token"
START_TIMEOUT_SECONDS = 30.0


class PlatformUnavailable(RuntimeError):
    """The embedded platform did not answer and could not be started."""


def answering(url: str) -> bool:
    """Whether a platform answers at `url`."""
    try:
        return requests.get(f"{url}/openapi.json", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def ensure_embedded_platform(url: str = EMBEDDED_URL) -> str:
    """Start the reference platform with its data in .platform-data unless it already runs; return its operator token."""
    if not answering(url):
        DATA_DIR.mkdir(exist_ok=True)
        port = url.rsplit(":", 1)[-1]
        log = (DATA_DIR / "server.log").open("ab")
        subprocess.Popen(
            [sys.executable, "-m", "platform_server", "--port", port, "--data-dir", str(DATA_DIR)],
            cwd=PROJECT_ROOT, stdout=log, stderr=log, start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not answering(url):
            if time.monotonic() > deadline:
                raise PlatformUnavailable(f"the reference platform did not start; see {DATA_DIR / 'server.log'}")
            time.sleep(0.2)
        print(f"started the embedded reference platform at {url} (data in {DATA_DIR.relative_to(PROJECT_ROOT)})")
    if not TOKEN_FILE.exists():
        raise PlatformUnavailable(
            f"a platform answers at {url} but {TOKEN_FILE} is missing: stop it, or give its operator token "
            "with VIDEOCALL_API_TOKEN and its URL with VIDEOCALL_API_URL"
        )
    return TOKEN_FILE.read_text().strip()
