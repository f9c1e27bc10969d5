"""The Pulumi program: read the stack's structure spec, validate all of it, declare its resources."""

import sys

import pulumi

import schemas
from resources.program import declare_structure
from resources.settings import SPEC, resolve

ALREADY_REPORTED = 32  # the exit code that tells Pulumi's language host the error is shown (no "unhandled error" line)

spec_path = str(resolve(SPEC, config={SPEC.config_key: pulumi.Config("videocall").get("spec")}).value)
try:
    spec = schemas.load_spec(spec_path)
except schemas.SpecError as error:  # every problem, with its file line, before any API call
    pulumi.log.error(f"the structure spec {spec_path} is not valid:\n{error}")
    sys.exit(ALREADY_REPORTED)

for declared in declare_structure(spec):
    pulumi.export(
        f"{declared.organisation.spec_key}.entry_links",
        {clinic: area.entry_link for clinic, area in declared.waiting_areas.items()},
    )
