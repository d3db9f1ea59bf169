"""Plan follow-through: which items of the plan published with month M-1 (服务预告) month M
carried out. The one rule for `bulletin new`, `stats --plan`, the ledger's staff column, the
report and the plan figures of the registry."""

from __future__ import annotations

from dataclasses import dataclass

from bulletin.models import PlanItem, YearMonth
from bulletin.summary import Summary


@dataclass
class PlanReport:
    """How month M carried out the plan published with month M-1."""

    month: YearMonth
    done: list[tuple[PlanItem, list[str]]]  # plan item, names of what matched it
    not_done: list[PlanItem]
    unplanned: list[str]

    @property
    def items(self) -> int:
        return len(self.done) + len(self.not_done)


def _norm(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).lower()


def plan_matches(
    item: PlanItem, name: str, ident: str | None = None, plan: str | None = None
) -> bool:
    """Whether an activity or ongoing service (its name, id and `plan:`) carries out a plan
    item: by the explicit `plan:`, by id, or by name, ignoring punctuation, spaces and case."""
    keys = {_norm(item.name)} | ({_norm(item.id)} if item.id else set())
    return bool(
        (plan and _norm(plan) in keys) or (ident and _norm(ident) in keys) or _norm(name) in keys
    )


def service_carries_out(item: PlanItem, service: str) -> bool:
    """Whether an ongoing service carries out a plan item: the item names it with `service:`,
    or the service matches it as an activity would (by name or id)."""
    named = item.service is not None and _norm(item.service) == _norm(service)
    return named or plan_matches(item, service)


def follow_through(plans: list[PlanItem] | tuple[PlanItem, ...], summary: Summary) -> PlanReport:
    """Match last month's plan items to this month's activities (an explicit `plan:` on the
    activity, id, or name) and ongoing services (the plan item's `service:`, or name)."""
    done: list[tuple[PlanItem, list[str]]] = []
    not_done: list[PlanItem] = []
    used: set[str] = set()
    for item in plans:
        matched = [
            a.name for a in summary.activities if plan_matches(item, a.name, a.id, a.plan)
        ] + [s.name for s in summary.services if service_carries_out(item, s.name)]
        if matched:
            done.append((item, matched))
            used.update(matched)
        else:
            not_done.append(item)
    unplanned = [a.name for a in summary.activities if a.name not in used]
    return PlanReport(summary.month, done, not_done, unplanned)
