"""detente and NegMAS, both ways (written against negmas 0.16.0).

- `from_negmas(scenario)` and `to_negmas(scenario)` convert scenarios. Both keep every
  outcome's utility exactly (the same floating-point number on both sides). They do not change
  semantics: NegMAS reads GENIUS files with the evaluations as written, detente divides each
  evaluation by its issue's largest (GENIUS's own rule), so the same GENIUS folder loaded by each
  system gives different utilities, and the conversions carry each system's numbers across.
- `NegmasAgent` lets any NegMAS SAO negotiator (NegMAS's own, `negmas-genius-agents`, ANL
  agents) play inside detente's protocols, tournaments and sweeps; `register` makes a kind of
  it for specs and plans.
- `DetenteNegotiator` is a NegMAS negotiator backed by any detente negotiator (a built-in or
  registered kind), for NegMAS mechanisms and tournaments.

Time. detente's negotiators see `t = (r*n + k) / (R*n)` on the turn of party `k` (of `n`) in
round `r` (of `R`); NegMAS's see `relative_time = (step + 1) / (n_steps + 1)`, the same for
every negotiator of a step. Round `r` is step `r` and the deadline `R` is `n_steps`. Each side's
negotiators see their own system's clock: a NegMAS negotiator inside detente sees NegMAS's
`(r + 1) / (R + 1)`, and a detente negotiator inside NegMAS sees detente's `t` (computed from the
step, its index and `n_steps`), so each behaves as it does at home. Discounting follows the same
split: detente discounts with its `t`, NegMAS's `ExpDiscountedUFun(factor="relative_time")`
with its own relative time.
"""

from __future__ import annotations

import math
import random
import time as _time
from typing import Any, Callable, Optional, Sequence

from negmas.inout import Scenario as NegmasScenario
from negmas.outcomes import make_issue, make_os
from negmas.preferences import LinearAdditiveUtilityFunction, MappingUtilityFunction
from negmas.preferences.discounted import ExpDiscountedUFun
from negmas.preferences.value_fun import TableFun
from negmas.sao import ResponseType, SAOMechanism, SAONegotiator, SAOResponse
from negmas.sao.negotiators.base import SAOCallNegotiator

import detente
from detente import ACCEPT, END, Action, InputError, Registry, Scenario, SessionInfo, State

__all__ = [
    "DetenteNegotiator",
    "NegmasAgent",
    "from_negmas",
    "negmas_time",
    "detente_time",
    "register",
    "to_negmas",
]

#: Largest outcome space converted by listing every outcome's utility (preferences that are
#: not linear additive).
TABLE_LIMIT = 1_000_000


def negmas_time(round: int, deadline: int) -> float:
    """NegMAS's relative time in round (step) `round` of `deadline`: `(round+1)/(deadline+1)`."""
    return min(1.0, (round + 1) / (deadline + 1))


def detente_time(round: int, turn: int, n_parties: int, deadline: int) -> float:
    """detente's normalised time on the turn of party `turn` in round `round`:
    `(round*n + turn) / (deadline*n)`."""
    return min(1.0, (round * n_parties + turn) / (deadline * n_parties))


# ---------------------------------------------------------------------------------------------
# Scenarios


def _toml_string(s: str) -> str:
    out = ['"']
    for ch in str(s):
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_number(x: float) -> str:
    x = float(x)
    if not math.isfinite(x):
        raise InputError(f"detente needs finite numbers, not {x}")
    return repr(x)


def _issue_values(issue: Any) -> list:
    if issue.is_continuous():
        raise InputError(
            f"issue `{issue.name}` is continuous; discretize it first (in NegMAS: "
            "scenario.discretize(levels)), detente negotiates over finitely many values"
        )
    values = list(issue.all)
    if not values:
        raise InputError(f"issue `{issue.name}` has no values")
    return values


def _issue_toml(issue: Any, values: list) -> str:
    head = f"\n[[issues]]\nname = {_toml_string(issue.name)}\n"
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    if ints and values == list(range(values[0], values[0] + len(values))):
        return head + f'type = "integer"\nmin = {values[0]}\nmax = {values[-1]}\n'
    names = [str(v) for v in values]
    if len(set(names)) != len(names):
        raise InputError(f"issue `{issue.name}`: its values are not distinct as text")
    return head + "values = [" + ", ".join(_toml_string(n) for n in names) + "]\n"


def _unwrap_discount(ufun: Any) -> tuple[Any, float]:
    if isinstance(ufun, ExpDiscountedUFun):
        if ufun.discount is None or ufun.discount == 1.0:
            return ufun.ufun, 1.0
        if ufun.factor != "relative_time":
            raise InputError(
                f"ufun `{ufun.name}` discounts by `{ufun.factor}`; detente discounts by "
                "normalised time only (factor='relative_time')"
            )
        return ufun.ufun, float(ufun.discount)
    return ufun, 1.0


def _linear_parts(ufun: Any, values: list[list]) -> Optional[tuple[list, list]]:
    """Weights and per-issue scores of a linear additive ufun without bias, else None."""
    if isinstance(ufun, _ZeroUfun):
        return [0.0] * len(values), [[0.0] * len(v) for v in values]
    if type(ufun) is not LinearAdditiveUtilityFunction or getattr(ufun, "_bias", 0.0) != 0.0:
        return None
    weights = [float(w) for w in ufun.weights]
    scores = [[float(vf(v)) for v in vals] for vf, vals in zip(ufun.values, values)]
    return weights, scores


def _party_toml(name: str, ufun: Any, issues: Sequence[Any], values: list[list],
                limit: int) -> str:
    base, discount = _unwrap_discount(ufun)
    out = [f"\n[[parties]]\nname = {_toml_string(name)}\n"]
    parts = _linear_parts(base, values)
    if parts is not None:
        weights, scores = parts
        # The lowest utility: each issue's lowest weighted score (sums round monotonically).
        worst = tuple(vals[min(range(len(s)), key=lambda k: w * s[k])]
                      for w, s, vals in zip(weights, scores, values))
        body = [f"\n[parties.issues.{_toml_string(i.name)}]\nweight = {_toml_number(w)}\n"
                f"scores = [{', '.join(_toml_number(x) for x in s)}]\n"
                for i, w, s in zip(issues, weights, scores)]
        lowest = float(base(worst))
    else:
        count = math.prod(len(v) for v in values)
        if count > limit:
            raise InputError(
                f"party `{name}`: its preferences are not linear additive and the space has "
                f"{count} outcomes, above the limit {limit} for listing them (limit=)")
        import itertools
        rows, lowest = [], math.inf
        for outcome in itertools.product(*values):
            u = float(base(outcome))
            lowest = min(lowest, u)
            at = ", ".join(f"{_toml_string(i.name)} = {_value_toml(v)}"
                           for i, v in zip(issues, outcome))
            rows.append(f"  {{ at = {{ {at} }}, utility = {_toml_number(u)} }},\n")
        body = ["\n[parties.table]\noutcomes = [\n", *rows, "]\n"]
    reserved = base.reserved_value if base.reserved_value is not None else -math.inf
    reservation = float(reserved) if math.isfinite(reserved) else lowest
    out.append(f"reservation = {_toml_number(reservation)}\ndiscount = {_toml_number(discount)}\n")
    return "".join(out + body)


def _value_toml(v: Any) -> str:
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    return _toml_string(str(v))


def from_negmas(
    scenario: Any,
    *,
    name: Optional[str] = None,
    party_names: Optional[Sequence[str]] = None,
    n_steps: Optional[int] = None,
    limit: int = TABLE_LIMIT,
) -> Scenario:
    """A detente scenario from a NegMAS `Scenario` (or any object with `outcome_space` and
    `ufuns`).

    Every outcome keeps its NegMAS utility exactly: linear additive ufuns (without bias) become
    linear additive preferences with the same weights and scores; any other ufun becomes a table
    of every outcome's utility (up to `limit` outcomes). A reserved value of `-inf` (NegMAS's
    "none") becomes the party's lowest utility, so that any agreement is at least as good as
    none. `ExpDiscountedUFun(factor="relative_time")` becomes detente's discount factor.
    Continuous issues must be discretized first. Party names default to the ufuns' names (or
    `party-1`, ...); the deadline is `n_steps`, else the scenario's `mechanism_params["n_steps"]`,
    else 100.
    """
    os_ = scenario.outcome_space
    issues = list(os_.issues)
    values = [_issue_values(i) for i in issues]
    ufuns = list(scenario.ufuns)
    if len(ufuns) < 2:
        raise InputError(f"a negotiation needs at least two parties, found {len(ufuns)}")
    names = list(party_names) if party_names else _party_names(ufuns)
    steps = n_steps or (getattr(scenario, "mechanism_params", None) or {}).get("n_steps") or 100
    title = name or getattr(scenario, "name", None) or getattr(os_, "name", None) or "negmas"
    text = [f"format = 1\nname = {_toml_string(title)}\n\n[protocol]\nrounds = {int(steps)}\n"]
    text += [_issue_toml(i, v) for i, v in zip(issues, values)]
    text += [_party_toml(n, u, issues, values, limit) for n, u in zip(names, ufuns)]
    return Scenario.from_toml("".join(text), origin=f"<from_negmas: {title}>")


def _party_names(ufuns: Sequence[Any]) -> list[str]:
    names = [getattr(u, "name", None) or "" for u in ufuns]
    if all(names) and len(set(names)) == len(names):
        return [str(n) for n in names]
    return [f"party-{k + 1}" for k in range(len(ufuns))]


def _negmas_issues(scenario: Scenario) -> list:
    out = []
    for issue in scenario.issues:
        if issue.kind == "integer":
            last = issue.value(issue.cardinality - 1)
            out.append(make_issue(values=(issue.value(0), last), name=issue.name))
        else:
            out.append(make_issue(values=list(issue.values), name=issue.name))
    return out


class _CappedLinear(LinearAdditiveUtilityFunction):
    """A linear additive ufun with GENIUS's cap on the sum (detente's `cap`), so that utilities
    stay detente's exactly. Only used when the cap can bind."""

    def __init__(self, *args: Any, cap: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap

    def eval(self, offer: Any) -> float:
        """The weighted sum, capped."""
        u = super().eval(offer)
        return u if offer is None or u is None or u <= self.cap else self.cap


def _negmas_ufun(scenario: Scenario, index: int, os_: Any, limit: int) -> Any:
    party = scenario.parties[index]
    lin = party.linear()
    kw = dict(outcome_space=os_, reserved_value=party.reservation, name=party.name)
    if lin is not None and _exact_products(lin):
        values = [TableFun(dict(zip(issue.values, s))) for issue, s in
                  zip(scenario.issues, lin["scores"])]
        cap = lin["cap"]
        top = 0.0
        for weighted in lin["weighted"]:
            top += max(weighted)
        if cap is not None and top > cap:
            ufun = _CappedLinear(values=values, weights=lin["weights"], cap=cap, **kw)
        else:
            ufun = LinearAdditiveUtilityFunction(values=values, weights=lin["weights"], **kw)
    else:
        table = scenario.utilities(limit=limit)[index]
        mapping = {tuple(scenario.outcome_dict(scenario.outcome(k)).values()): float(u)
                   for k, u in enumerate(table)}
        ufun = MappingUtilityFunction(mapping, **kw)
    if party.discount < 1.0:
        ufun = ExpDiscountedUFun(ufun, discount=party.discount, factor="relative_time",
                                 reserved_value=party.reservation, name=party.name)
    return ufun


def _exact_products(lin: dict) -> bool:
    """Whether NegMAS's `weight * score` gives detente's precomputed addends exactly."""
    return all(w * s == x for w, scores, weighted in
               zip(lin["weights"], lin["scores"], lin["weighted"])
               for s, x in zip(scores, weighted))


def to_negmas(scenario: Scenario, *, limit: int = TABLE_LIMIT) -> NegmasScenario:
    """A NegMAS `Scenario` from a detente one, with every outcome's utility exactly detente's.

    Discrete issues become categorical issues (values by name), integer issues contiguous ones,
    real issues the list of their discretisation points. Linear additive preferences become
    `LinearAdditiveUtilityFunction`s with the same weights and scores (with GENIUS's cap on the
    sum kept when it can bind); other preferences become `MappingUtilityFunction`s listing
    every outcome (up to `limit`). A discount factor becomes `ExpDiscountedUFun(factor=
    "relative_time")` (NegMAS's relative time, see the module's notes). The deadline becomes
    `mechanism_params["n_steps"]`. Events, constraints and mediated protocols have no NegMAS
    counterpart and are left out (constraints: an error).
    """
    if scenario.constraints:
        raise InputError(
            f"scenario `{scenario.name}` has hard constraints, which NegMAS outcome spaces "
            "cannot express")
    os_ = make_os(_negmas_issues(scenario), name=scenario.name)
    ufuns = tuple(_negmas_ufun(scenario, k, os_, limit) for k in range(len(scenario.parties)))
    return NegmasScenario(outcome_space=os_, ufuns=ufuns,
                          mechanism_params={"n_steps": scenario.deadline}, name=scenario.name)


class _Outcomes:
    """Outcome conversion between a detente scenario (value indices) and NegMAS (values)."""

    def __init__(self, scenario: Scenario, negmas_issues: Sequence[Any]) -> None:
        self.values = [list(i.all) for i in negmas_issues]
        self.index = [{v: k for k, v in enumerate(vals)} for vals in self.values]

    def to_negmas(self, indices: Optional[Sequence[int]]) -> Optional[tuple]:
        """An outcome's NegMAS values from its value indices."""
        if indices is None:
            return None
        return tuple(vals[k] for vals, k in zip(self.values, indices))

    def to_detente(self, outcome: Sequence[Any]) -> tuple:
        """An outcome's value indices from its NegMAS values."""
        try:
            return tuple(ix[v] for ix, v in zip(self.index, outcome))
        except KeyError as e:
            raise InputError(f"{outcome!r} is not an outcome of the space (value {e})") from None


# ---------------------------------------------------------------------------------------------
# NegMAS negotiators inside detente


class _Seat(SAONegotiator):
    """Stands for another party in the mechanism a NegMAS negotiator sits in inside detente;
    never asked to act."""

    def propose(self, state: Any, dest: Optional[str] = None) -> None:
        """Never asked: the seat's party plays in detente."""
        return None


class NegmasAgent(detente.Negotiator):
    """Any NegMAS SAO negotiator, playing inside detente.

    `negotiator` is a NegMAS negotiator class or factory, called as `negotiator(name=PARTY,
    **params)` for every negotiation (an instance is used once). The negotiator sits in a NegMAS
    `SAOMechanism` of its own (outcome space and ufun from `to_negmas`, `n_steps` the deadline,
    one silent seat per other party) whose state the adapter keeps as NegMAS would: the step is
    the round, `relative_time` NegMAS's, the offer on the table, its proposer and the count of
    acceptances, `new_offers` of the step. It is called exactly as `SAOMechanism` calls it
    (`negotiator(state, dest)`), and hears the other parties through NegMAS's callbacks
    (`on_partner_proposal`, `on_partner_response`, `on_round_start`, `on_round_end`,
    `_on_negotiation_start`). Its responses map to detente's actions: ACCEPT_OFFER to accept,
    END_NEGOTIATION and LEAVE (and a refusal to offer, which NegMAS's default settings treat as
    ending) to end, REJECT_OFFER with an outcome to an offer.

    With `seed_random` (the default), `init` seeds Python's `random` and NumPy's global
    generator from the negotiation's seed, which many NegMAS agents draw from: runs are then
    reproducible. Stochastic agents still draw differently than under `SAOMechanism`, which
    itself draws from `random` at every step; deterministic ones (NegMAS's time-based
    negotiators, HardHeaded, CUHKAgent...) reach the same agreement in the same round.
    `on_negotiation_end` is not called (detente tells negotiators nothing at the end).
    """

    def __init__(self, negotiator: Any, *, name: Optional[str] = None, seed_random: bool = True,
                 **params: Any) -> None:
        self._make = negotiator
        self._params = params
        self._seed_random = seed_random
        self.name = name or getattr(negotiator, "__name__", None) or type(negotiator).__name__
        self.negotiator: Any = None

    def _create(self, party_name: str) -> Any:
        if not callable(self._make) or isinstance(self._make, SAONegotiator):
            return self._make
        try:
            return self._make(name=party_name, **self._params)
        except TypeError:
            return self._make(**self._params)

    def init(self, info: SessionInfo) -> None:
        """Makes the NegMAS negotiator and its mechanism for this negotiation, and starts it."""
        if self._seed_random:
            # NegMAS agents draw from Python's and NumPy's global generators: seeding them from
            # the negotiation's seed keeps detente's runs reproducible.
            import numpy

            random.seed(info.seed)
            numpy.random.seed(info.seed % 2**32)
        scenario = info.scenario
        negmas = to_negmas(scenario)
        self._scenario = scenario
        self._outcomes = _Outcomes(scenario, negmas.outcome_space.issues)
        self.negotiator = self._create(scenario.party_names[info.party])
        mech = SAOMechanism(outcome_space=negmas.outcome_space, n_steps=info.deadline)
        self._ids = []
        for k, party in enumerate(scenario.party_names):
            if k == info.party:
                neg = self.negotiator
                mech.add(neg, ufun=negmas.ufuns[k])
            else:
                neg = _Seat(name=party, id=f"{party}#{k}")
                mech.add(neg)
            self._ids.append(neg.id)
        self._mech, self._party, self._step = mech, info.party, 0
        ms = mech._current_state
        ms.running, ms.started, ms.step = True, True, 0
        ms.relative_time = mech._relative_time_for(mech._internal_nmi)
        mech._start_time = _time.perf_counter_ns()
        self.negotiator._on_negotiation_start(state=mech.state_for(self.negotiator))
        if mech._extra_callbacks:
            self.negotiator.on_round_start(state=mech.state_for(self.negotiator))

    def update(self, info: SessionInfo) -> None:
        """An event changed the scenario: the ufun is rebuilt from it and handed to the
        negotiator (`set_preferences`, which NegMAS negotiators hear through
        `on_preferences_changed`); the negotiation state stays."""
        negmas = to_negmas(info.scenario)
        self._scenario = info.scenario
        self.negotiator.set_preferences(negmas.ufuns[info.party], force=True)

    def _sync(self, state: State) -> None:
        """Moves the mechanism's step to the round of `state`, with NegMAS's callbacks."""
        mech, neg = self._mech, self.negotiator
        ms = mech._current_state
        while self._step < state.round:
            if mech._extra_callbacks:
                neg.on_round_end(state=mech.state_for(neg))
            self._step += 1
            ms.step = self._step
            ms.relative_time = mech._relative_time_for(mech._internal_nmi)
            ms.new_offers, ms.new_data = [], []
            if mech._extra_callbacks:
                neg.on_round_start(state=mech.state_for(neg))

    def _table(self, state: State) -> None:
        """Puts the standing offer of `state` on the mechanism's table."""
        ms = self._mech._current_state
        ms.current_offer = self._outcomes.to_negmas(state.standing)
        if state.standing is None:
            ms.current_proposer, ms.n_acceptances = None, 0
        else:
            by = state.standing_by
            ms.current_proposer = self._ids[by] if by is not None and by >= 0 else None
            # NegMAS counts the offerer's own acceptance (offering is accepting).
            ms.n_acceptances = state.accepts + (1 if by is not None and by >= 0 else 0)

    def act(self, state: State) -> Any:
        """Calls the NegMAS negotiator as `SAOMechanism` does and returns its move."""
        self._sync(state)
        self._table(state)
        mech, neg = self._mech, self.negotiator
        dest = self._ids[(self._party + 1) % len(self._ids)]
        s = mech.state_for(neg)
        try:
            response = neg(state=s, dest=dest)
        except TypeError:
            response = neg(state=s)
        return self._action(response, state)

    def _action(self, response: Any, state: State) -> Any:
        if response is None:
            return END
        kind = response.response
        if kind == ResponseType.ACCEPT_OFFER:
            return ACCEPT if state.standing is not None else END
        if kind in (ResponseType.END_NEGOTIATION, ResponseType.LEAVE):
            return END
        if kind == ResponseType.REJECT_OFFER:
            outcome = response.outcome
            if outcome is None:
                return END
            outcome = getattr(outcome, "outcome", outcome)
            offer = self._outcomes.to_detente(outcome)
            ms = self._mech._current_state
            ms.new_offers.append((self.negotiator.id, outcome))
            return Action.offer(offer)
        raise InputError(f"the NegMAS negotiator answered {kind}, which detente's protocols "
                         "have no counterpart for (it must accept, offer or end)")

    def observe(self, party: int, action: Action, state: State) -> None:
        """Passes another party's move to the NegMAS negotiator through NegMAS's callbacks."""
        mech, neg = self._mech, self.negotiator
        self._sync(state)
        if not mech._extra_callbacks:
            return
        self._table(state)
        ms = mech._current_state
        partner = self._ids[party]
        if ms.current_offer is not None:
            response = {"accept": ResponseType.ACCEPT_OFFER, "end": ResponseType.END_NEGOTIATION,
                        "offer": ResponseType.REJECT_OFFER}[action.kind]
            neg.on_partner_response(state=mech.state_for(neg), partner_id=partner,
                                    outcome=ms.current_offer, response=response)
        if action.kind == "offer":
            outcome = self._outcomes.to_negmas(action.outcome)
            ms.n_acceptances = 1
            neg.on_partner_proposal(partner_id=partner, offer=outcome, state=mech.state)
            ms.current_offer, ms.current_proposer = outcome, partner
            ms.new_offers.append((partner, outcome))


def register(name: str, negotiator: Any, *, registry: Optional[Registry] = None,
             summary: str = "", **params: Any) -> Any:
    """Registers a NegMAS negotiator class as a detente kind (`name`), so that specs, plans and
    sweeps can use it: each negotiation gets `NegmasAgent(negotiator, **params)`."""
    label = getattr(negotiator, "__name__", name)

    def factory() -> NegmasAgent:
        return NegmasAgent(negotiator, name=label, **params)

    return detente.register(name, factory, summary=summary or f"NegMAS: {label}",
                            registry=registry)


# ---------------------------------------------------------------------------------------------
# detente negotiators inside NegMAS


class DetenteNegotiator(SAOCallNegotiator):
    """A NegMAS negotiator backed by a detente negotiator (`spec`, e.g. `"boulware:e=0.2"`, a
    kind of `registry` or the default registry).

    At the start of each negotiation it builds a detente scenario of the mechanism's outcome
    space with its own ufun exactly (the other parties' preferences are unknown to it: they get
    zero utility, which detente's built-in negotiators never read), and starts the detente
    negotiator as party `k` (its index in the mechanism) with the deadline `n_steps`. On each
    call it passes detente's state: round = step, detente's time `(step*n + k)/(n_steps*n)`, the
    offer on the table and its proposer, the acceptances; and it shows the detente negotiator the
    others' offers, acceptances and walk-outs from NegMAS's callbacks. Mechanisms without
    `n_steps` (time limits only) give it NegMAS's `relative_time` and a deadline of `deadline`
    rounds. Its random choices (the `random` kind) come from `derive_seed(seed, k)`, as in a
    detente run with seed `seed`.
    """

    def __init__(self, spec: str = "boulware", *, registry: Optional[Registry] = None,
                 seed: int = 42, deadline: int = 1000, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.detente = detente.NativeNegotiator(spec, registry)
        self._seed = seed
        self._fallback_deadline = deadline

    def on_negotiation_start(self, state: Any) -> None:
        """Builds the detente scenario of this negotiation and starts the detente negotiator."""
        super().on_negotiation_start(state)
        nmi = self.nmi
        issues = list(nmi.outcome_space.issues)
        ids = list(nmi.negotiator_ids)
        self._me = nmi.negotiator_index(self.id)
        self._ids = ids
        self._n_steps = nmi.n_steps
        me_name = f"{self.name or 'me'}"
        names = [me_name if k == self._me else f"party-{k + 1}" for k in range(len(ids))]
        if len(set(names)) != len(names):
            names = [f"party-{k + 1}" for k in range(len(ids))]

        ufuns = [self.ufun if k == self._me else _ZeroUfun() for k in range(len(ids))]
        source = type("S", (), {"outcome_space": nmi.outcome_space, "ufuns": ufuns,
                                "name": "negmas", "mechanism_params": {}})()
        deadline = self._n_steps or self._fallback_deadline
        self._scenario = from_negmas(source, party_names=names, n_steps=deadline)
        self._outcomes = _Outcomes(self._scenario, issues)
        # As in detente, negotiator k of a negotiation with seed s draws from derive_seed(s, k).
        self.detente.init(self._scenario, self._me, deadline,
                          detente.derive_seed(self._seed, self._me))

    def _turn(self, state: Any, party: int) -> dict:
        n = len(self._ids)
        if self._n_steps:
            t = detente_time(state.step, party, n, self._n_steps)
        else:
            t = state.relative_time
        standing = state.current_offer
        by = self._ids.index(state.current_proposer) if standing is not None and \
            state.current_proposer in self._ids else None
        return dict(round=state.step, time=t, turn=party,
                    standing=self._outcomes.to_detente(standing) if standing is not None else None,
                    standing_by=by if standing is not None else None,
                    accepts=max(0, state.n_acceptances - 1) if standing is not None else 0)

    def __call__(self, state: Any, dest: Optional[str] = None) -> SAOResponse:
        """Its move in NegMAS: the detente negotiator's action on this turn, as a response."""
        turn = self._turn(state, self._me)
        if turn["standing"] is not None and turn["standing_by"] is None:
            turn["standing"] = None
        action = self.detente.act(**turn)
        if action.kind == "accept":
            return SAOResponse(ResponseType.ACCEPT_OFFER, state.current_offer)
        if action.kind == "end":
            return SAOResponse(ResponseType.END_NEGOTIATION, None)
        return SAOResponse(ResponseType.REJECT_OFFER, self._outcomes.to_negmas(action.outcome))

    def on_partner_proposal(self, state: Any, partner_id: str, offer: Any) -> None:
        """Shows the detente negotiator another party's offer."""
        super().on_partner_proposal(state, partner_id, offer)
        if partner_id in self._ids and offer is not None:
            party = self._ids.index(partner_id)
            self.detente.observe(party, self._outcomes.to_detente(offer),
                                 **self._turn(state, party))

    def on_partner_response(self, state: Any, partner_id: str, outcome: Any,
                            response: Any) -> None:
        """Shows the detente negotiator another party's acceptance or walk-out."""
        super().on_partner_response(state, partner_id, outcome, response)
        if partner_id not in self._ids or response == ResponseType.REJECT_OFFER:
            return
        party = self._ids.index(partner_id)
        kind = "accept" if response == ResponseType.ACCEPT_OFFER else "end"
        self.detente.observe(party, kind, **self._turn(state, party))


class _ZeroUfun:
    """The preferences of a party a `DetenteNegotiator` cannot see: zero for every outcome."""

    name = None
    reserved_value = 0.0

    def __call__(self, outcome: Any) -> float:
        """Zero."""
        return 0.0
