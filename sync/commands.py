"""Every command of the sync job, registered here in one list (each module adds its own arguments)."""

from __future__ import annotations

from sync import adopt, destroy, drift_command, reconcile, preview, recover_command, up

REGISTRY = [up.register, preview.register, drift_command.register, reconcile.register, recover_command.register,
            adopt.register, destroy.register]
