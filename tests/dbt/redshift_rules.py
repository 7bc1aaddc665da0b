"""Redshift rules that a SQL parser does not check, applied to compiled dbt SQL.

Each statement is parsed with sqlfluff's redshift dialect (anything unparsable is a
finding), then every rule of :data:`RULES` runs on the parse tree and, where the tree
is not enough, on what dbt will do with the SQL (:class:`Statement`: the
materialization, dbt-redshift's ``bind``, the contract's column types, the parents).
Each rule is a small function whose ``doc`` attribute is the Redshift page it enforces.

Used by ``test_redshift_compile.py`` (the project's compiled models and data tests) and
``test_redshift_rules.py`` (each rule on small bad and good snippets). Imported as a
plain module: this folder has no ``__init__.py`` (a package named ``dbt`` would shadow
dbt-core).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from sqlfluff.core import FluffConfig, Linter
from sqlfluff.core.parser import BaseSegment

DOCS = "https://docs.aws.amazon.com/redshift/latest/dg/"

#: What dbt rebuilds with a new relation and a ``drop ... cascade`` of the old one.
REBUILT_MATERIALIZATIONS = frozenset({"table", "incremental", "view", "seed", "snapshot"})


@dataclass(frozen=True)
class Statement:
    """SQL that Redshift will run, and what dbt will wrap around it.

    Attributes:
        name: what to call it in a finding (``model dim_customers``).
        sql: the SQL as Redshift receives it (a model's compiled select, a data test's
            query, a compile-time query, or DDL written out in a snippet).
        materialized: the dbt materialization that wraps ``sql`` (``view``, ``table``,
            ``incremental``...); ``None`` when it runs as written.
        bind: dbt-redshift's ``bind`` config of a view; ``None`` is its default (true:
            a bound view, ``create view ... as (...)`` with no binding clause).
        contract_types: column -> data type that dbt writes into ``create table`` for an
            enforced contract (after dbt's alias translation); empty without one.
        parents: dbt relations the SQL reads -> their materialization.
        external_schemas: the Spectrum (external) schemas the project reads.
    """

    name: str
    sql: str
    materialized: str | None = None
    bind: bool | None = None
    contract_types: Mapping[str, str] = field(default_factory=dict)
    parents: Mapping[str, str] = field(default_factory=dict)
    external_schemas: frozenset[str] = frozenset()

    @property
    def is_bound_view(self) -> bool:
        """dbt-redshift creates this as a view without WITH NO SCHEMA BINDING."""
        return self.materialized == "view" and self.bind is not False


@dataclass(frozen=True)
class Finding:
    """One violation: which rule, where, why, and the page that says so."""

    rule: str
    statement: str
    line: int
    position: int
    message: str
    doc: str

    def __str__(self) -> str:
        return (f"{self.statement} (line {self.line}, position {self.position}): "
                f"[{self.rule}] {self.message} -- {self.doc}")


Rule = Callable[[Statement, BaseSegment], Iterator[Finding]]


def documented(page: str) -> Callable[[Rule], Rule]:
    """Attach the Redshift documentation page (under :data:`DOCS`) a rule enforces."""

    def attach(rule: Rule) -> Rule:
        rule.doc = DOCS + page  # type: ignore[attr-defined]
        return rule

    return attach


def _finding(rule: Rule, statement: Statement, segment: BaseSegment | None,
             message: str) -> Finding:
    line, position = (segment.pos_marker.line_no, segment.pos_marker.line_pos) \
        if segment is not None and segment.pos_marker else (1, 1)
    return Finding(rule.__name__, statement.name, line, position, message,
                   rule.doc)  # type: ignore[attr-defined]


# --- parsing ---------------------------------------------------------------------------

@functools.cache
def _linter() -> Linter:
    # No config file is read: the dialect is Redshift whatever .sqlfluff says (duckdb).
    return Linter(config=FluffConfig(overrides={"dialect": "redshift", "templater": "raw"}))


@functools.lru_cache(maxsize=512)
def parse(sql: str) -> tuple[BaseSegment | None, tuple[tuple[int, int, str], ...]]:
    """The redshift parse tree of ``sql`` and its parse errors (line, position, text)."""
    parsed = _linter().parse_string(sql)
    errors = {(v.line_no, v.line_pos): v.desc() for v in parsed.violations}
    if parsed.tree is not None:
        for segment in parsed.tree.recursive_crawl("unparsable"):
            where = (segment.pos_marker.line_no, segment.pos_marker.line_pos)
            errors.setdefault(where, f"unparsable: {segment.raw[:60]!r}")
    return parsed.tree, tuple((line, pos, text) for (line, pos), text in sorted(errors.items()))


def _code_children(segment: BaseSegment) -> list[BaseSegment]:
    return [s for s in segment.segments if s.is_code]


def _last_code(segment: BaseSegment) -> BaseSegment | None:
    code = [s for s in segment.raw_segments if s.is_code]
    return code[-1] if code else None


def _identifier_parts(reference: BaseSegment) -> list[str]:
    """``"dev"."ecommerce_silver"."customers"`` -> ['dev', 'ecommerce_silver', 'customers']."""
    return [s.raw.strip('"').lower() for s in reference.segments
            if s.is_type("naked_identifier", "quoted_identifier")]


def _relations_read(tree: BaseSegment) -> Iterator[tuple[BaseSegment, list[str]]]:
    """Every schema-qualified relation in a FROM or JOIN (CTE names are not qualified)."""
    for expression in tree.recursive_crawl("table_expression"):
        reference = expression.get_child("table_reference")
        if reference is not None:
            parts = _identifier_parts(reference)
            if len(parts) >= 2:
                yield reference, parts


# --- rules -----------------------------------------------------------------------------

@documented("r_QUALIFY_clause.html")
def qualify_needs_from_alias(statement: Statement, tree: BaseSegment) -> Iterator[Finding]:
    """A QUALIFY right after the FROM clause needs an alias on the last FROM relation.

    Without one Redshift takes the word ``qualify`` for the relation's alias and the
    condition after it is a syntax error (``from customers qualify ...``).
    """
    for select in tree.recursive_crawl("select_statement"):
        qualify = select.get_child("qualify_clause")
        if qualify is None:
            continue
        code = _code_children(select)
        before = code[code.index(qualify) - 1] if code.index(qualify) > 0 else None
        if before is None or not before.is_type("from_clause"):
            continue  # WHERE, GROUP BY or HAVING in between: the keyword ends the relation
        elements = list(before.recursive_crawl(
            "from_expression_element", no_recursive_seg_type="select_statement"))
        last = elements[-1] if elements else None
        if last is None or last.get_child("alias_expression") is not None:
            continue
        if _last_code(last) is not _last_code(before):
            continue  # the FROM clause ends with a join condition, not the relation
        yield _finding(qualify_needs_from_alias, statement, qualify,
                       f"QUALIFY directly after the FROM relation {last.raw.strip()!r} with "
                       "no alias: give it one (`from customers as c qualify ...`)")


@documented("r_CREATE_VIEW.html")
def view_over_external_table_needs_no_schema_binding(
        statement: Statement, tree: BaseSegment) -> Iterator[Finding]:
    """A view that reads an external (Spectrum) table must be WITH NO SCHEMA BINDING.

    For a dbt view this is dbt-redshift's ``bind: false``; in DDL the clause itself.
    """
    # (the bound view's body, the fix): a dbt view's body is the compiled select
    views = [(tree, "set `bind: false` (dbt-redshift)")] if statement.is_bound_view else []
    views += [(create, "add WITH NO SCHEMA BINDING")
              for create in tree.recursive_crawl("create_view_statement")
              if create.get_child("with_no_schema_binding_clause") is None]
    for body, fix in views:
        for reference, parts in _relations_read(body):
            if parts[-2] in statement.external_schemas:
                yield _finding(
                    view_over_external_table_needs_no_schema_binding, statement, reference,
                    f"view reads the external table {'.'.join(parts[-2:])}: {fix}")


@documented("r_DROP_TABLE.html")
def bound_view_dropped_by_parent_rebuild(
        statement: Statement, tree: BaseSegment) -> Iterator[Finding]:
    """A bound view over a relation that is rebuilt disappears with it.

    dbt rebuilds a table, a view and a full-refreshed incremental model by renaming the
    old relation and running ``drop ... cascade`` on it: CASCADE drops the objects that
    depend on it, so every bound view over it is gone until its own model runs again (or
    for good, when only the parent is selected). Late-binding views (``bind: false``, WITH
    NO SCHEMA BINDING) do not depend on their relations.
    """
    if statement.is_bound_view:
        rebuilt = sorted(name for name, materialized in statement.parents.items()
                         if materialized in REBUILT_MATERIALIZATIONS)
        if rebuilt:
            yield _finding(bound_view_dropped_by_parent_rebuild, statement, None,
                           f"bound view over {', '.join(rebuilt)}, which dbt rebuilds with "
                           "`drop ... cascade`: set `bind: false`")
    dropped = {tuple(_identifier_parts(ref)[-2:])
               for drop in tree.recursive_crawl("drop_table_statement", "drop_view_statement")
               if any(k.raw.lower() == "cascade" for k in drop.get_children("keyword"))
               for ref in drop.get_children("table_reference")}
    for create in tree.recursive_crawl("create_view_statement"):
        if create.get_child("with_no_schema_binding_clause") is not None:
            continue
        for expression in create.recursive_crawl("table_expression"):
            reference = expression.get_child("table_reference")
            if reference is not None and tuple(_identifier_parts(reference)[-2:]) in dropped:
                yield _finding(bound_view_dropped_by_parent_rebuild, statement, reference,
                               f"bound view over {reference.raw}, which this script drops "
                               "with CASCADE: add WITH NO SCHEMA BINDING")


#: Redshift's regular expression functions -> index of their ``parameters`` argument.
REGEX_FUNCTIONS = {"regexp_count": 3, "regexp_instr": 5, "regexp_replace": 4,
                   "regexp_substr": 4}
REGEX_OPERATORS = frozenset({"~", "~*", "!~", "!~*"})
#: The Perl-influenced escapes the POSIX page lists as supported (written ``\\d``...).
PERL_ESCAPES = frozenset("dDwWsS")


def _regex_problems(literal: str, pcre: bool) -> list[str]:
    """What Redshift's POSIX regex does not do in a pattern literal (as written in SQL)."""
    problems = []
    text = literal[1:-1].replace("''", "'")
    # A string literal eats one level of backslashes: the page asks for two ('\\.').
    regex, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            if text[i + 1:i + 2] == "\\":
                regex.append("\\")
            else:
                problems.append(f"single backslash before {text[i + 1:i + 2]!r}: Redshift "
                                "reads it as a string escape; write two backslashes")
                regex.append(text[i + 1:i + 2])
            i += 2
            continue
        regex.append(text[i])
        i += 1
    if pcre:
        return problems  # the 'p' parameter: PCRE, where (?: and lazy quantifiers exist
    pattern, i = "".join(regex), 0
    while i < len(pattern):
        char, following = pattern[i], pattern[i + 1:i + 2]
        if char == "\\":
            if following.isalpha() and following not in PERL_ESCAPES:
                problems.append(f"\\{following} is neither POSIX nor one of the supported "
                                "Perl escapes (\\d \\D \\w \\W \\s \\S)")
            i += 2
            continue
        if char == "[":
            i = _bracket_end(pattern, i)
            continue
        if char == "(" and following == "?":
            problems.append(f"{pattern[i:i + 3]!r}: POSIX has no (?...) groups (non-capturing, "
                            "look-around, inline flags)")
            i += 2
            continue
        if char in "*+?}" and following == "?":
            problems.append(f"lazy quantifier {char}?: POSIX quantifiers are greedy only")
            i += 2
            continue
        i += 1
    return problems


def _bracket_end(pattern: str, start: int) -> int:
    """Index after the bracket expression opening at ``start`` (POSIX rules: a ``]`` first
    in the list is literal; ``[:alpha:]``-style classes nest)."""
    i = start + 1
    if pattern[i:i + 1] == "^":
        i += 1
    if pattern[i:i + 1] == "]":
        i += 1
    while i < len(pattern):
        if pattern[i] == "[" and pattern[i + 1:i + 2] in (":", ".", "="):
            close = pattern.find(pattern[i + 1] + "]", i + 2)
            i = close + 2 if close != -1 else len(pattern)
            continue
        if pattern[i] == "]":
            return i + 1
        i += 1
    return len(pattern)


def _function_arguments(function: BaseSegment) -> list[BaseSegment]:
    contents = function.get_child("function_contents")
    bracketed = contents.get_child("bracketed") if contents is not None else None
    if bracketed is None:
        return []
    return [s for s in _code_children(bracketed)
            if not s.is_type("start_bracket", "end_bracket", "comma")]


def _literal(segment: BaseSegment | None) -> BaseSegment | None:
    """The quoted literal that ``segment`` is (directly or as a bare expression)."""
    while segment is not None and segment.is_type("expression") \
            and len(_code_children(segment)) == 1:
        segment = _code_children(segment)[0]
    return segment if segment is not None and segment.is_type("quoted_literal") else None


@documented("pattern-matching-conditions-posix.html")
def regex_is_posix(statement: Statement, tree: BaseSegment) -> Iterator[Finding]:
    """Patterns of ``~`` and the REGEXP_ functions are POSIX regular expressions.

    No ``(?:`` or other ``(?`` groups, no lazy quantifiers, no Perl escapes but ``\\d \\D
    \\w \\W \\s \\S``, and an escape is written with two backslashes. A REGEXP_ function
    with the ``p`` parameter uses PCRE instead (only the backslash check applies).
    Patterns that are not literals are not checked.
    """
    patterns: list[tuple[BaseSegment, bool]] = []
    for operator in tree.recursive_crawl("like_operator"):
        if operator.raw in REGEX_OPERATORS:
            parent = operator.get_parent()
            siblings = _code_children(parent[0]) if parent else []
            index = siblings.index(operator) if operator in siblings else -1
            if 0 <= index < len(siblings) - 1:
                literal = _literal(siblings[index + 1])
                if literal is not None:
                    patterns.append((literal, False))
    for function in tree.recursive_crawl("function"):
        name = function.get_child("function_name")
        if name is None or name.raw.lower() not in REGEX_FUNCTIONS:
            continue
        arguments = _function_arguments(function)
        literal = _literal(arguments[1]) if len(arguments) > 1 else None
        if literal is None:
            continue
        index = REGEX_FUNCTIONS[name.raw.lower()]
        parameters = _literal(arguments[index]) if len(arguments) > index else None
        pcre = parameters is not None and "p" in parameters.raw.strip("'").lower()
        patterns.append((literal, pcre))
    for literal, pcre in patterns:
        for problem in _regex_problems(literal.raw, pcre):
            yield _finding(regex_is_posix, statement, literal, f"{literal.raw}: {problem}")


#: Character types and what Redshift makes of them without a length.
CHARACTER_TYPES = {
    "varchar": "varchar(256)", "character varying": "varchar(256)",
    "nvarchar": "varchar(256)", "text": "varchar(256)", "char": "char(1)",
    "character": "char(1)", "nchar": "char(1)", "bpchar": "char(256)",
}


def _unsized_character_type(data_type: BaseSegment) -> str | None:
    """What Redshift makes of ``data_type`` when it is a character type with no length."""
    keywords = " ".join(k.raw.lower() for k in data_type.recursive_crawl("keyword"))
    if data_type.get_child("bracketed_arguments") is not None and keywords not in (
            "text", "bpchar"):
        return None
    return CHARACTER_TYPES.get(keywords)


@documented("r_Character_types.html")
def character_type_needs_length(statement: Statement, tree: BaseSegment) -> Iterator[Finding]:
    """Character types say their length.

    In CREATE TABLE (dbt writes an enforced contract's types there) ``varchar`` without a
    length is varchar(256), ``text`` too, ``char`` is char(1): longer values fail to
    insert. In an expression the width comes from the input, which for ``cast(null as
    varchar)`` is nothing, so the width of a CREATE TABLE AS column is not what the SQL
    says. The project states widths everywhere: ``varchar(n)``.
    """
    for data_type in tree.recursive_crawl("data_type"):
        becomes = _unsized_character_type(data_type)
        if becomes is not None:
            yield _finding(character_type_needs_length, statement, data_type,
                           f"{data_type.raw!r} without a length (a column of it is "
                           f"{becomes}): write varchar(n)")
    for column, declared in statement.contract_types.items():
        if statement.materialized not in ("table", "incremental"):
            break  # a view's contract creates no column
        declared_tree, _ = parse(f"select cast(null as {declared})")
        for data_type in declared_tree.recursive_crawl("data_type") if declared_tree else ():
            becomes = _unsized_character_type(data_type)
            if becomes is not None:
                yield _finding(character_type_needs_length, statement, None,
                               f"contract column {column} is {declared!r}: dbt creates it as "
                               f"{becomes} on Redshift; declare varchar(n)")


RULES: tuple[Rule, ...] = (
    qualify_needs_from_alias,
    view_over_external_table_needs_no_schema_binding,
    bound_view_dropped_by_parent_rebuild,
    regex_is_posix,
    character_type_needs_length,
)


def check(statement: Statement, rules: tuple[Rule, ...] = RULES) -> list[Finding]:
    """Parse ``statement`` as Redshift SQL and apply ``rules``: every finding, in order."""
    tree, errors = parse(statement.sql)
    findings = [Finding("parses_as_redshift", statement.name, line, position, message,
                        DOCS + "c_SQL_commands.html") for line, position, message in errors]
    if tree is not None:
        for rule in rules:
            findings.extend(rule(statement, tree))
    return findings


def statements_from_manifest(manifest: Mapping, translate_type: Callable[[str], str] = str,
                             ) -> list[Statement]:
    """A :class:`Statement` per compiled model and data test of a dbt ``manifest.json``.

    ``translate_type`` is the adapter's ``Column.translate_type``: with the contract's
    ``alias_types`` (dbt's default) dbt writes its result into ``create table``.
    Every source of the project is a Spectrum table (the external schema over the Glue
    staging database), so their schemas are the external ones.
    """
    external = frozenset(s["schema"].lower() for s in manifest["sources"].values())
    nodes = manifest["nodes"]
    statements = []
    for node in nodes.values():
        if node["resource_type"] not in ("model", "test") or not node.get("compiled_code"):
            continue
        config = node["config"]
        contract = node.get("contract") or {}
        contract_types = {}
        if node["resource_type"] == "model" and contract.get("enforced"):
            translate = translate_type if contract.get("alias_types", True) else str
            contract_types = {name: translate(column["data_type"])
                              for name, column in node["columns"].items()
                              if column.get("data_type")}
        parents = {nodes[p]["name"]: nodes[p]["config"]["materialized"]
                   for p in node["depends_on"]["nodes"] if p in nodes}
        statements.append(Statement(
            name=f"{node['resource_type']} {node['name']} ({node['original_file_path']})",
            sql=node["compiled_code"],
            materialized=config.get("materialized") if node["resource_type"] == "model"
            else None,
            bind=config.get("bind"),
            contract_types=contract_types,
            parents=parents,
            external_schemas=external,
        ))
    return statements
