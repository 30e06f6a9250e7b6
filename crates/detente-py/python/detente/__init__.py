"""detente: a fast, exact engine for multi-party negotiations, from Python.

The engine is the detente Rust crates; this package calls them (it does not re-implement
them), so results are those of the ``detente`` command line for the same inputs and seeds.

    >>> import detente
    >>> scenario = detente.load("scenarios/pie/pie.toml")          # doctest: +SKIP
    >>> trace = detente.run(scenario, {"Alice": "boulware", "Bob": "conceder"}, seed=7)
    >>> trace.termination, trace.agreement                          # doctest: +SKIP
    >>> detente.analyze(scenario).nash["points"][0]["outcome"]      # doctest: +SKIP

- Scenarios: `load` (TOML, GENIUS, GeniusWeb), `builtin`, `Scenario.from_toml`;
  `Scenario.utilities()` is every outcome's utility for every party as a NumPy array.
- One negotiation: `run` returns a `Trace` (`to_json()`, `to_pandas()`).
- Analysis: `analyze` (exact Pareto frontier, Nash, Kalai-Smorodinsky, welfare points).
- Tournaments: `tournament` (a plan file, or negotiators and scenarios) returns a pandas
  DataFrame; `read_tournament` reads an output folder.
- Reading talks: `inspect` (strategies, stalling, a forecast), `forecast`, `sweep`.
- Pictures: `report` (HTML), `plot` (SVG, PNG).
- Negotiators in Python: subclass `Negotiator`; `register` makes a kind of it for specs,
  plans and sweeps.
- NegMAS, both ways: `detente.negmas` (`from_negmas`, `to_negmas`, `NegmasAgent`,
  `DetenteNegotiator`).

See docs/python.md for the tour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, TypeVar, Union

from ._errors import DetenteError, InputError, MissingFileError
from ._native import (
    ACCEPT,
    DEFAULT_ENUMERATION_LIMIT,
    END,
    UTILITY_ARRAY_LIMIT,
    VERSION,
    Action,
    Analysis,
    Inspection,
    Issue,
    NativeNegotiator,
    Party,
    Registry,
    Scenario,
    SessionInfo,
    State,
    Sweep,
    TournamentOutput,
    Trace,
    analyze,
    builtin,
    derive_seed,
    inspect,
    load,
    plot,
    read_tournament,
    registry,
    report,
    run,
    sweep,
    tournament,
)

__version__ = VERSION

__all__ = [
    "ACCEPT",
    "DEFAULT_ENUMERATION_LIMIT",
    "END",
    "UTILITY_ARRAY_LIMIT",
    "Action",
    "Analysis",
    "DetenteError",
    "InputError",
    "Inspection",
    "Issue",
    "MissingFileError",
    "NativeNegotiator",
    "Negotiator",
    "Param",
    "Party",
    "Registry",
    "Scenario",
    "SessionInfo",
    "State",
    "Sweep",
    "TournamentOutput",
    "Trace",
    "analyze",
    "builtin",
    "derive_seed",
    "forecast",
    "inspect",
    "load",
    "plot",
    "read_tournament",
    "register",
    "registry",
    "report",
    "run",
    "sweep",
    "tournament",
]

Outcome = Union[Sequence[int], dict]
"""An outcome: a tuple of value indices (one per issue), or a dict from issue name to value."""


class Negotiator:
    """Base class of negotiators written in Python.

    The engine calls `init` once before the first turn, `act` on each of the party's turns,
    `observe` after every other party's action, `update` when a timeline event changed the
    scenario, and `compare` in mediated talks under the veto strategy. Override `act` (and
    usually `init`); the others have defaults.

    An exception raised by any of them ends only this negotiation, as this negotiator's fault
    (`negotiator-fault`), with the Python traceback in the trace's `error`. Negotiators that do
    not override `observe` are not called for it (a cost saved on every action).
    """

    #: How traces and tournament results name this negotiator (default: the class name).
    name: Optional[str] = None

    def init(self, info: SessionInfo) -> None:
        """Prepares for a session: `info` has the party index, the deadline, a seed, the
        scenario and this party's utility helpers (`utility`, `outcome_at_least`...)."""

    def act(self, state: State) -> Union[Action, Outcome]:
        """Chooses the action on this party's turn: `detente.ACCEPT`, `detente.END`, or an
        offer (`Action.offer(outcome)`, or the outcome itself: a tuple of value indices or a
        dict of issue values). `state.standing` is the offer on the table (value indices) or
        `None`."""
        raise NotImplementedError("a detente.Negotiator must implement act(state)")

    def observe(self, party: int, action: Action, state: State) -> None:
        """Sees another party's action (`action.kind` is `accept`, `offer` or `end`; an offer's
        `action.outcome` is a tuple of value indices), taken on that party's turn `state`."""

    def update(self, info: SessionInfo) -> None:
        """The scenario changed during the talks (an event moved a reservation value, a party
        left, an issue was settled); `info.scenario` shows it as it stands. By default the
        negotiator starts afresh with `init`."""
        self.init(info)

    def compare(self, candidate: tuple, incumbent: tuple) -> Optional[int]:
        """In mediated talks: positive if `candidate` is better for this party than
        `incumbent`, negative if worse, 0 if equal, `None` (the default) if it cannot tell."""
        return None


@dataclass(frozen=True)
class Param:
    """A parameter of a registered kind: its default, its allowed range and what it means."""

    default: float
    min: float = -math.inf
    max: float = math.inf
    meaning: str = ""


F = TypeVar("F", bound=Callable[..., Any])


def register(
    name: str,
    factory: Optional[F] = None,
    *,
    params: Optional[dict] = None,
    summary: str = "",
    source: Optional[str] = None,
    exponent: Optional[str] = None,
    registry: Optional[Registry] = None,
) -> Any:
    """Registers a negotiator kind in the default registry (or `registry`): `factory(**params)`
    makes a fresh negotiator for every negotiation. Then specs such as ``"name:x=0.5"`` work in
    `run`, `tournament` plans and `sweep`. Works as a decorator too::

        @detente.register("stubborn", params={"floor": detente.Param(0.8, 0, 1)})
        class Stubborn(detente.Negotiator):
            def __init__(self, floor=0.8): ...
    """
    target = registry if registry is not None else globals()["registry"]()

    def add(f: F) -> F:
        target.register(
            name, f, params=params, summary=summary, source=source, exponent=exponent
        )
        return f

    if factory is None:
        return add
    return add(factory)


def forecast(trace: Any, scenario: Any = None, **options: Any) -> Optional[dict]:
    """The forecast part of `inspect(trace, scenario, **options)`: the chance of agreement
    before the deadline and where it lands, from simulated continuations; `None` when the talks
    cannot go on."""
    return inspect(trace, scenario, **options).forecast
