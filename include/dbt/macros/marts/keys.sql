{#-
    Surrogate key: md5 over the given columns, null-safe and separator-delimited
    (the same idea as dbt_utils.generate_surrogate_key, which cannot be installed
    here). md5 and || behave the same on DuckDB and Redshift. The text cast says its
    width (Redshift's widest varchar; DuckDB ignores it): a bare `varchar`, or dbt's
    type_string() (`text` on Redshift), may mean varchar(256) there, and a cast to a
    narrower varchar cuts the value silently.
-#}
{% macro surrogate_key(columns) -%}
    md5(
        {%- for column in columns %}
        coalesce(cast({{ column }} as varchar(65535)), '_null_'){{ " || '|' ||" if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{#- YYYYMMDD integer key of a date or timestamp (portable arithmetic). -#}
{% macro date_key(expression) -%}
    cast(
        extract(year from {{ expression }}) * 10000
        + extract(month from {{ expression }}) * 100
        + extract(day from {{ expression }})
        as integer
    )
{%- endmacro %}


{#- The SCD2 open end as a timestamp literal (see var scd2_open_end). -#}
{% macro scd2_open_end() -%}
    cast('{{ var("scd2_open_end") }}' as timestamp)
{%- endmacro %}


{#- `expression` minus `days` days (dbt's cross-database dateadd). -#}
{% macro days_before(expression, days) -%}
    {{ dbt.dateadd('day', -1 * days, expression) }}
{%- endmacro %}
