"""Reads: eligibility, turnout and quorum, tallies, and the pages' data."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation import ballot_box
from deliberation.models import (
    Ballot,
    Comment,
    CoSignature,
    DeliberationSettings,
    Electorate,
    Participation,
    Phase,
    QuorumRule,
    Topic,
    Vote,
    VoteKind,
)
from villages.access import membership_for
from villages.models import Household, Membership, Village

ADULT_AGE = 18


def settings_for(village: Village) -> DeliberationSettings:
    found = DeliberationSettings.objects.filter(village=village).first()
    return found or DeliberationSettings(village=village)


def adult_cutoff_year_on(moment) -> int:
    """The latest year of birth of an adult at ``moment``. Only the year of birth
    is known: whoever turns 18 in that (China-time) year counts as an adult."""
    return timezone.localtime(moment).year - ADULT_AGE


def adult_cutoff_year(vote: Vote) -> int:
    return adult_cutoff_year_on(vote.opens_at)


def eligible_memberships(vote: Vote) -> QuerySet[Membership]:
    members = Membership.objects.active().filter(
        village_id=vote.village_id, verified_at__isnull=False
    )
    if vote.electorate == Electorate.HOUSEHOLDS:
        return members.filter(is_household_rep=True, household__isnull=False)
    if vote.electorate == Electorate.REPRESENTATIVES:
        return members.filter(is_villager_rep=True)
    return members.filter(is_resident=True, birth_year__lte=adult_cutoff_year(vote))


def is_eligible_membership(membership: Membership | None, vote: Vote) -> bool:
    if membership is None or membership.left_at or not membership.verified_at:
        return False
    if membership.village_id != vote.village_id:
        return False
    if vote.electorate == Electorate.HOUSEHOLDS:
        return membership.is_household_rep and membership.household_id is not None
    if vote.electorate == Electorate.REPRESENTATIVES:
        return membership.is_villager_rep
    return (
        membership.is_resident
        and membership.birth_year is not None
        and membership.birth_year <= adult_cutoff_year(vote)
    )


def is_eligible(*, user, vote: Vote) -> bool:
    return is_eligible_membership(membership_for(user, vote.village), vote)


def has_participated(*, user, vote: Vote) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Participation.objects.filter(vote=vote, voter=user).exists()


@dataclass
class OptionResult:
    option: object
    count: int
    percent: float


@dataclass
class Outcome:
    """Turnout against the rule, and the result when it may be shown."""

    rule: str
    electorate: int
    participants: int
    households_total: int
    # 户的代表: households whose representative took part (only those count).
    households_participating: int
    paper: int
    required: int
    valid: bool
    # The households a villagers' meeting of residents could also be valid by.
    households_required: int = 0
    # Ballots in the tally: while a secret vote is open, those already in the box.
    counted: int = 0
    visible: bool = False
    # A secret vote's counts are kept back below ``min_ballots`` ballots.
    withheld: bool = False
    min_ballots: int = 0
    passed: bool | None = None
    winner: object = None
    options: list[OptionResult] = field(default_factory=list)

    @property
    def turnout_percent(self) -> float:
        return 100 * self.participants / self.electorate if self.electorate else 0.0

    @property
    def has_quorum(self) -> bool:
        """A consultation has no legal quorum: it is never "valid", only held."""
        return self.rule != QuorumRule.CONSULTATION

    @property
    def waiting(self) -> int:
        """Ballots cast but not yet in the box (and so not in a live tally)."""
        return max(0, self.participants - self.counted)

    @property
    def cast(self) -> int:
        return self.counted


def secret_min_ballots(vote: Vote) -> int:
    """The village's threshold; read through the vote's village when the caller
    loaded it with ``village__deliberation_settings`` (saves a query)."""
    village = vote.village
    if Village.deliberation_settings.is_cached(village):
        try:
            return village.deliberation_settings.secret_min_ballots
        except DeliberationSettings.DoesNotExist:
            return DeliberationSettings().secret_min_ballots
    return settings_for(village).secret_min_ballots


def _quorum(vote: Vote, *, electorate, participants, households, households_total):
    """Is the vote valid under its rule? (required, households_required, valid)

    村民委员会组织法 第二十二条: 召开村民会议，应当有本村十八周岁以上村民的过半数，
    或者本村三分之二以上的户的代表参加，村民会议所作决定应当经到会人员的过半数通过。
    "过半数" is more than half; "以上" includes the number itself (民法典 第一千二百五十九条),
    so 151 of 300 adults or 100 of 150 households, not 150 or 99. The household
    clause counts households through their representatives only: residents of
    many households are not their households' representatives.
    村民代表会议 (第二十六条) needs two thirds of its members.
    """
    if vote.rule == QuorumRule.VILLAGERS:
        households_required = math.ceil(2 * households_total / 3)
        by_households = households_total > 0 and households >= households_required
        if vote.electorate == Electorate.HOUSEHOLDS:
            return households_required, households_required, by_households
        required = electorate // 2 + 1
        return (
            required,
            households_required,
            participants >= required or (by_households),
        )
    if vote.rule == QuorumRule.REPRESENTATIVES:
        required = math.ceil(2 * electorate / 3)
        return required, 0, participants > 0 and participants >= required
    return 0, 0, False  # a consultation: no quorum, never "valid"


def vote_outcome(vote: Vote, *, now=None) -> Outcome:
    """Three queries (electorate, participation, tally), a fourth for the village's
    threshold unless the caller loaded it, and one more for the waiting ballots of
    a closed vote not yet finalised."""
    now = now or timezone.now()
    households_total = Household.objects.filter(village_id=vote.village_id).count()
    if vote.electorate_size is not None:
        electorate = vote.electorate_size
    elif vote.electorate == Electorate.HOUSEHOLDS:
        electorate = households_total
    else:
        electorate = eligible_memberships(vote).count()
    taking_part = Participation.objects.filter(vote=vote).aggregate(
        n=Count("id"),
        households=Count("household", distinct=True, filter=Q(household_rep=True)),
        paper=Count("id", filter=Q(is_paper=True)),
    )
    participants = taking_part["n"]
    households = taking_part["households"]
    required, households_required, valid = _quorum(
        vote,
        electorate=electorate,
        participants=participants,
        households=households,
        households_total=households_total,
    )
    outcome = Outcome(
        rule=vote.rule,
        electorate=electorate,
        participants=participants,
        households_total=households_total,
        households_participating=households,
        households_required=households_required,
        paper=taking_part["paper"],
        required=required,
        valid=valid,
        visible=vote.results_visible(now),
    )
    if not outcome.visible:
        return outcome
    options = list(vote.options.all())
    if vote.is_secret and vote.is_closed(now) and vote.finalized_at is None:
        # Closed, the last ballots still waiting: count them all, in memory.
        ballots = ballot_box.all_ballots(vote)
        counted = len(ballots)
        counts = {o.pk: 0 for o in options}
        for chosen in ballots.values():
            for pk in chosen:
                counts[pk] = counts.get(pk, 0) + 1
    else:
        # One query: the ballots in the box, and each option's count.
        tally = Ballot.objects.filter(vote=vote).aggregate(
            ballots=Count("id", distinct=True),
            **{
                f"o{o.pk}": Count("choices", filter=Q(choices__option_id=o.pk))
                for o in options
            },
        )
        counted = tally["ballots"]
        counts = {o.pk: tally[f"o{o.pk}"] for o in options}
    outcome.counted = counted
    if vote.is_secret:
        outcome.min_ballots = secret_min_ballots(vote)
        if counted < outcome.min_ballots:
            # Too few to publish without showing how people voted: no counts,
            # no winner, no "passed" (one ballot's "passed" is its choice).
            outcome.withheld = True
            return outcome
    for option in options:
        n = counts.get(option.pk, 0)
        outcome.options.append(
            OptionResult(option, n, 100 * n / counted if counted else 0.0)
        )
    # 所作决定应当经到会人员的过半数通过: more than half of the ballots cast.
    carried = valid or vote.rule == QuorumRule.CONSULTATION
    if vote.kind == VoteKind.YES_NO:
        yes = next((r.count for r in outcome.options if r.option.code == "yes"), 0)
        outcome.passed = carried and counted > 0 and yes * 2 > counted
    else:
        top = max(outcome.options, key=lambda r: r.count, default=None)
        if top is not None and top.count * 2 > counted:
            outcome.winner = top.option
        outcome.passed = carried and outcome.winner is not None
    return outcome


def ballot_count(vote: Vote) -> int:
    return Ballot.objects.filter(vote=vote).count()


def topics_for_village(*, village: Village, phase: str | None = None):
    topics = (
        Topic.objects.filter(village=village)
        .annotate(
            comment_count=Count("comments", distinct=True),
            cosign_count=valid_cosign_count_expression(),
        )
        .order_by("-created_at")
    )
    if phase:
        topics = topics.filter(phase=phase)
    return topics


def phase_counts(*, village: Village) -> dict[str, int]:
    rows = (
        Topic.objects.filter(village=village)
        .values_list("phase")
        .annotate(n=Count("id"))
        .values_list("phase", "n")
    )
    counts = dict.fromkeys(Phase.values, 0)
    counts.update(dict(rows))
    return counts


def comment_threads(topic: Topic) -> list[Comment]:
    """Top-level comments with their replies and earlier versions: four queries."""
    comments = Comment.objects.select_related("author").prefetch_related("revisions")
    return list(
        comments.filter(topic=topic, parent__isnull=True).prefetch_related(
            Prefetch("replies", queryset=comments)
        )
    )


def topic_for_page(*, village: Village, pk: int) -> Topic:
    """The topic with everything its page shows but the comments (cached apart)."""
    return (
        Topic.objects.filter(village=village)
        .select_related("village", "created_by")
        .annotate(
            cosign_count=valid_cosign_count_expression(),
            cosign_total=Count("cosignatures", distinct=True),
            rating_average=Avg("ratings__stars"),
            rating_count=Count("ratings", distinct=True),
        )
        .prefetch_related(
            "phase_dates",
            "attachments",
            Prefetch(
                "votes",
                queryset=Vote.objects.select_related("village__deliberation_settings")
                .prefetch_related("options")
                .order_by("opens_at"),
            ),
            "meetings",
            "progress",
            Prefetch("ratings", queryset=_ratings()),
        )
        .get(pk=pk)
    )


def _ratings():
    from deliberation.models import Rating

    return Rating.objects.select_related("user").order_by("-created_at")


# -- Residents' proposals: who takes part, which signatures count, the clock --


def participation_refusal(
    *, user, village: Village, now=None
) -> ValidationError | None:
    """Why ``user`` may not propose a topic or co-sign one in ``village``, or None.

    The law's rule for taking part in the village's self-government (村民委员会
    组织法 第十三条, the same rule as the electorate of a residents' vote): a
    villager of 18 or over, here a resident of the village the committee has
    verified. Rules, services and pages all ask here, so they cannot disagree.
    """
    membership = membership_for(user, village)
    if membership is None or not membership.is_resident:
        return ValidationError(
            _("Only verified residents of this village can do this."),
            code="not_resident",
        )
    if membership.verified_at is None:
        return ValidationError(
            _(
                "The committee has not yet verified that you live in this village. "
                "Once it has, you can propose and co-sign."
            ),
            code="not_verified",
        )
    if membership.birth_year is None:
        return ValidationError(
            _(
                "Your year of birth is not on the village roster. Ask the committee "
                "to add it; then you can propose and co-sign."
            ),
            code="no_birth_year",
        )
    if membership.birth_year > adult_cutoff_year_on(now or timezone.now()):
        return ValidationError(
            _(
                "Only villagers aged 18 or over can propose or co-sign. You were "
                "born in %(born)s, so you can from the year %(adult)s on."
            )
            % {
                "born": membership.birth_year,
                "adult": membership.birth_year + ADULT_AGE,
            },
            code="minor",
        )
    return None


def valid_cosignatures() -> QuerySet[CoSignature]:
    """Co-signatures that still count: the signer is still a verified resident of
    the topic's village, and was an adult in the year they signed.

    A signature is kept when it lapses (the record of who signed stays), but it no
    longer counts: someone who left the village, or whose verification the
    committee withdrew, is not among those who may ask the village for anything.
    """
    return CoSignature.objects.annotate(signed_year=ExtractYear("created_at")).filter(
        Exists(
            Membership.objects.filter(
                user_id=OuterRef("user_id"),
                village_id=OuterRef("topic__village_id"),
                left_at__isnull=True,
                verified_at__isnull=False,
                is_resident=True,
                birth_year__lte=OuterRef("signed_year") - ADULT_AGE,
            )
        )
    )


def valid_cosign_count(topic: Topic) -> int:
    return valid_cosignatures().filter(topic=topic).count()


def valid_cosign_count_expression() -> Coalesce:
    """The count of valid co-signatures as an annotation on a Topic query."""
    counted = (
        valid_cosignatures()
        .filter(topic_id=OuterRef("pk"))
        .order_by()
        .values("topic_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _awaiting_answer(topic: Topic) -> bool:
    return (
        topic.phase == Phase.PROPOSED
        and topic.answer_due is not None
        and topic.answered_at is None
    )


def answer_countdown(topic: Topic, *, now=None) -> int | None:
    """Whole days left for the committee to answer a co-signed proposal (a part
    of a day counts as a day, so never 0); None once the time is up."""
    if not _awaiting_answer(topic):
        return None
    seconds = (topic.answer_due - (now or timezone.now())).total_seconds()
    if seconds <= 0:
        return None
    return math.ceil(seconds / 86400)


def answer_overdue_days(topic: Topic, *, now=None) -> int | None:
    """Calendar days (China time) since the answer fell due: 0 on the due day
    itself once its hour has passed, 1 the day after; None if not overdue.

    Days on the calendar, because that is how a villager counts 逾期 N 天 from
    the date on the notice board."""
    now = now or timezone.now()
    if not _awaiting_answer(topic) or now < topic.answer_due:
        return None
    return (timezone.localdate(now) - timezone.localdate(topic.answer_due)).days


def overdue_proposals_q(now) -> Q:
    """Proposals past the committee's time to answer, and not answered."""
    return Q(
        phase=Phase.PROPOSED,
        answer_due__isnull=False,
        answer_due__lte=now,
        answered_at__isnull=True,
    )


OVERDUE_LIST_MAX = 200


def overdue_proposals_for_areas(*, area_ids, now=None) -> list[Topic]:
    """The township's list: every overdue proposal in its villages, the longest
    overdue first, each with ``days_overdue``. One query."""
    now = now or timezone.now()
    topics = list(
        Topic.objects.filter(overdue_proposals_q(now), village__area_id__in=area_ids)
        .select_related("village")
        .order_by("answer_due", "pk")[:OVERDUE_LIST_MAX]
    )
    for topic in topics:
        topic.days_overdue = answer_overdue_days(topic, now=now)
    return topics
