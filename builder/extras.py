"""The optional part of the install: the build, publishing and reading built folders need
`datasets`, `pyarrow` and `huggingface_hub`, which `pip install 'claims[dataset]'` adds. A
curator's install (`pip install claims`) has none of them, and a command that needs them says
exactly what to install instead of failing on an import."""

from __future__ import annotations

import importlib
from types import ModuleType

from builder.errors import UsageError

EXTRA = "dataset"
PACKAGES = ("datasets", "pyarrow", "huggingface_hub")


def require(module: str, what: str) -> ModuleType:
    """Import `module` (of this package) that needs the dataset extra, or say what to install."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is None or error.name.split(".")[0] not in PACKAGES:
            raise
        raise UsageError(
            f"{what} needs the '{EXTRA}' extra ({error.name} is not installed): "
            f"pip install 'claims[{EXTRA}]' (from a checkout: pip install '.[{EXTRA}]')"
        ) from error
