"""report frequency | cooccurrence | segments | crosstab | chart.

Each writes OUT in the format its extension names (.csv .xlsx .html .md .json; a
co-occurrence also .graphml; a chart .png or .svg). The output path is checked before the
project is read, so a typo in OUT costs nothing.
"""

from __future__ import annotations

from .common import add, group, open_project


def _filters(a):
    from ..services.reports.selection import Filters

    return Filters(coders=a.coder or (), documents=a.document or (), cases=a.case or (),
                   where=Filters.parse_where(a.where))


def _done(n: int, what: str, out) -> None:
    print(f"wrote {n} {what} to {out}")


def cmd_frequency(a) -> None:
    from ..services.reports import writers
    from ..services.reports.frequency import frequency, parse_by

    out = writers.check_target(a.out)
    by = parse_by(a.by)
    with open_project(a.project, readonly=True) as db:
        table = frequency(db, by=by, filters=_filters(a), rollup=a.rollup, coverage=a.coverage)
    tables = table.tables()
    writers.write(out, tables, table.to_json(), tables[0].title)
    _done(len(table.codes), "code row(s)", out)


def cmd_cooccurrence(a) -> None:
    from ..services.reports import writers
    from ..services.reports.cooccurrence import cooccurrence

    out = writers.check_target(a.out, (".graphml",))
    with open_project(a.project, readonly=True) as db:
        result = cooccurrence(db, filters=_filters(a), codes=a.code or (), unit=a.unit, same_coder=a.same_coder)
    tables = result.tables(a.measure)
    graph = result.graph() if out.suffix.lower() == ".graphml" else None
    writers.write(out, tables, result.to_json(), tables[0].title, graph=graph)
    _done(len(result.codes), "code(s) x code(s)", out)


def cmd_segments(a) -> None:
    from ..services.reports import writers
    from ..services.reports.retrieval import segments

    out = writers.check_target(a.out)
    with open_project(a.project, readonly=True) as db:
        result = segments(db, a.code, context=a.context, filters=_filters(a), children=a.children,
                          and_codes=a.and_code or (), not_codes=a.not_code or (), near_codes=a.near or (),
                          within=a.within)
    tables = result.tables()
    writers.write(out, tables, result.to_json(), tables[0].title)
    _done(len(result.segments), "segment(s)", out)


def cmd_crosstab(a) -> None:
    from ..services.reports import writers
    from ..services.reports.crosstab import crosstab

    out = writers.check_target(a.out)
    with open_project(a.project, readonly=True) as db:
        result = crosstab(db, a.attribute, codes=a.code or (), filters=_filters(a), rollup=a.rollup)
    tables = result.tables()
    writers.write(out, tables, result.to_json(), tables[0].title)
    _done(len(result.codes), "code row(s)", out)


def cmd_chart(a) -> None:
    from ..services.reports import charts

    out = charts.check_chart_target(a.out)
    with open_project(a.project, readonly=True) as db:
        if a.kind == "heatmap":
            from ..services.reports.cooccurrence import cooccurrence

            result = cooccurrence(db, filters=_filters(a), codes=a.code or (), unit=a.unit,
                                  same_coder=a.same_coder)
            fig = charts.heatmap(result, a.measure)
        else:
            from ..services.reports.frequency import frequency, parse_by

            fig = charts.bar_chart(frequency(db, by=parse_by(a.by), filters=_filters(a), rollup=a.rollup))
    charts.save(fig, out)
    print(f"wrote {a.kind} chart to {out}")


def _common(s, out_help: str) -> None:
    s.add_argument("project")
    s.add_argument("out", help=out_help)
    s.add_argument("--coder", action="append", metavar="NAME", help="only this coder's codings (repeatable)")
    s.add_argument("--document", action="append", metavar="DOC", help="only this document (repeatable)")
    s.add_argument("--case", action="append", metavar="CASE",
                   help="only documents of this case or of cases below it (repeatable)")
    s.add_argument("--where", action="append", metavar="NAME=VALUE",
                   help="only documents whose (document or case) attribute has this value; repeat for "
                        "alternatives of one attribute, combine attributes with AND")


def _cooccurrence_options(s) -> None:
    s.add_argument("--code", action="append", metavar="PATH", help="only these codes (repeatable; default: all coded)")
    s.add_argument("--unit", choices=["overlap", "paragraph", "sentence"], default="overlap",
                   help="co-occur by sharing a character (default), or by touching the same paragraph/sentence")
    s.add_argument("--same-coder", action="store_true", help="count only pairs of codings by the same coder")
    s.add_argument("--measure", choices=["count", "jaccard"], default="count",
                   help="which matrix goes first (the only one in .csv and in a chart)")


FORMATS = ".csv .xlsx .html .md .json"


def register(sub) -> None:
    rep = group(sub, "report", "frequency tables, co-occurrence, coded segments, crosstabs and charts")

    s = add(rep, "frequency", cmd_frequency, "codes x documents | cases | coders | attribute values: codings and documents")
    _common(s, f"output file: {FORMATS}")
    s.add_argument("--by", metavar="document|case|coder|attribute:NAME",
                   help="column groups (default: none, one total per code)")
    s.add_argument("--rollup", action="store_true", help="a parent code also counts the codings of codes below it")
    s.add_argument("--coverage", action="store_true", help="add the share of characters coded, in per cent")

    s = add(rep, "cooccurrence", cmd_cooccurrence, "codes x codes: overlapping codings, counts and Jaccard")
    _common(s, f"output file: {FORMATS} .graphml")
    _cooccurrence_options(s)

    s = add(rep, "segments", cmd_segments,
            "coded segments of a code with context and source; Boolean retrieval with --and/--not/--near")
    _common(s, f"output file: {FORMATS}")
    s.add_argument("--code", required=True, metavar="PATH", help="the code whose segments are retrieved")
    s.add_argument("--context", type=int, default=0, metavar="N", help="characters of text shown on each side")
    s.add_argument("--children", action="store_true", help="include the codes below each named code")
    s.add_argument("--and", dest="and_code", action="append", metavar="PATH",
                   help="keep segments that a coding of PATH overlaps (repeatable)")
    s.add_argument("--not", dest="not_code", action="append", metavar="PATH",
                   help="keep segments that no coding of PATH overlaps (repeatable)")
    s.add_argument("--near", action="append", metavar="PATH",
                   help="keep segments with a coding of PATH at most --within N characters away (repeatable)")
    s.add_argument("--within", type=int, metavar="N", help="distance for --near, in characters")

    s = add(rep, "crosstab", cmd_crosstab, "code presence by case x case attribute, with row and column per cent")
    _common(s, f"output file: {FORMATS}")
    s.add_argument("--attribute", required=True, metavar="NAME", help="a case attribute, e.g. firm_size")
    s.add_argument("--code", action="append", metavar="PATH", help="only these codes (repeatable)")
    s.add_argument("--rollup", action="store_true", help="a parent code is present where a code below it is")

    s = add(rep, "chart", cmd_chart, "bar chart of code frequencies or heat map of co-occurrence (.png .svg)")
    _common(s, "output image: .png or .svg")
    s.add_argument("--kind", choices=["bar", "heatmap"], default="bar", help="bar (frequencies, default) or heatmap")
    s.add_argument("--by", metavar="document|case|coder|attribute:NAME", help="bar chart: split bars by these groups")
    s.add_argument("--rollup", action="store_true", help="bar chart: parents count the codes below them")
    _cooccurrence_options(s)
