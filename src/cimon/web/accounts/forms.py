"""The user form of the management page: role and what the role needs (a department, a county,
a city bureau's 设区市, an expert's counties, a unit account's 派出单位, the 科技特派员 a
commissioner account is linked to). Every error names its field, in both languages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.db.models import OuterRef, Q, Subquery

from cimon.model.framework import Framework
from cimon.model.regions import COUNTY_DEPARTMENT, RegionRegistry
from cimon.store.accounts.models import (
    CITY,
    COMMISSIONER,
    COUNTY,
    DEPARTMENT,
    EXPERT,
    ROLE_NAMES,
    ROLES,
    UNIT,
)
from cimon.vocab import both


class UserForm(forms.Form):
    """Create a user (``creating=True``: a user name is asked) or change one's role and scope."""

    username = forms.CharField(
        label=both("用户名", "User name"),
        max_length=150,
        required=False,
    )
    display_name = forms.CharField(label=both("姓名", "Name"), max_length=100, required=False)
    role = forms.ChoiceField(label=both("角色", "Role"))
    department = forms.ChoiceField(label=both("报送部门", "Department"), required=False)
    region = forms.ChoiceField(label=both("县（市、区）", "County"), required=False)
    city = forms.ChoiceField(label=both("设区市", "City"), required=False)
    unit = forms.ChoiceField(
        label=both("派出单位", "Dispatching unit"),
        required=False,
        error_messages={
            "invalid_choice": both(
                "派出单位：“%(value)s”不是已登记的派出单位，请从列表中选择。",
                "Dispatching unit: '%(value)s' is not a registered unit; choose one from the list.",
            )
        },
    )
    commissioner = forms.TypedChoiceField(
        label=both("关联的科技特派员", "Linked commissioner"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": both(
                "关联的科技特派员：#%(value)s 不存在或已关联其他账号，请从列表中选择。",
                "Linked commissioner: #%(value)s does not exist or has an account already; "
                "choose one from the list.",
            )
        },
    )
    assign = forms.MultipleChoiceField(
        label=both("专家评分的县", "Counties the expert scores"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        framework: Framework,
        registry: RegionRegistry,
        creating: bool,
        linked: int | None = None,
        provinces: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.linked = linked  # the commissioner the edited account is linked to already
        self.fields["role"].choices = [(r, both(*ROLE_NAMES[r])) for r in ROLES]
        self.fields["department"].choices = [("", "—")] + [
            (d, d) for d in framework.departments if d != COUNTY_DEPARTMENT
        ]
        counties = [(c, f"{registry[c].name}（{registry[c].city}）") for c in registry.codes]
        self.fields["region"].choices = [("", "—"), *counties]
        self.fields["assign"].choices = counties
        cities = list(dict.fromkeys(registry.cities().values()))
        self.fields["city"].choices = [("", "—"), *((c, c) for c in cities)]
        units = apps.get_model("commissioners", "DispatchUnit").objects.order_by("name")
        self.fields["unit"].choices = [
            ("", "—"),
            *((u, u) for u in units.values_list("name", flat=True)),
        ]
        self.fields["commissioner"].choices = [("", "—"), *commissioner_choices(linked)]
        if not creating:
            del self.fields["username"]
        if provinces is not None:  # an instance hosting several provinces (#20)
            self.fields["province"] = forms.ChoiceField(
                label=both("所属省份", "Province"),
                choices=[("", "—"), *provinces],
                error_messages={
                    "required": both("所属省份：请选择。", "Province: required."),
                    "invalid_choice": both(
                        "所属省份：“%(value)s”不是您可以设置的省份。",
                        "Province: '%(value)s' is not a province you may choose.",
                    ),
                },
            )

    def clean_username(self) -> str:
        name = str(self.cleaned_data.get("username") or "").strip()
        if self.creating and not name:
            raise forms.ValidationError(both("用户名：请填写。", "User name: required."))
        if len(name) > 0 and not all(ch.isalnum() or ch in "._-@+" for ch in name):
            raise forms.ValidationError(
                both(
                    "用户名：只能含字母、数字和 . _ - @ +。",
                    "User name: letters, digits and . _ - @ + only.",
                )
            )
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role == DEPARTMENT and not data.get("department"):
            self.add_error(
                "department",
                both(
                    "报送部门：部门填报员必须选择。", "Department: required for a department clerk."
                ),
            )
        if role != DEPARTMENT and data.get("department"):
            self.add_error(
                "department",
                both("报送部门：只有部门填报员需要。", "Department: only for department clerks."),
            )
        if role == COUNTY and not data.get("region"):
            self.add_error(
                "region",
                both("县（市、区）：县级填报员必须选择。", "County: required for a county clerk."),
            )
        if role != COUNTY and data.get("region"):
            self.add_error(
                "region",
                both("县（市、区）：只有县级填报员需要。", "County: only for county clerks."),
            )
        if role == CITY and not data.get("city"):
            self.add_error(
                "city", both("设区市：设区市科技局必须选择。", "City: required for a city bureau.")
            )
        if role != CITY and data.get("city"):
            self.add_error(
                "city", both("设区市：只有设区市科技局需要。", "City: only for city bureaus.")
            )
        if "unit" in self.errors or "commissioner" in self.errors:
            return data  # the choice itself is wrong: that error says what to do
        if role == UNIT and not data.get("unit"):
            self.add_error(
                "unit",
                both(
                    "派出单位：派出单位账号必须选择（没有可选项时，先在科技特派员页面登记派出单位）。",
                    "Dispatching unit: required for a unit account (if the list is empty, "
                    "register the unit on the commissioners' pages first).",
                ),
            )
        if role != UNIT and data.get("unit"):
            self.add_error(
                "unit",
                both(
                    "派出单位：只有派出单位账号需要。", "Dispatching unit: only for unit accounts."
                ),
            )
        person = data.get("commissioner")
        if role == COMMISSIONER and person is None and self.linked is None:
            self.add_error(
                "commissioner",
                both(
                    "关联的科技特派员：科技特派员账号必须选择本人的特派员记录（列表只含尚未关联账号的"
                    "特派员）。",
                    "Linked commissioner: a commissioner account must choose its own record "
                    "(the list holds the commissioners without an account).",
                ),
            )
        if role != COMMISSIONER and person is not None and person != self.linked:
            self.add_error(
                "commissioner",
                both(
                    "关联的科技特派员：只有科技特派员账号需要。",
                    "Linked commissioner: only for commissioner accounts.",
                ),
            )
        if self.linked is not None and person is not None and person != self.linked:
            self.add_error(
                "commissioner",
                both(
                    "关联的科技特派员：账号已关联一位特派员，关联不能改到另一位。",
                    "Linked commissioner: this account is linked to a commissioner already; "
                    "the link cannot be moved to another.",
                ),
            )
        if role != EXPERT and data.get("assign"):
            self.add_error(
                "assign",
                both(
                    "专家评分的县：只有专家需要。", "Counties the expert scores: only for experts."
                ),
            )
        return data


#: commissioners offered in the form at most (the newest; a province has a few thousand)
MAX_CHOICES = 5000


def commissioner_choices(linked: int | None) -> list[tuple[int, str]]:
    """The commissioners an account can be linked to: those without an account (and the one
    ``linked`` already), as "#id 姓名（工作单位）" from the latest profile."""
    person = apps.get_model("commissioners", "Commissioner")
    version = apps.get_model("commissioners", "CommissionerVersion")
    latest = version.objects.filter(commissioner=OuterRef("pk")).order_by("-number")
    free = Q(user__isnull=True) | Q(pk=linked or 0)
    newest = person.objects.filter(free).order_by("-id")[:MAX_CHOICES]
    named = person.objects.filter(pk__in=list(newest.values_list("pk", flat=True))).annotate(
        shown=Subquery(latest.values("name")[:1]),
        where=Subquery(latest.values("institution")[:1]),
    )
    out = []
    for p in named.order_by("id"):
        where = f"（{p.where}）" if p.where else ""
        out.append((p.pk, f"#{p.pk} {p.shown}{where}"))
    return out
