"""The user form of the management page: role and what the role needs (a department, a county,
a city bureau's 设区市, an expert's counties). Every error names its field, in both languages."""

from __future__ import annotations

from typing import Any

from django import forms

from cimon.model.framework import Framework
from cimon.model.regions import COUNTY_DEPARTMENT, RegionRegistry
from cimon.store.accounts.models import CITY, COUNTY, DEPARTMENT, EXPERT, ROLE_NAMES, ROLES
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
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["role"].choices = [(r, both(*ROLE_NAMES[r])) for r in ROLES]
        self.fields["department"].choices = [("", "—")] + [
            (d, d) for d in framework.departments if d != COUNTY_DEPARTMENT
        ]
        counties = [(c, f"{registry[c].name}（{registry[c].city}）") for c in registry.codes]
        self.fields["region"].choices = [("", "—"), *counties]
        self.fields["assign"].choices = counties
        cities = list(dict.fromkeys(registry.cities().values()))
        self.fields["city"].choices = [("", "—"), *((c, c) for c in cities)]
        if not creating:
            del self.fields["username"]

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
        if role != EXPERT and data.get("assign"):
            self.add_error(
                "assign",
                both(
                    "专家评分的县：只有专家需要。", "Counties the expert scores: only for experts."
                ),
            )
        return data
