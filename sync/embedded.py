"""The embedded reference platform: reuse the one answering on its port, or start it in the background."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import requests

from resources.errors import PlatformUnavailable
from sync.engine import PROJECT_ROOT

EMBEDDED_URL = "http://127.0.0.1:8765"
DATA_DIR = PROJECT_ROOT / ".platform-data"
TOKEN_FILE = DATA_DIR / "operator-token"
START_TIMEOUT_SECONDS = 30.0


def answering(url: str) -> bool:
    """Whether a platform answers at `url`."""
    try:
        return requests.get(f"{url}/openapi.json", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def ensure_embedded_platform(url: str = EMBEDDED_URL, data_dir: Path = DATA_DIR) -> str:
    """Start the reference platform with its data in `data_dir` unless it already runs; return its operator token."""
    token_file = data_dir / TOKEN_FILE.name
    if not answering(url):
        start_platform(url, data_dir)
    if not token_file.exists():
        raise PlatformUnavailable(
            f"a platform answers at {url} but {token_file} is missing: stop it, or give its operator token "
            "with VIDEOCALL_API_TOKEN and its URL with VIDEOCALL_API_URL"
        )
    token = token_file.read_text().strip()
    if not accepts(url, token):
        raise PlatformUnavailable(
            f"another platform answers at {url}: it refuses the operator token in {token_file}. Stop it (it holds "
            "the embedded platform's port), or give its URL and token with VIDEOCALL_API_URL and VIDEOCALL_API_TOKEN"
        )
    return token


def start_platform(url: str, data_dir: Path) -> None:
    """Start the reference platform on `url`'s port in the background; fail at once if it exits (port taken)."""
    data_dir.mkdir(exist_ok=True)
    port = url.rsplit(":", 1)[-1]
    log_path = data_dir / "server.log"
    earlier = log_path.stat().st_size if log_path.exists() else 0
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "platform_server", "--port", port, "--data-dir", str(data_dir)],
            cwd=PROJECT_ROOT, stdout=log, stderr=log, start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not answering(url):
        if process.poll() is not None:
            said = log_path.read_bytes()[earlier:].decode(errors="replace").strip()
            last = (said.splitlines() or ["(no output)"])[-1]
            if "address already in use" in said.lower():
                raise PlatformUnavailable(f"port {port} is taken by another program, which is not a platform: stop "
                                          "it, or give a platform's URL and token with VIDEOCALL_API_URL and "
                                          "VIDEOCALL_API_TOKEN")
            raise PlatformUnavailable(f"the reference platform stopped as it started: {last} (log: {log_path})")
        if time.monotonic() > deadline:
            process.terminate()
            raise PlatformUnavailable(f"the reference platform did not answer within {START_TIMEOUT_SECONDS:.0f} s; "
                                      f"see {log_path}")
        time.sleep(0.2)
    print(f"started the embedded reference platform at {url} (data in {display(data_dir)})")


def accepts(url: str, token: str) -> bool:
    """Whether the platform at `url` takes `token` (another platform, with its own data, would answer 401)."""
    try:
        answer = requests.get(f"{url}/v1/organisations", params={"limit": 1}, timeout=5,
                              headers={"Authorization": f"Bearer {token}"})
    except requests.RequestException:
        return False
    return answer.status_code != 401


def display(folder: Path) -> str:
    """A folder relative to the project when it is inside it."""
    return str(folder.relative_to(PROJECT_ROOT)) if folder.is_relative_to(PROJECT_ROOT) else str(folder)
