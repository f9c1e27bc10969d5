"""`python -m platform_server`: start the reference platform on loopback."""

import sys
from collections.abc import Sequence

import uvicorn

from platform_server.app import create_app, open_database, serve_at_the_edge
from platform_server.auth import OPERATOR_TOKEN_FILE, ensure_operator_token
from platform_server.settings import OPERATOR_TOKEN_ENV, settings_from_command_line


def main(argv: Sequence[str] | None = None) -> None:
    """Parse flags, prepare the database and operator token, and serve until stopped."""
    settings = settings_from_command_line(argv)
    database = open_database(settings)
    secret = ensure_operator_token(database, settings.operator_token, None if settings.in_memory else settings.data_dir)
    if secret is not None and settings.in_memory:
        print(f"Operator token (in-memory platform, shown once): {secret}", flush=True)
    elif secret is not None:
        token_file = settings.data_dir / OPERATOR_TOKEN_FILE
        print(f"Created the operator token and wrote it to {token_file} (mode 0600). Use it as:\n"
              f"  export {OPERATOR_TOKEN_ENV}=$(cat {token_file})\n"
              f"  curl -H \"Authorization: Bearer ${OPERATOR_TOKEN_ENV}\" {settings.base_url}/v1/organisations",
              flush=True)
    print(f"Video-call platform (admin API v1) starting on http://{settings.host}:{settings.port}"
          f" (OpenAPI at /openapi.json)", flush=True)
    app = serve_at_the_edge(create_app(settings, database))
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_level="warning")
    finally:
        database.close()


if __name__ == "__main__":
    main(sys.argv[1:])
