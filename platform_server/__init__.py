"""The reference video-call platform: the admin API v1 (docs/api-v1.md) over SQLite."""
