{#-
    Casts from raw text that return null instead of failing, so that a bad value
    routes its row to quarantine. Each accepts exactly the generator's contract
    (ids and counts as plain integers, money as a plain decimal, timestamps as
    'YYYY-MM-DD HH:MM:SS'), not whatever the engine's cast would tolerate
    (DuckDB casts '1e3' to the bigint 1000).
-#}
{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern')(expression, pattern)) }}
{%- endmacro %}

{% macro duckdb__matches_pattern(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro default__matches_pattern(expression, pattern) -%}
    ({{ expression }} ~ '^(?:{{ pattern }})$')
{%- endmacro %}


{% macro safe_bigint(expression) -%}
    case
        when {{ matches_pattern(expression, '-?[0-9]{1,18}') }}
            then cast({{ expression }} as bigint)
    end
{%- endmacro %}


{% macro safe_money(expression) -%}
    case
        when {{ matches_pattern(expression, '-?[0-9]{1,10}([.][0-9]{1,2})?') }}
            then cast({{ expression }} as decimal(12, 2))
    end
{%- endmacro %}


{% macro safe_boolean(expression) -%}
    case
        when lower({{ expression }}) = 'true' then true
        when lower({{ expression }}) = 'false' then false
    end
{%- endmacro %}


{% macro safe_timestamp(expression) -%}
    {{ return(adapter.dispatch('safe_timestamp')(expression)) }}
{%- endmacro %}

{#- try_strptime also rejects impossible dates such as 2024-02-30. -#}
{% macro duckdb__safe_timestamp(expression) -%}
    case
        when {{ matches_pattern(expression, '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}') }}
            then try_strptime({{ expression }}, '{{ var("raw_timestamp_format") }}')
    end
{%- endmacro %}

{#- Redshift has no try_cast: the shape is checked, calendar validity is not. -#}
{% macro default__safe_timestamp(expression) -%}
    case
        when {{ matches_pattern(expression, '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}') }}
            then cast({{ expression }} as timestamp)
    end
{%- endmacro %}


{#- `expression in (var list)` for the coded columns. -#}
{% macro in_list(expression, values) -%}
    {{ expression }} in ({% for value in values %}'{{ value }}'{{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}
