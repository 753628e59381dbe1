"""Forms of the evaluation workflow."""

from __future__ import annotations

from django import forms


class RunForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)


class NoticeForm(forms.Form):
    start = forms.DateField()
    end = forms.DateField()


class ObjectionForm(forms.Form):
    raised_by = forms.CharField(max_length=200)
    region_code = forms.CharField(max_length=12, required=False)
    received_on = forms.DateField(required=False)
    content = forms.CharField(max_length=5000)


class HandleForm(forms.Form):
    decision = forms.ChoiceField(choices=[("upheld", "upheld"), ("dismissed", "dismissed")])
    response = forms.CharField(max_length=5000)


class PublishForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False)
    # the cover of the version's annual report: issue date (印发日期) and document number (文号)
    issue_date = forms.DateField(required=False)
    document_number = forms.CharField(max_length=40, required=False)
