{#-
    One row per data line of a raw table, every column as text, plus lineage and
    the two checks a CSV reader would otherwise make silently:

      source_file, line_number, load_date, raw_line,
      is_valid_utf8   the line's bytes are valid UTF-8,
      is_well_formed  the line splits into exactly len(columns) CSV fields,
      <columns...>    unquoted text, empty unquoted field = null.

    Dialect-specific: DuckDB parses the bytes itself, Redshift Spectrum has
    already split the fields (see the implementations below).
-#}
{% macro ecommerce_raw_rows(table_name, columns) -%}
    {{ return(adapter.dispatch('ecommerce_raw_rows')(table_name, columns)) }}
{%- endmacro %}


{#-
    DuckDB: the source is read_blob() over the day files (see the sources YAML).

    Why not read_csv: DuckDB 2.0.1's CSV reader drops or nulls rows with invalid
    UTF-8 depending on which columns a query projects (ignore_errors), or fails the
    whole file (default), and its latin-1 decoder rejects the bytes 0x80-0x9F, so
    neither gives a reliable count of bad lines. Here the bytes are cast to text
    with every non-printable or non-ASCII byte escaped as \xNN (a lossless,
    always-valid rendering, backslash included as \x5C), split on the newline
    escape, and each line is turned back into bytes and decoded: try(decode())
    is null exactly when the line is not valid UTF-8. Fields are then split with
    one regular expression (RFC 4180 quoting: "..." with "" for a quote). A
    quoted field spanning lines is not supported; such a line is not lost but
    counted as malformed.
-#}
{% macro duckdb__ecommerce_raw_rows(table_name, columns) -%}
    {%- set n_columns = columns | length -%}
    with

    files as (

        select
            filename as source_file,
            string_split(cast(content as varchar), '\x0A') as escaped_lines

        from {{ source('ecommerce', table_name) }}

    ),

    lines as (

        select
            source_file,
            unnest(escaped_lines) as escaped_line,
            unnest(range(1, len(escaped_lines) + 1)) as line_number

        from files

    ),

    decoded as (

        select
            source_file,
            line_number,
            cast(
                regexp_extract(source_file, 'dt=([0-9]{4}-[0-9]{2}-[0-9]{2})', 1) as date
            ) as load_date,
            regexp_replace(escaped_line, '\\x0D$', '') as escaped_line,
            case
                when contains(escaped_line, '\x')
                    then try(decode(cast(regexp_replace(escaped_line, '\\x0D$', '') as blob)))
                else escaped_line
            end as line_text

        from lines
        where line_number > 1 and escaped_line != ''

    ),

    split as (

        select
            *,
            regexp_extract_all(line_text || ',', '("(?:[^"]|"")*"|[^,"]*),', 1) as fields

        from decoded

    )

    select
        source_file,
        line_number,
        load_date,
        -- an undecodable line is shown in its escaped form, quotes restored
        coalesce(line_text, replace(escaped_line, '\x22', '"')) as raw_line,
        line_text is not null as is_valid_utf8,
        coalesce(
            len(fields) = {{ n_columns }} and array_to_string(fields, ',') = line_text,
            false
        ) as is_well_formed,
        {%- for column in columns %}
        case
            when starts_with(fields[{{ loop.index }}], '"')
                then replace(
                    substring(fields[{{ loop.index }}], 2, length(fields[{{ loop.index }}]) - 2),
                    '""',
                    '"'
                )
            else nullif(fields[{{ loop.index }}], '')
        end as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}

    from split
{%- endmacro %}


{#-
    Redshift: the source is a Spectrum table that the Glue crawler made over the
    same files (OpenCSVSerde: every column a string, header skipped, dt the
    partition). Spectrum has split the fields already; invalid UTF-8 is handled
    by the table's invalid_char_handling property and short/long lines are
    padded/truncated by the SerDe, so both checks are true here.
-#}
{% macro default__ecommerce_raw_rows(table_name, columns) -%}
    select
        "$path" as source_file,
        cast(null as bigint) as line_number,
        cast(dt as date) as load_date,
        {% for column in columns -%}
            coalesce({{ column }}, ''){{ " || ',' || " if not loop.last }}
        {%- endfor %} as raw_line,
        true as is_valid_utf8,
        true as is_well_formed,
        {%- for column in columns %}
        nullif({{ column }}, '') as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}

    from {{ source('ecommerce', table_name) }}
{%- endmacro %}
