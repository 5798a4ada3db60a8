"""Agreement reports: Markdown, JSON, Excel and a self-contained HTML page with α bars."""

from __future__ import annotations

import dataclasses
import io
import json
from html import escape
from typing import Any

from qualcode.domain.agreement.report import AgreementReport, CodeAgreement
from qualcode.export.agreement_words import methods, said, unit_name


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def rows(report: AgreementReport) -> list[dict[str, Any]]:
    """One flat row per code: the figures a table or chart shows."""
    out = []
    for code in report.per_code:
        out.append(
            {
                "code": code.code,
                "name": code.name,
                "codings": code.codings,
                "percent_agreement": code.characters.percent_agreement if code.characters else None,
                "kappa_chars": code.characters.kappa if code.characters else None,
                "alpha": code.alpha.value if code.alpha else None,
                "alpha_low": code.alpha_interval.low if code.alpha_interval else None,
                "alpha_high": code.alpha_interval.high if code.alpha_interval else None,
                "fleiss_kappa": code.fleiss.value if code.fleiss else None,
                "unitized_alpha": code.unitized.value,
                "segments_matched": code.segments.percent_matched if code.segments else None,
                "reason": _reason(code),
                # the counts behind the figures
                "units": code.alpha.n_pairable_units if code.alpha else None,
                "character_counts": dataclasses.asdict(code.characters.counts)
                if code.characters
                else None,
                "segments": {
                    "a": code.segments.n_a,
                    "b": code.segments.n_b,
                    "matched": len(code.segments.matches),
                }
                if code.segments
                else None,
                "bootstrap_draws": code.alpha_interval.draws if code.alpha_interval else None,
            }
        )
    return out


def _ci(row: dict[str, Any]) -> str:
    if row["alpha_low"] is None:
        return "–"
    return f"{_fmt(row['alpha_low'], 2)}–{_fmt(row['alpha_high'], 2)}"


def _counts(row: dict[str, Any]) -> str:
    counts = row["character_counts"]
    if counts is None:
        return "–"
    return f"{counts['both']} / {counts['only_a']} / {counts['only_b']} / {counts['neither']}"


def _reason(code: CodeAgreement) -> str | None:
    for result in (code.alpha, code.characters, code.unitized):
        if result is not None and result.reason:
            return result.reason
    return None


def to_json(report: AgreementReport) -> dict[str, Any]:
    return {
        "coders": list(report.coders),
        "transcripts": list(report.transcripts),
        "unit": report.unit,
        "min_overlap": report.min_overlap,
        "codes": rows(report),
        "pooled": {
            "percent_agreement": report.pooled_characters.percent_agreement
            if report.pooled_characters
            else None,
            "kappa_chars": report.pooled_characters.kappa if report.pooled_characters else None,
            "character_counts": dataclasses.asdict(report.pooled_characters.counts)
            if report.pooled_characters
            else None,
            "alpha": report.pooled_alpha.value if report.pooled_alpha else None,
        },
        "groups": group_rows(report),
    }


def group_rows(report: AgreementReport) -> list[dict[str, Any]]:
    """One row per exclusive group: α beside κ (Cohen's for two coders, Fleiss' for
    three or more), with the counts behind them."""
    return [
        {
            "group": g.group,
            "codes": list(g.codes),
            "alpha": g.alpha.value,
            "kappa": g.kappa.value if g.kappa else None,
            "fleiss_kappa": g.fleiss.value if g.fleiss else None,
            "fleiss_units": g.fleiss.n_units if g.fleiss else None,
            "fleiss_units_excluded": g.fleiss.n_units_excluded if g.fleiss else None,
            "fleiss_counts": [list(row) for row in g.fleiss.counts] if g.fleiss else None,
            "reason": (g.fleiss.reason if g.fleiss else g.kappa.reason if g.kappa else None)
            or g.alpha.reason,
            "conflicts": g.conflicts,
            "confusion": [list(row) for row in g.confusion.counts] if g.confusion else None,
        }
        for g in report.groups
    ]


def _group_kappa(row: dict[str, Any], units: str = "units") -> str:
    if row["fleiss_kappa"] is not None or row["fleiss_units"] is not None:
        return f"Fleiss' κ {_fmt(row['fleiss_kappa'])} ({row['fleiss_units']} {units})"
    if row["confusion"] is not None:
        return f"Cohen's κ {_fmt(row['kappa'])}"
    return "κ –"


def to_markdown(report: AgreementReport) -> str:
    w = said(report)
    lines = [
        f"# {w['title']}",
        "",
        f"{w['coders']}: {', '.join(report.coders)}; {w['unit']}: {unit_name(report)}; "
        f"{w['transcripts']}: {', '.join(report.transcripts)}",
        "",
        f"| {w['code']} | {w['codings']} | {w['agree']} | {w['kappa_chars']} | α | {w['ci']} "
        f"| {w['unitized']} | {w['matched']} | {w['units']} | {w['counts']} |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows(report):
        codings = " / ".join(str(n) for n in row["codings"].values())
        ci = _ci(row)
        lines.append(
            f"| {row['code']} | {codings} | {_fmt(row['percent_agreement'], 1)} | "
            f"{_fmt(row['kappa_chars'])} | {_fmt(row['alpha'])} | {ci} | "
            f"{_fmt(row['unitized_alpha'])} | {_fmt(row['segments_matched'], 0)} | "
            f"{row['units'] if row['units'] is not None else '–'} | {_counts(row)} |"
        )
    pooled = to_json(report)["pooled"]
    lines += [
        "",
        f"{w['pooled']}: {w['kappa_chars']} {_fmt(pooled['kappa_chars'])}, "
        f"α {_fmt(pooled['alpha'])}",
        "",
    ]
    groups = group_rows(report)
    if groups:
        lines += [f"## {w['groups']}", "", f"| {w['group']} | {w['codes']} | α | κ | "]
        lines[-1] += f"{w['conflicts']} |"
        lines += ["|---|---|---|---|---|"]
        lines += [
            f"| {g['group']} | {', '.join(g['codes'])} | {_fmt(g['alpha'])} | "
            f"{_group_kappa(g, w['fleiss_units'])} | {g['conflicts']} |"
            for g in groups
        ]
        lines += ["", w["group_note"], ""]
        for g in groups:
            if g["confusion"] is None:
                continue
            a, b = report.coders[0], report.coders[1]
            lines += [f"### {g['group']}: {a} ({w['rows']}) × {b} ({w['columns']})", ""]
            lines += ["| | " + " | ".join(g["codes"]) + " |", "|---" * (len(g["codes"]) + 1) + "|"]
            lines += [
                f"| {code} | " + " | ".join(map(str, counts)) + " |"
                for code, counts in zip(g["codes"], g["confusion"], strict=True)
            ]
            lines.append("")
    lines += [f"## {w['methods']}", "", methods(report), "", w["sources"], ""]
    return "\n".join(lines)


def to_html(report: AgreementReport) -> str:
    bars = []
    for row in rows(report):
        alpha = row["alpha"]
        width = max(0.0, alpha or 0.0) * 100
        colour = "#2a7" if (alpha or 0) >= 0.8 else "#db3" if (alpha or 0) >= 0.667 else "#c44"
        bars.append(
            f"<tr><td>{escape(row['code'])}</td><td>{escape(row['name'])}</td>"
            f"<td>{escape(' / '.join(str(n) for n in row['codings'].values()))}</td>"
            f'<td class="bar"><span style="width:{width:.0f}%;background:{colour}"></span></td>'
            f"<td>{_fmt(alpha)}</td><td>{_ci(row)}</td><td>{_fmt(row['percent_agreement'], 1)}</td>"
            f"<td>{_fmt(row['kappa_chars'])}</td><td>{_fmt(row['fleiss_kappa'])}</td>"
            f"<td>{_fmt(row['unitized_alpha'])}</td><td>{_fmt(row['segments_matched'], 0)}</td>"
            f"<td>{row['units'] if row['units'] is not None else '–'}</td>"
            f"<td>{_counts(row)}</td></tr>"
        )
    pooled = to_json(report)["pooled"]
    w = {key: escape(value) for key, value in said(report).items()}
    head = "".join(
        f"<th>{name}</th>"
        for name in (
            w["code"], w["name"], w["codings"], "", "α", w["ci"], w["agree"], w["kappa_chars"],
            "Fleiss κ", w["unitized"], f"{w['matched']} %", w["units"], w["counts"],
        )
    )  # fmt: skip
    return (
        f'<!DOCTYPE html><html lang="{escape(report.language)}"><head><meta charset="utf-8">'
        f"<title>{w['title']}</title><style>body{{font-family:sans-serif;max-width:60em;"
        "margin:2em auto}td{padding:.2em .6em}.bar{width:20em}"
        ".bar span{display:block;height:1em}"
        f"</style></head><body><h1>{w['title']}</h1>"
        f"<p>{w['coders']}: {escape(', '.join(report.coders))}; "
        f"{w['unit']}: {escape(unit_name(report))}</p>"
        f"<p>{w['bars']}</p>"
        f"<table><tr>{head}</tr>{''.join(bars)}</table>"
        f"<p>{w['pooled']}: {w['kappa_chars']} {_fmt(pooled['kappa_chars'])}, "
        f"α {_fmt(pooled['alpha'])}</p>"
        f"{_html_groups(report)}<h2>{w['methods']}</h2><p>{escape(methods(report))}</p>"
        f"<p>{w['sources']}</p></body></html>\n"
    )


def _html_groups(report: AgreementReport) -> str:
    groups = group_rows(report)
    if not groups:
        return ""
    w = {key: escape(value) for key, value in said(report).items()}
    cells = "".join(
        f"<tr><td>{escape(g['group'])}</td><td>{escape(', '.join(g['codes']))}</td>"
        f"<td>{_fmt(g['alpha'])}</td><td>{escape(_group_kappa(g, w['fleiss_units']))}</td>"
        f"<td>{g['conflicts']}</td></tr>"
        for g in groups
    )
    matrices = []
    for g in groups:
        if g["confusion"] is None:
            continue
        a, b = report.coders[0], report.coders[1]
        head = "".join(f"<th>{escape(code)}</th>" for code in g["codes"])
        body = "".join(
            f"<tr><th>{escape(code)}</th>" + "".join(f"<td>{n}</td>" for n in counts) + "</tr>"
            for code, counts in zip(g["codes"], g["confusion"], strict=True)
        )
        matrices.append(
            f"<h3>{escape(g['group'])}: {escape(a)} ({w['rows']}) × "
            f"{escape(b)} ({w['columns']})</h3>"
            f"<table><tr><th></th>{head}</tr>{body}</table>"
        )
    return (
        f"<h2>{w['groups']}</h2><table><tr><th>{w['group']}</th><th>{w['codes']}</th>"
        f"<th>α</th><th>κ</th><th>{w['conflicts']}</th></tr>{cells}</table>{''.join(matrices)}"
    )


def render_xlsx(report: AgreementReport) -> bytes:
    """One sheet of figures per code (with the counts) and one of the pooled figures."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Per code"
    coders = list(report.coders)
    header = [
        "code",
        "name",
        *(f"codings {c}" for c in coders),
        "% agree",
        "κ (chars)",
        "α",
        "α low",
        "α high",
        "Fleiss κ",
        "unitized α",
        "segments matched %",
        "note",
    ]
    sheet.append(header)
    for row in rows(report):
        sheet.append(
            [
                row["code"],
                row["name"],
                *(row["codings"].get(c, 0) for c in coders),
                row["percent_agreement"],
                row["kappa_chars"],
                row["alpha"],
                row["alpha_low"],
                row["alpha_high"],
                row["fleiss_kappa"],
                row["unitized_alpha"],
                row["segments_matched"],
                row["reason"],
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    pooled = book.create_sheet("Pooled")
    figures = to_json(report)
    pooled.append(["coders", ", ".join(coders)])
    pooled.append(["unit", report.unit])
    pooled.append(["transcripts", ", ".join(report.transcripts)])
    for name, value in figures["pooled"].items():
        pooled.append([name, json.dumps(value) if isinstance(value, dict) else value])
    if figures["groups"]:
        groups = book.create_sheet("Groups")
        groups.append(["group", "codes", "α", "Cohen κ", "Fleiss κ", "Fleiss units", "conflicts"])
        for g in figures["groups"]:
            groups.append([g["group"], ", ".join(g["codes"]), g["alpha"], g["kappa"],
                           g["fleiss_kappa"], g["fleiss_units"], g["conflicts"]])  # fmt: skip
        for cell in groups[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_md(report: AgreementReport) -> bytes:
    return to_markdown(report).encode("utf-8")


def render_html(report: AgreementReport) -> bytes:
    return to_html(report).encode("utf-8")


def render_json(report: AgreementReport) -> bytes:
    return json.dumps(to_json(report), ensure_ascii=False, indent=2).encode("utf-8")
