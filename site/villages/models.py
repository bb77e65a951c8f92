"""Villages are the tenants: every record belongs to one, and people act in one
through a membership that carries their roles there."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A township (乡镇) or county (县): the area that supervisors read."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("township")
        COUNTY = "county", _("county")

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village (村) or urban community (社区)."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="villages"
    )
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"], name="villages_village_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("villages:home", kwargs={"village": self.slug})


class Grid(models.Model):
    """A grid (网格): the part of a village that one grid worker looks after."""

    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="grids",
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["village", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"], name="villages_grid_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A household (户), known by its household number (户号) within the village."""

    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="households",
    )
    number = models.CharField(_("household number"), max_length=30)
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "number"], name="villages_household_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident")
    HOUSEHOLD_REP = "household_rep", _("household representative")
    GRID_WORKER = "grid_worker", _("grid worker")
    COMMITTEE = "committee", _("committee member")
    SHOPKEEPER = "shopkeeper", _("shopkeeper")
    MONITOR = "monitor", _("supervision committee member")
    # 村民代表: elected by households (村民委员会组织法 art. 25); votes in the
    # villagers' representatives' meeting.
    VILLAGER_REP = "villager_rep", _("villagers' representative")


class Relation(models.TextChoices):
    """Relation to the head of the household (与户主关系)."""

    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    CHILD_IN_LAW = "child_in_law", _("child-in-law")
    PARENT = "parent", _("parent")
    GRANDCHILD = "grandchild", _("grandchild")
    SIBLING = "sibling", _("sibling")
    OTHER = "other", _("other relative")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)

    def with_role(self, role: str):
        return self.filter(**{ROLE_FIELDS[role]: True})


class Membership(models.Model):
    """A person's place in one village, with the roles they hold there.

    Roles are columns rather than rows: there are seven, they are fixed by the
    product, and as columns the database can hold rules about them (a household
    representative belongs to a household; one representative per household).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relation = models.CharField(
        _("relation to the head"), max_length=20, choices=Relation.choices, blank=True
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True
    )
    is_resident = models.BooleanField(_("resident"), default=True)
    is_household_rep = models.BooleanField(_("household representative"), default=False)
    is_grid_worker = models.BooleanField(_("grid worker"), default=False)
    is_committee = models.BooleanField(_("committee member"), default=False)
    is_shopkeeper = models.BooleanField(_("shopkeeper"), default=False)
    is_monitor = models.BooleanField(_("supervision committee member"), default=False)
    is_villager_rep = models.BooleanField(_("villagers' representative"), default=False)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["village", "household__number", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "village"], name="villages_membership_one_per_village"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_household_rep=True, left_at__isnull=True),
                name="villages_membership_one_rep_per_household",
            ),
            models.CheckConstraint(
                condition=Q(is_household_rep=False) | Q(household__isnull=False),
                name="villages_membership_rep_has_household",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="villages_membership_birth_year_range",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "is_committee"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.village}"

    @property
    def roles(self) -> list[str]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]

    def has_role(self, role: str) -> bool:
        return bool(getattr(self, ROLE_FIELDS[role]))


ROLE_FIELDS: dict[str, str] = {
    Role.RESIDENT: "is_resident",
    Role.HOUSEHOLD_REP: "is_household_rep",
    Role.GRID_WORKER: "is_grid_worker",
    Role.COMMITTEE: "is_committee",
    Role.SHOPKEEPER: "is_shopkeeper",
    Role.MONITOR: "is_monitor",
    Role.VILLAGER_REP: "is_villager_rep",
}


class Supervisor(models.Model):
    """A township or county official who reads every village of an area and changes none."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="supervisions",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="supervisors",
    )

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "area"], name="villages_supervisor_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ⊇ {self.area}"
