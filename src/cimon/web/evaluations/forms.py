"""Forms of the evaluation workflow. The rules themselves (notice period, objections) are
checked once, by :mod:`.services`; the forms only parse (the page lists the province's counties
to pick from)."""

from __future__ import annotations

from typing import Any

from django import forms


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
        if not data.get("override"):  # a reason counts only with the exception ticked
            data["override_reason"] = ""
        return data


class ObjectionForm(forms.Form):
    raised_by = forms.CharField(max_length=200)
    # picked from the registry's counties on the page; the service refuses any other value
    region_code = forms.CharField(max_length=12, required=False)
    received_on = forms.DateField(required=False)
    content = forms.CharField(max_length=5000)


class HandleForm(forms.Form):
    decision = forms.ChoiceField(choices=[("upheld", "upheld"), ("dismissed", "dismissed")])
    response = forms.CharField(max_length=5000)


class PublishForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False)
    confirmed = forms.BooleanField(required=False)  # set by the confirmation page
    # the cover of the version's annual report: issue date (印发日期) and document number (文号)
    issue_date = forms.DateField(required=False)
    document_number = forms.CharField(max_length=40, required=False)
