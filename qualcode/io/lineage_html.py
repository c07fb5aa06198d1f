"""The lineage report: one self-contained HTML page (inline CSS and SVG, no script, no link).

Per story: the lineage graph, the tellings with their measures, the variant table (elements
down, tellings across, cells tinted where they differ from the reference), the discrepancy
list, drift by generation, cycles and suggested relations, and each telling's passage. Every
piece of project text goes through :func:`html.escape`.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, Mapping

from ..core.lineage_views import DISCREPANCY_COLORS, ROLE_COLORS, variant_table
from .lineage_svg import story_svg

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:19px;border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:40px}
h3{font-size:15px;margin-top:24px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;
text-align:left}th{background:#f3f3f3}.apparatus td{min-width:110px;max-width:220px;font-size:12px}
.graph{overflow-x:auto}.muted{color:#777}.role{color:#fff;border-radius:3px;padding:0 4px;font-size:12px}
.ref{outline:2px solid #333}details{margin:4px 0}details p{white-space:pre-wrap;margin:4px 0 8px 16px}
.key span{display:inline-block;padding:1px 6px;margin-right:6px;border:1px solid #ccc;font-size:12px}
"""


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}" if isinstance(value, float) else escape(str(value))


def _role(role: str) -> str:
    return f'<span class="role" style="background:{ROLE_COLORS.get(role, "#999")}">{escape(role)}</span>'


def _tellings(story: Mapping[str, Any], labels: Mapping[Any, str]) -> list[str]:
    out = ["<table><tr><th>#</th><th>teller</th><th>role</th><th>document</th><th>span</th><th>told on</th>"
           "<th>generation</th><th>Kendall τ</th><th>core kept</th><th>told order</th></tr>"]
    for t in story["tellings"]:
        ref = ' class="ref"' if t["id"] == story["reference_telling"] else ""
        order = " → ".join(escape(labels[e]) for e in t["sequence"]) or "—"
        out.append(f"<tr{ref}><td>{t['id']}</td><td>{escape(t['teller'] or '?')}</td><td>{_role(t['role'])}</td>"
                   f"<td>{escape(t['document'])}</td><td>[{t['start']}, {t['end']})</td><td>{_fmt(t.get('told_on'))}</td>"
                   f"<td>{_fmt(t['generation'])}</td><td>{_fmt(t['kendall_tau'])}</td>"
                   f"<td>{_fmt(t.get('core_kept'))}</td><td>{order}</td></tr>")
    out.append("</table>")
    return out


def _apparatus(story: Mapping[str, Any]) -> list[str]:
    heads = "".join(f"<th>#{t['id']} {escape(t['teller'] or '?')}<br>{_role(t['role'])}</th>" for t in story["tellings"])
    out = [f'<table class="apparatus"><tr><th>element</th>{heads}</tr>']
    for e, cells in zip(story["elements"], variant_table(story)):
        row = [f"<th>{e['ordinal']}. {escape(e['label'])} <span class='muted'>({escape(e['kind'])})</span></th>"]
        for c in cells:
            style = f' style="background:{c.color}"' if c.color else ""
            tip = f' title="{escape("; ".join(c.details), quote=True)}"' if c.details else ""
            pos = f" <span class='muted'>@{c.position}</span>" if c.position is not None else ""
            variant = f"<br>{escape(c.variant)}" if c.variant else ""
            row.append(f"<td{style}{tip}><b>{escape(c.status)}</b>{pos}{variant}</td>")
        out.append("<tr>" + "".join(row) + "</tr>")
    out.append("</table>")
    key = "".join(f'<span style="background:{color}">{escape(kind)}</span>' for kind, color in DISCREPANCY_COLORS.items())
    out.append(f'<p class="key">Cell colours: {key}</p>')
    return out


def _discrepancies(story: Mapping[str, Any]) -> list[str]:
    rows = [f"<tr><td>#{t['id']} {escape(t['teller'] or '?')}</td>"
            f"<td style='background:{DISCREPANCY_COLORS[d['type']]}'>{escape(d['type'])}</td>"
            f"<td>{escape(d['detail'])}</td></tr>" for t in story["tellings"] for d in t["discrepancies"]]
    if not rows:
        return ["<p class='muted'>No discrepancies.</p>"]
    return ["<table><tr><th>telling</th><th>type</th><th>detail</th></tr>", *rows, "</table>"]


def _extras(story: Mapping[str, Any]) -> list[str]:
    out = ["<h3>Drift of core elements by generation</h3>",
           "<table><tr><th>generation</th><th>tellings</th><th>core elements kept (mean)</th></tr>"]
    out += [f"<tr><td>{'unknown' if d['generation'] is None else d['generation']}</td><td>{d['tellings']}</td>"
            f"<td>{_fmt(d['core_kept'])}</td></tr>" for d in story["drift_by_generation"]]
    out.append("</table>")
    if story["cycles"]:
        out.append("<h3>Cycles in the stated transmissions</h3><ul>")
        out += [f"<li>{' → '.join(f'#{t}' for t in c)} → #{c[0]}</li>" for c in story["cycles"]]
        out.append("</ul>")
    if story["suggested_relations"]:
        out.append("<h3>Possibly related tellings (shared innovations; to be confirmed)</h3><ul>")
        out += [f"<li>#{s['tellings'][0]} and #{s['tellings'][1]}: {escape('; '.join(s['shared']))}</li>"
                for s in story["suggested_relations"]]
        out.append("</ul>")
    return out


def _story(story: Mapping[str, Any]) -> list[str]:
    labels = {e["id"]: e["label"] for e in story["elements"]}
    ref = story["reference_telling"]
    ref_text = f"telling #{ref}" if ref is not None else "the canonical story (no protagonist's telling)"
    out = [f"<section><h2>{escape(story['title'])}</h2>"]
    if story.get("summary"):
        out.append(f"<p>{escape(story['summary'])}</p>")
    out.append(f"<p class='muted'>{len(story['tellings'])} tellings, {len(story['transmissions'])} transmissions; "
               f"reference: {escape(ref_text)}.</p>")
    out += ["<h3>Lineage graph</h3>", f'<div class="graph">{story_svg(story)}</div>',
            "<h3>Tellings</h3>", *_tellings(story, labels),
            "<h3>Variant table</h3>", *_apparatus(story),
            "<h3>Discrepancies</h3>", *_discrepancies(story), *_extras(story)]
    passages = [f"<details><summary>#{t['id']} {escape(t['teller'] or '?')} — {escape(t['document'])} "
                f"[{t['start']}, {t['end']})</summary><p>{escape(t['text'])}</p></details>"
                for t in story["tellings"] if t.get("text")]
    if passages:
        out += ["<h3>Passages</h3>", *passages]
    out.append("</section>")
    return out


def render(doc: Mapping[str, Any], title: str) -> str:
    body = [part for story in doc["stories"] for part in _story(story)] or ["<p>No stories recorded yet.</p>"]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)} — story lineage</title>", f"<style>{CSS}</style></head><body>",
        f"<h1>Story lineage — {escape(title)}</h1>", *body, "</body></html>",
    ])


def write_html(doc: Mapping[str, Any], out: Path, title: str) -> None:
    out.write_text(render(doc, title), encoding="utf-8")
