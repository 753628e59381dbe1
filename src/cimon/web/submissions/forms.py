"""Forms of the submission portal: labels in the active language, sizes checked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from cimon.web.i18n import tr
from cimon.web.uploads import sent_name

ALLOWED = (".xlsx", ".xlsm", ".csv")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


def _limit(f: UploadedFile, field: str) -> None:
    mb = settings.CIMON_MAX_UPLOAD_MB
    if f.size is not None and f.size > mb * 1024 * 1024:
        raise forms.ValidationError(
            tr(
                f"{field}“{sent_name(f)}”超过 {mb} MB，请压缩或拆分后再上传。",
                f"{field} '{sent_name(f)}' is larger than {mb} MB; compress or split it and upload again.",
            )
        )


class UploadForm(forms.Form):
    file = forms.FileField()
    evidence = MultipleFileField(required=False)
    accept_warnings = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = tr(
            "报送文件（.xlsx 或 .csv）", "Submission file (.xlsx or .csv)"
        )
        self.fields["evidence"].label = tr(
            "佐证材料（自评表中列出的文件，可多选）",
            "Evidence files (as listed in the self-assessment; several allowed)",
        )
        self.fields["accept_warnings"].label = tr(
            "已核实警告，仍然提交", "I have checked the warnings; submit anyway"
        )
        self.fields["reason"].label = tr("确认理由", "Reason")

    def clean_file(self) -> UploadedFile:
        f: UploadedFile = self.cleaned_data["file"]
        name = (f.name or "").lower()
        if not name.endswith(ALLOWED):
            raise forms.ValidationError(
                tr(
                    f"文件“{sent_name(f)}”不是 .xlsx 或 .csv：请上传下载的模板（.xlsx）或 CSV 文件。",
                    f"'{sent_name(f)}' is not .xlsx or .csv: upload the downloaded template (.xlsx) "
                    "or a CSV file.",
                )
            )
        _limit(f, tr("报送文件", "File"))
        return f

    def clean_evidence(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("evidence") or []
        for f in files:
            _limit(f, tr("佐证材料", "Evidence file"))
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("accept_warnings") and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                tr(
                    "勾选“仍然提交”时请填写理由，例如“已与统计年鉴核对”。",
                    "Give a reason when submitting despite warnings, e.g. 'checked against "
                    "the yearbook'.",
                ),
            )
        return data


class AcknowledgeForm(forms.Form):
    reason = forms.CharField(max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = tr("确认理由", "Reason")
        self.fields["reason"].error_messages["required"] = tr(
            "请填写确认警告的理由，例如“数值已与统计年鉴核对无误”。",
            "Give the reason for acknowledging the warnings, e.g. 'checked against the yearbook'.",
        )


class DeadlineForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    department = forms.CharField(max_length=32)
    due = forms.DateField()
    note = forms.CharField(required=False, max_length=200)
