"""Development-only helpers for the tests and the benchmarks; not part of the installed distribution.

- `devtools.platform`: the reference platform as a subprocess on a free loopback port (`running_platform`).
- `devtools.platform_dev`: the reference server's `/v1/dev/*` endpoints (simulated callers, invitations,
  fault injection) through a `PlatformClient`'s transport.
- `devtools.counting_proxy`: a loopback proxy that counts the requests reaching the platform.
- `devtools.listener`: something else listening on an address, and serving an HTTP server on a thread.

Runtime code (`schemas`, `platform_client`, `resources`, `sync`, `platform_server`) never imports this package
(`tests/test_packaging.py` checks it).
"""
