"""The accounts of a grant report: the application's budget lines against what was actually
spent, how the costs were financed, and what was left unused (issue 12).

``accounts_check(AccountsFacts)`` returns the accounts' sums and the findings on them:

- the costs must equal their financing — grant used + own financing + other funding
  (``accounts_unbalanced``, blocks): the sums are checked, never trusted;
- no more of the grant can be used than was received (``accounts_grant_overspent``,
  blocks);
- own financing below the share the application promised, 20 % of the costs in
  Jobbsjansen (``accounts_own_financing``), and a cost line far from its budget line
  (``accounts_line_deviation``, beyond ``reporting.accounts_deviation_share``) must be
  explained: they need an assessment, and without an explanation they block
  (``accounts_unexplained``);
- an unused part of the grant is stated (``accounts_unused``, information): the grant must
  as a rule be used and booked in the grant year, and what is not used is paid back.

Amounts are whole kroner as Decimal (never float); a line missing from the budget is 0.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from .findings import Finding, Severity
from .params import Parameters
from .reporting import schedule_parameters
from .sources import JOBBSJANSEN_2026, circular, page

# The cost lines of the application's budget (applications.forms: budget_<line>), in the
# order the form and the report show them.
LINES = ("staff", "measures", "premises", "other")
ZERO = Decimal(0)


@dataclass(frozen=True)
class AccountsFacts:
    on: datetime.date  # the end of the period the accounts cover (selects the parameters)
    budget: dict[str, Decimal]  # the application's budget per line (total project cost)
    actual: dict[str, Decimal]  # what was spent per line
    grant_received: Decimal
    grant_used: Decimal
    own_financing: Decimal
    other_funding: Decimal
    own_financing_promised: Decimal = ZERO  # the application's own financing, all lines
    explanation: str = ""  # the recipient's explanation of the differences


@dataclass(frozen=True)
class LineResult:
    line: str
    budget: Decimal
    actual: Decimal
    difference: Decimal  # actual − budget
    share: Decimal | None  # difference / budget; None when the budget line is 0
    beyond: bool  # further from the budget than the deviation share allows


@dataclass(frozen=True)
class AccountsResult:
    lines: tuple[LineResult, ...]
    budget_total: Decimal
    actual_total: Decimal
    financing_total: Decimal  # grant used + own financing + other funding
    unused: Decimal  # grant received − grant used (negative: more used than received)
    own_share: Decimal | None  # own financing / actual costs
    own_share_required: Decimal
    deviation_share: Decimal
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def blocks(self) -> bool:
        return any(f.severity == Severity.BLOCKS for f in self.findings)


def _amount(value) -> Decimal:
    return ZERO if value in (None, "") else Decimal(value)


def accounts_check(facts: AccountsFacts, *, params: Parameters | None = None
                   ) -> AccountsResult:
    """The accounts' sums, line by line, and what is wrong or must be explained."""
    params = params or schedule_parameters()
    share = params.get("conditions.min_own_financing_share", facts.on)
    deviation = params.get("reporting.accounts_deviation_share", facts.on)
    findings: list[Finding] = []
    results = []
    for line in LINES:
        budget, actual = _amount(facts.budget.get(line)), _amount(facts.actual.get(line))
        difference = actual - budget
        ratio = (difference / budget) if budget else None
        beyond = (abs(ratio) > deviation.value) if ratio is not None else actual > 0
        results.append(LineResult(line, budget, actual, difference, ratio, beyond))
    budget_total = sum((r.budget for r in results), ZERO)
    actual_total = sum((r.actual for r in results), ZERO)
    financing = facts.grant_used + facts.own_financing + facts.other_funding
    unused = facts.grant_received - facts.grant_used
    own_share = (facts.own_financing / actual_total) if actual_total else None
    source = f"{page(JOBBSJANSEN_2026, 'Dere må rapportere')}; {circular('14')}"
    if financing != actual_total:
        findings.append(Finding("accounts_unbalanced", Severity.BLOCKS, source=source, params={
            "costs": actual_total, "financing": financing}))
    if facts.grant_used > facts.grant_received:
        findings.append(Finding("accounts_grant_overspent", Severity.BLOCKS, source=source,
                                params={"used": facts.grant_used,
                                        "received": facts.grant_received}))
    needs_explaining = False
    if actual_total and facts.own_financing < actual_total * share.value:
        needs_explaining = True
        findings.append(Finding(
            "accounts_own_financing", Severity.NEEDS_ASSESSMENT, source=share.source,
            params={"have": own_share, "share": share.value,
                    "need": (actual_total * share.value).quantize(Decimal(1))}))
    for result in results:
        if result.beyond:
            needs_explaining = True
            findings.append(Finding(
                "accounts_line_deviation", Severity.NEEDS_ASSESSMENT, source=deviation.source,
                params={"line": result.line, "budget": result.budget, "actual": result.actual,
                        "limit": deviation.value}))
    if needs_explaining and not facts.explanation.strip():
        findings.append(Finding("accounts_unexplained", Severity.BLOCKS, source=source))
    if unused > 0:
        findings.append(Finding("accounts_unused", Severity.INFORMATION,
                                source=f"{circular('13')}", params={"unused": unused}))
    return AccountsResult(tuple(results), budget_total, actual_total, financing, unused,
                          own_share, share.value, deviation.value, tuple(findings))
