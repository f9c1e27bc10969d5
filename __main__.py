"""The Pulumi program: read the stack's structure spec, validate all of it, declare its resources."""

import pulumi

import schemas
from resources.program import declare_structure

DEFAULT_SPEC = "examples/metro-health.yaml"

spec_path = pulumi.Config("videocall").get("spec") or DEFAULT_SPEC
try:
    spec = schemas.load_spec(spec_path)
except schemas.SpecError as error:  # every problem, with its file line, before any API call
    raise pulumi.RunError(f"the structure spec {spec_path} is not valid:\n{error}") from None

for declared in declare_structure(spec):
    pulumi.export(
        f"{declared.organisation.spec_key}.entry_links",
        {clinic: area.entry_link for clinic, area in declared.waiting_areas.items()},
    )
