"""The data-collection part of ``cimon demo``: the embedded SQLite database at work.

:func:`database_step` is a demo step (see :mod:`cimon.reports.demo`): it writes a blank template for
every supplying department and one county self-assessment template for the latest evaluation year,
imports the demo panel into the database (as a clerk would with ``cimon import``), evaluates the
latest year from the database and checks every stage equals the evaluation from the file bit for
bit (the data hashes differ: a stored value's ``source`` names its submission).
"""

from __future__ import annotations

from cimon.model.regions import COUNTY_DEPARTMENT, default_registry
from cimon.reports.demo import DemoReport, Section
from cimon.reports.text import SYNTHETIC_LABEL
from cimon.safe import safe_filename


def database_step(report: DemoReport) -> None:
    """Section and files: templates, the import into the database, evaluation from it."""
    from cimon.engine.pipeline import evaluate
    from cimon.intake.template import write_template
    from cimon.store.setup import database_label, ensure_django

    ensure_django()
    from cimon.store.submissions.queries import panel_as_of
    from cimon.store.submissions.services import import_file

    fw, registry = report.framework, default_registry()
    year = max(report.runs)
    folder = report.out_dir / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    for dept in fw.departments:
        if dept == COUNTY_DEPARTMENT:
            first = registry[registry.codes[0]]
            path = write_template(
                fw,
                registry,
                year,
                folder / safe_filename(f"{year}-{first.name}-自评.xlsx"),
                kind="county",
                region=first.code,
            )
        else:
            path = write_template(
                fw, registry, year, folder / safe_filename(f"{year}-{dept}.xlsx"), department=dept
            )
        report.files.append(path)

    panel_csv = report.out_dir / "demo-panel.csv"
    if not panel_csv.exists():
        report.panel.frame.to_csv(panel_csv, index=False, encoding="utf-8")
    result = import_file(
        panel_csv, framework=fw, registry=registry, user="demo", accept_warnings=True
    )
    if result.blocked:  # a panel of the caller's that breaks the framework's rules
        report.sections.append(
            Section(
                f"数据报送与数据库（{SYNTHETIC_LABEL}）",
                f"Data collection and the database ({SYNTHETIC_LABEL})",
                "\n".join(
                    [
                        result.report.render(report.lang if report.lang == "en" else "zh", limit=5),
                        result.render(report.lang),
                    ]
                ),
            )
        )
        return
    from cimon.store.evidence.demo import load_demo_evidence
    from cimon.store.evidence.models import Item

    # structured 创新管理 evidence of the year's data (issue #16), once per database
    ev_year = year - fw.data_lag
    if not Item.objects.filter(year=ev_year).exists():
        load_demo_evidence(ev_year, registry)
    n_items = Item.objects.filter(year=ev_year, superseded_at=None).count()
    db_run = evaluate(fw, panel_as_of(framework=fw), year, registry)
    from cimon.store.registry.demo import demo_registry_note, load_demo_registry

    load_demo_registry(registry.codes, report.panel.years)
    from cimon.store.libraries.demo import load_demo_libraries

    load_demo_libraries(registry.codes, year - fw.data_lag)  # needs, achievements, a contract
    from cimon.store.libraries.call_demo import load_demo_calls

    load_demo_calls(registry.codes, year - fw.data_lag)  # a 揭榜挂帅 call, a 成果征集 catalogue
    from django.utils import timezone

    from cimon.store.programmes.demo import load_demo_programmes

    load_demo_programmes(registry.codes, timezone.localdate())  # programmes (#19)
    from cimon.store.national.demo import load_demo as load_demo_national

    load_demo_national()  # simulated provinces' published results (#20)
    from cimon.store.commissioners.demo import demo_note, load_demo_commissioners

    load_demo_commissioners(registry.codes)  # 科技特派员 (#17)
    file_run = report.runs[year]
    # every stage and the log identical; the data hashes differ only because each value's
    # ``source`` now names the submission it came from
    same = db_run.log == file_run.log and all(
        db_run.data[k].equals(file_run.data[k]) for k in file_run.data
    )
    en = report.lang == "en"
    if en:
        lines = [
            f"Database: {database_label()}",
            f"Import of demo-panel.csv: {result.render('en')} "
            f"({result.report.warning_count} warning(s) acknowledged)",
            f"Evaluation {year} from the database "
            + (
                "equals the evaluation from the file at every stage (the data hash differs: "
                "it records which submission each value came from)."
                if same
                else "DIFFERS from the evaluation from the file."
            ),
            f"Blank templates for {year}: {folder}",
            f"创新管理 evidence items of {ev_year} (synthetic) in the database: {n_items}",
            demo_registry_note(year - fw.data_lag, "en"),
            demo_note("en"),
        ]
    else:
        lines = [
            f"数据库：{database_label()}",
            f"导入 demo-panel.csv：{result.render('zh')}（已确认警告 {result.report.warning_count} 处）",
            f"{year} 年度从数据库评价的结果"
            + (
                "与从文件评价的结果在每个环节都一致（数据哈希不同：它记录了每个数值来自哪次提交）。"
                if same
                else "与从文件评价的结果不一致！"
            ),
            f"{year} 年度空白报送模板：{folder}",
            f"数据库中的 {ev_year} 年创新管理结构化材料（模拟数据）：{n_items} 项",
            demo_registry_note(year - fw.data_lag, "zh"),
            demo_note("zh"),
        ]
    report.sections.append(
        Section(
            f"数据报送与数据库（{SYNTHETIC_LABEL}）",
            f"Data collection and the database ({SYNTHETIC_LABEL})",
            "\n".join(lines),
        )
    )
