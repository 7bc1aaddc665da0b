"""Each Redshift rule of redshift_rules.py flags a small bad snippet and passes its fix.

The snippets are the misses the former sqlglot check let through: sqlfluff's redshift
dialect parses every bad one here, so only the rule stands between them and Redshift.
"""

from __future__ import annotations

import pytest
from redshift_rules import (
    DOCS,
    RULES,
    Statement,
    bound_view_dropped_by_parent_rebuild,
    character_type_needs_length,
    check,
    parse,
    qualify_needs_from_alias,
    regex_is_posix,
    view_over_external_table_needs_no_schema_binding,
)

SPECTRUM = frozenset({"ecommerce_silver"})
WINDOW = "row_number() over (partition by customer_id order by updated_at desc) = 1"
SILVER = '"dev"."ecommerce_silver"."customers"'

#: (rule, bad statement, the same statement fixed)
CASES = [
    (qualify_needs_from_alias,
     Statement("qualify after an unaliased source", f"select * from customers qualify {WINDOW}"),
     Statement("qualify after an aliased source",
               f"select * from customers as c qualify {WINDOW}")),
    (qualify_needs_from_alias,
     Statement("qualify after an unaliased join",
               f"select * from a as x cross join customers qualify {WINDOW}"),
     Statement("qualify after a join condition",
               f"select * from a as x inner join customers as c on x.id = c.id qualify {WINDOW}")),
    (qualify_needs_from_alias,
     Statement("qualify in a CTE, unaliased",
               f"with latest as (select * from customers qualify {WINDOW}) select * from latest"),
     Statement("qualify after WHERE",
               f"with latest as (select * from customers where customer_id > 0 qualify {WINDOW})"
               " select * from latest")),
    (view_over_external_table_needs_no_schema_binding,
     Statement("dbt view over Spectrum, bound", f"select * from {SILVER}", "view",
               external_schemas=SPECTRUM),
     Statement("dbt view over Spectrum, bind false", f"select * from {SILVER}", "view",
               bind=False, external_schemas=SPECTRUM)),
    (view_over_external_table_needs_no_schema_binding,
     Statement("DDL view over Spectrum",
               f"create view staging.v as (select * from {SILVER})", external_schemas=SPECTRUM),
     Statement("DDL late-binding view over Spectrum",
               f"create view staging.v as (select * from {SILVER}) with no schema binding",
               external_schemas=SPECTRUM)),
    (bound_view_dropped_by_parent_rebuild,
     Statement("dbt view over a table model", 'select * from "dev"."marts"."dim_customers"',
               "view", parents={"dim_customers": "table"}),
     Statement("dbt late-binding view over a table model",
               'select * from "dev"."marts"."dim_customers"', "view", bind=False,
               parents={"dim_customers": "table"})),
    (bound_view_dropped_by_parent_rebuild,
     Statement("DDL view, then its table dropped with cascade",
               "create view marts.v as (select * from marts.dim_customers);\n"
               "drop table if exists marts.dim_customers cascade"),
     Statement("DDL late-binding view, then its table dropped with cascade",
               "create view marts.v as (select * from marts.dim_customers) "
               "with no schema binding;\ndrop table if exists marts.dim_customers cascade")),
    (regex_is_posix,
     Statement("non-capturing group", "select email ~ '^(?:[a-z]+)@' as ok from customers"),
     Statement("capturing group", "select email ~ '^([a-z]+)@' as ok from customers")),
    (regex_is_posix,
     Statement("lazy quantifier",
               "select regexp_substr(street, '[0-9]+?') as house from customers"),
     Statement("greedy quantifier",
               "select regexp_substr(street, '[0-9]+') as house from customers")),
    (regex_is_posix,
     Statement("escape with one backslash", r"select phone !~ '^\d+$' as bad from customers"),
     Statement("escape with two backslashes",
               r"select phone !~ '^\\d+$' as bad from customers")),
    (regex_is_posix,
     Statement("Perl word boundary", r"select city ~* '\\bport' as ok from customers"),
     Statement("POSIX class instead", "select city ~* '(^|[^[:alpha:]])port' as ok "
               "from customers")),
    (regex_is_posix,
     Statement("look-ahead without the PCRE parameter",
               "select regexp_replace(sku, '(?=[0-9])x', '') as s from products"),
     Statement("look-ahead with the PCRE parameter 'p'",
               "select regexp_replace(sku, '(?=[0-9])x', '', 1, 'p') as s from products")),
    (character_type_needs_length,
     Statement("unsized cast of a null", "select cast(null as varchar) as raw_line"),
     Statement("sized cast of a null", "select cast(null as varchar(65535)) as raw_line")),
    (character_type_needs_length,
     Statement("text and char in DDL", "create table audit.t (a text, b char, c varchar)"),
     Statement("sized DDL", "create table audit.t (a varchar(max), b char(2), c varchar(64))")),
    (character_type_needs_length,
     Statement("contract varchar in a table", "select 'x' as street", "table",
               contract_types={"street": "varchar"}),
     Statement("contract varchar(n) in a table", "select 'x' as street", "table",
               contract_types={"street": "varchar(65535)"})),
    (character_type_needs_length,
     # dbt's alias translation turns `string` (and type_string()) into TEXT on Redshift
     Statement("contract string as dbt-redshift writes it", "select 'x' as street",
               "incremental", contract_types={"street": "TEXT"}),
     Statement("contract string in a view (no column is created)", "select 'x' as street",
               "view", bind=False, contract_types={"street": "TEXT"})),
]


@pytest.mark.parametrize(("rule", "bad", "good"), CASES,
                         ids=[f"{c[0].__name__}: {c[1].name}" for c in CASES])
def test_rule_flags_the_bad_snippet_and_passes_the_fix(rule, bad: Statement,
                                                       good: Statement) -> None:
    tree, errors = parse(bad.sql)
    assert tree is not None and not errors, "the bad snippet must parse: only the rule fails it"
    found = check(bad)
    assert found and {f.rule for f in found} == {rule.__name__}, found
    assert all(f.doc == rule.doc and f.statement == bad.name for f in found)
    assert check(good) == []


def test_every_rule_names_its_redshift_page_and_has_cases() -> None:
    for rule in RULES:
        assert rule.doc.startswith(DOCS) and rule.doc.endswith(".html"), rule.__name__
        assert rule.__doc__, rule.__name__
    assert {c[0] for c in CASES} == set(RULES)


def test_unparsable_sql_is_a_finding_with_its_position() -> None:
    found = check(Statement("model broken", "select 1 as a,\nfrom customers as c\nwhere = 2"))
    assert found, "an unparsable statement must fail"
    assert {f.rule for f in found} == {"parses_as_redshift"}
    assert all(f.statement == "model broken" and f.line >= 2 for f in found)
    assert "model broken (line " in str(found[0])


def test_finding_reports_the_position_of_the_violation() -> None:
    sql = "select *\nfrom customers\nqualify " + WINDOW
    (finding,) = check(Statement("model stg", sql))
    assert (finding.line, finding.position) == (3, 1)
