"""HTML pages for callers: templates (escaped by default), their assets, and the headers every page carries."""

from importlib import resources

from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

TEMPLATES = Environment(
    loader=PackageLoader("platform_server", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
ASSET_TYPES = {"entry.css": "text/css; charset=utf-8", "entry.js": "text/javascript; charset=utf-8"}
# Pages hold a caller's own place and what they typed: never cached, never framed, no third parties.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                               " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def page(template: str, status_code: int = 200, **context: object) -> HTMLResponse:
    """Render a page template."""
    html = TEMPLATES.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)


def asset(name: str) -> Response | None:
    """A stylesheet or script of the pages (None for any other name)."""
    if name not in ASSET_TYPES:
        return None
    body = resources.files("platform_server").joinpath("assets", name).read_bytes()
    return Response(body, media_type=ASSET_TYPES[name],
                    headers={"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"})
