"""Request bodies (`extra="forbid"`) and response shapes of the admin API, one module per resource."""
