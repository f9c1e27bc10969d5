"""The application factory: database, routers, the entry pages, error handlers, middleware, the caller sweeper."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from platform_server import caller_queue
from platform_server.database import Database
from platform_server.faults import FaultInjector
from platform_server.middleware import (
    ASGIApp,
    RequestIds,
    ResponseDropper,
    TrafficControl,
)
from platform_server.openapi import build_openapi
from platform_server.problems import install_problem_handlers
from platform_server.routers import (
    clinics,
    dev,
    entry_page,
    members,
    organisations,
    rooms,
    tokens,
    tree,
    waiting_areas,
)
from platform_server.settings import ServerSettings
from platform_server.state import PlatformState

DATABASE_FILE = "platform.sqlite3"
SWEEP_SECONDS = 1.0
log = logging.getLogger("platform_server")

ROUTERS = (
    organisations.router, tree.router, clinics.router, waiting_areas.router, rooms.router, members.router,
    tokens.router, dev.router,
)


def open_database(settings: ServerSettings) -> Database:
    """Open the platform database the settings ask for (creating the data folder if needed)."""
    if settings.in_memory:
        return Database(None)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Database(Path(settings.data_dir) / DATABASE_FILE)


def sweep_expired_callers(database: Database) -> None:
    """Take callers whose entry page stopped its heartbeat out of their queues."""
    with database.transaction() as connection:
        caller_queue.sweep(connection)


@asynccontextmanager
async def sweeping_expired_callers(app: FastAPI) -> AsyncIterator[None]:
    """While the server runs, abandoned entry pages stop counting as waiting callers within a second."""
    database: Database = app.state.platform.database

    async def sweep_forever() -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                await asyncio.to_thread(sweep_expired_callers, database)
            except Exception:  # a busy or closing database: try again at the next sweep
                log.exception("sweeping expired callers failed")

    sweeper = asyncio.create_task(sweep_forever())
    try:
        yield
    finally:
        sweeper.cancel()


def create_app(settings: ServerSettings, database: Database) -> FastAPI:
    """Build the FastAPI application of the admin API over `database`."""
    app = FastAPI(
        title="Video-call platform admin API",
        version="1",
        description="The reference platform server. Contract: docs/api-v1.md.",
        openapi_url="/openapi.json",
        redoc_url=None,
        lifespan=sweeping_expired_callers,
    )
    app.state.platform = PlatformState(database=database, settings=settings, faults=FaultInjector(settings.faults))
    install_problem_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    entry_page.install(app)
    app.add_middleware(TrafficControl, platform=app.state.platform)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    return app


def serve_at_the_edge(app: FastAPI) -> ASGIApp:
    """Wrap the application in the layers that must see even its crashes: request ids, dropped responses."""
    platform: PlatformState = app.state.platform
    return ResponseDropper(RequestIds(app), platform.faults)
