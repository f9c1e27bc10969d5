"""How the server is started: command-line flags, each also readable from VIDEOCALL_SERVER_*."""

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from platform_server.faults import FaultSettings

ENV_PREFIX = "VIDEOCALL_SERVER_"
OPERATOR_TOKEN_ENV = "VIDEOCALL_OPERATOR_TOKEN"
DEFAULT_PORT = 8765
DEFAULT_RATE_LIMIT_PER_MINUTE = 12_000
# A caller's place lasts this long after the entry page's last heartbeat. Long enough for a browser that
# throttles a hidden tab's timers to one a minute; short enough that an abandoned tab soon stops counting.
DEFAULT_CALLER_EXPIRY_SECONDS = 90.0
# Joins a minute from one network address into one waiting area: a family sharing a phone, or a caller who
# retries, stays well under it; a script filling a queue (which would hold off disabling it) does not.
DEFAULT_JOINS_PER_MINUTE = 10


@dataclass(frozen=True)
class ServerSettings:
    """Everything the server needs to know at start."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    data_dir: Path = Path(".platform-data")
    in_memory: bool = False
    public_base_url: str | None = None
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT_PER_MINUTE
    operator_token: str | None = None
    caller_expiry_seconds: float = DEFAULT_CALLER_EXPIRY_SECONDS
    joins_per_minute: int = DEFAULT_JOINS_PER_MINUTE
    faults: FaultSettings = field(default_factory=FaultSettings)

    @property
    def base_url(self) -> str:
        """The public base URL that patient entry links and room links start with."""
        return (self.public_base_url or f"http://{self.host}:{self.port}").rstrip("/")


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _env_flag(name: str) -> bool:
    return (_env(name) or "").strip().lower() in {"1", "true", "yes", "on"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m platform_server",
        description="The reference video-call platform (admin API v1). Every flag can also be set "
        f"with an environment variable {ENV_PREFIX}<FLAG> (e.g. {ENV_PREFIX}PORT).",
    )
    parser.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(_env("PORT", str(DEFAULT_PORT)) or DEFAULT_PORT))
    parser.add_argument("--data-dir", default=_env("DATA_DIR", ".platform-data"),
                        help="folder for the SQLite database and the operator token file")
    parser.add_argument("--memory", action="store_true", default=_env_flag("MEMORY"),
                        help="keep the database in memory (nothing survives a restart)")
    parser.add_argument("--public-base-url", default=_env("PUBLIC_BASE_URL"),
                        help="start of patient entry links and room links (default http://HOST:PORT)")
    parser.add_argument("--rate-limit-per-minute", type=int,
                        default=int(_env("RATE_LIMIT_PER_MINUTE", str(DEFAULT_RATE_LIMIT_PER_MINUTE)) or 0),
                        help="requests per minute allowed to each token")
    parser.add_argument("--caller-expiry-seconds", type=float,
                        default=float(_env("CALLER_EXPIRY_SECONDS", str(DEFAULT_CALLER_EXPIRY_SECONDS)) or 0),
                        help="how long a caller keeps their place after the entry page's last heartbeat")
    parser.add_argument("--joins-per-minute", type=int,
                        default=int(_env("JOINS_PER_MINUTE", str(DEFAULT_JOINS_PER_MINUTE)) or 0),
                        help="callers one network address may queue into one waiting area each minute")
    parser.add_argument("--fault-error-rate", type=float, default=float(_env("FAULT_ERROR_RATE", "0") or 0))
    parser.add_argument("--fault-latency-ms", type=int, default=int(_env("FAULT_LATENCY_MS", "0") or 0))
    limit = _env("FAULT_RATE_LIMIT_PER_MINUTE")
    parser.add_argument("--fault-rate-limit-per-minute", type=int, default=int(limit) if limit else None)
    parser.add_argument("--fault-drop-rate", type=float, default=float(_env("FAULT_DROP_RATE", "0") or 0))
    seed = _env("FAULT_SEED")
    parser.add_argument("--fault-seed", type=int, default=int(seed) if seed else None)
    return parser


def settings_from_command_line(argv: Sequence[str] | None = None) -> ServerSettings:
    """Read the settings from flags, falling back to the environment, then to the defaults."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.caller_expiry_seconds < 1:
        parser.error("--caller-expiry-seconds must be at least 1")
    if args.joins_per_minute < 1:
        parser.error("--joins-per-minute must be at least 1")
    return ServerSettings(
        host=args.host,
        port=args.port,
        data_dir=Path(args.data_dir),
        in_memory=args.memory,
        public_base_url=args.public_base_url,
        rate_limit_per_minute=args.rate_limit_per_minute,
        operator_token=os.environ.get(OPERATOR_TOKEN_ENV) or None,
        caller_expiry_seconds=args.caller_expiry_seconds,
        joins_per_minute=args.joins_per_minute,
        faults=FaultSettings(
            error_rate=args.fault_error_rate,
            latency_ms=args.fault_latency_ms,
            rate_limit_per_minute=args.fault_rate_limit_per_minute,
            drop_rate=args.fault_drop_rate,
            seed=args.fault_seed,
        ),
    )
