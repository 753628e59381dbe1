"""Forms of the evaluation workflow. The rules themselves (notice period, objections) are
checked by :mod:`.services`; the forms only parse, and offer the choices the rules allow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from cimon.model.regions import RegionRegistry


def _both(zh: str, en: str) -> str:
    return f"{zh} / {en}"


class RunForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)


class NoticeForm(forms.Form):
    start = forms.DateField()
    end = forms.DateField()
    # an exception to the notice rules (a notice held offline earlier …) and why
    override = forms.BooleanField(required=False)
    override_reason = forms.CharField(max_length=2000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("override") and not str(data.get("override_reason") or "").strip():
            self.add_error(
                "override_reason",
                _both(
                    "例外理由：勾选例外时必须填写。",
                    "Exception reason: required with the exception.",
                ),
            )
        if not data.get("override"):
            data["override_reason"] = ""
        return data


def county_choices(registry: RegionRegistry) -> list[tuple[str, str]]:
    """The province's counties as (code, "name（city）") for a pick list."""
    return [(c, f"{registry[c].name}（{registry[c].city}）") for c in registry.codes]


class ObjectionForm(forms.Form):
    raised_by = forms.CharField(max_length=200)
    region_code = forms.ChoiceField(required=False)
    received_on = forms.DateField(required=False)
    content = forms.CharField(max_length=5000)

    def __init__(self, *args: Any, registry: RegionRegistry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = [("", "—"), *county_choices(registry)]

    def clean_received_on(self) -> Any:
        day = self.cleaned_data.get("received_on")
        today = timezone.localdate()
        if day is not None and day > today:
            raise forms.ValidationError(
                _both(
                    f"收到日期：不能晚于今天（{today}）。",
                    f"Received on: cannot be after today ({today}).",
                )
            )
        return day


class HandleForm(forms.Form):
    decision = forms.ChoiceField(choices=[("upheld", "upheld"), ("dismissed", "dismissed")])
    response = forms.CharField(max_length=5000)


class PublishForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False)
    confirmed = forms.BooleanField(required=False)  # set by the confirmation page
