"""The risk formula, documented here and on the assessment page.

    risk = sum(likelihood × impact over the threats)
           × mean(vulnerability weights)
           ÷ mean(capacity weights)

Likelihood, impact and weights go from 1 to 5. With no vulnerability or no
capacity recorded, its mean counts as 1 (neutral). The score is banded:

    score < 15        low (bajo)
    15 ≤ score < 40   medium (medio)
    40 ≤ score < 80   high (alto)
    score ≥ 80        critical (crítico)

Example: one threat of likelihood 4 and impact 5 (20), vulnerabilities 4 and 2
(mean 3), capacities 2 (mean 2): 20 × 3 ÷ 2 = 30, medium.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from accompaniment.models import RiskLevel

# Lower bound of each band, highest first.
RISK_BANDS = (
    (Decimal(80), RiskLevel.CRITICAL),
    (Decimal(40), RiskLevel.HIGH),
    (Decimal(15), RiskLevel.MEDIUM),
    (Decimal(0), RiskLevel.LOW),
)


@dataclass(frozen=True)
class RiskResult:
    threat_total: int
    threat_count: int
    vulnerability_mean: Decimal
    capacity_mean: Decimal
    score: Decimal
    level: str


def _mean(values: list[int]) -> Decimal:
    if not values:
        return Decimal(1)
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def risk_level_for(score: Decimal) -> str:
    for bound, level in RISK_BANDS:
        if score >= bound:
            return level
    return RiskLevel.LOW


def compute_risk(
    *, threats: list[tuple[int, int]], vulnerabilities: list[int], capacities: list[int]
) -> RiskResult:
    """`threats` as (likelihood, impact) pairs; the other two as weights."""
    total = sum(likelihood * impact for likelihood, impact in threats)
    vulnerability_mean = _mean(vulnerabilities)
    capacity_mean = _mean(capacities)
    score = (Decimal(total) * vulnerability_mean / capacity_mean).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    return RiskResult(
        threat_total=total,
        threat_count=len(threats),
        vulnerability_mean=vulnerability_mean,
        capacity_mean=capacity_mean,
        score=score,
        level=risk_level_for(score),
    )
