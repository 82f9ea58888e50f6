"""The parameters of each body's decision rule, read from ``rules.toml`` (configuration)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from accord.council.outcome import Rule

RULES_FILE = Path(__file__).with_name("rules.toml")


@cache
def _configuration(path: Path = RULES_FILE) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def rule_for(kind: str, body_code: str = "", path: Path = RULES_FILE) -> Rule:
    """The rule ``kind`` with the defaults, the rule's own and the body's parameters applied."""
    config = _configuration(path)
    params: dict[str, Any] = dict(config.get("defaults", {}))
    params.update(config.get("rules", {}).get(kind, {}))
    params.update(config.get("bodies", {}).get(body_code, {}))
    params["kind"] = kind
    return Rule.from_params(params)
