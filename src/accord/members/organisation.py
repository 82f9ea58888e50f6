"""The organisation file (TOML): its shape, validated with a path to every fault."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from accord.errors import InvalidInput

STATUSES = ("member", "suspended", "observer", "partner")
DECISION_RULES = (
    "consensus",
    "consensus_minus_concerned",
    "unanimity_constructive_abstention",
    "simple_majority",
    "qualified_majority",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None
    return value


class OrganisationInfo(_Strict):
    names: dict[str, str]
    abbreviations: dict[str, str] = Field(default_factory=dict)
    seat: str
    timezone: str = "UTC"
    working_languages: list[Literal["en", "ru"]] = Field(min_length=1)

    _tz = field_validator("timezone")(_check_timezone)


class StateEntry(_Strict):
    code: str
    status: Literal["member", "suspended", "observer", "partner"]
    capital: str = ""
    timezone: str = "UTC"
    population: int | None = Field(default=None, ge=0)
    default_classification: Literal["PUBLIC", "RESTRICTED", "CONFIDENTIAL", "SECRET"] = "RESTRICTED"
    default_releasable_to: list[str] = Field(default_factory=lambda: ["ALL"])

    _tz = field_validator("timezone")(_check_timezone)

    @field_validator("code")
    @classmethod
    def _iso(cls, value: str) -> str:
        if pycountry.countries.get(alpha_3=value) is None or value != value.upper():
            raise ValueError(f"{value!r} is not an ISO 3166 alpha-3 country code")
        return value

    @property
    def alpha2(self) -> str:
        return pycountry.countries.get(alpha_3=self.code).alpha_2


class ChairYear(_Strict):
    year: int = Field(ge=1990, le=2200)
    state: str


class ChairData(_Strict):
    rotation: list[str] = Field(min_length=1)
    held: list[ChairYear] = Field(default_factory=list)
    declined: list[ChairYear] = Field(default_factory=list)


class BodyEntry(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    kind: str = Field(min_length=1, max_length=32)
    decision_rule: Literal[
        "consensus",
        "consensus_minus_concerned",
        "unanimity_constructive_abstention",
        "simple_majority",
        "qualified_majority",
    ]
    names: dict[str, str]


class CapabilityEntry(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,47}$")
    category: str = Field(min_length=1, max_length=32)
    unit: str = Field(default="team", min_length=1, max_length=32)
    names: dict[str, str]


class OrganisationFile(_Strict):
    organisation: OrganisationInfo
    states: list[StateEntry] = Field(min_length=1)
    chair: ChairData
    bodies: list[BodyEntry] = Field(default_factory=list)
    capabilities: list[CapabilityEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> OrganisationFile:
        codes = [state.code for state in self.states]
        if len(set(codes)) != len(codes):
            raise ValueError("states: a state code is listed twice")
        for index, code in enumerate(self.chair.rotation):
            if code not in codes:
                raise ValueError(f"chair.rotation.{index}: {code!r} is not among the states")
        for key in ("held", "declined"):
            for index, entry in enumerate(getattr(self.chair, key)):
                if entry.state not in self.chair.rotation:
                    raise ValueError(
                        f"chair.{key}.{index}.state: {entry.state!r} is not in chair.rotation"
                    )
        for index, state in enumerate(self.states):
            for code in state.default_releasable_to:
                if code not in (*codes, "ALL", "ORG"):
                    raise ValueError(
                        f"states.{index}.default_releasable_to: {code!r} is not a state, ORG or ALL"
                    )
        capability_codes = [entry.code for entry in self.capabilities]
        if len(set(capability_codes)) != len(capability_codes):
            raise ValueError("capabilities: a capability code is listed twice")
        years = [entry.year for entry in self.chair.held]
        if len(set(years)) != len(years):
            raise ValueError("chair.held: a year has two chairs")
        return self


def load_organisation(path: Path) -> OrganisationFile:
    """Read and validate the organisation file; InvalidInput names the file and the faulty field."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(
            f"organisation file {path}: no such file", field="ACCORD_ORGANISATION"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"organisation file {path}: not valid TOML: {exc}", field="ACCORD_ORGANISATION"
        ) from None
    try:
        return OrganisationFile.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if not where:  # checks across the whole file name their own path in the message
            where, _sep, message = message.partition(": ")
        raise InvalidInput(f"organisation file {path}: {where}: {message}", field=where) from None
