{#-
    Shared pieces of the base models' row classification.

    first_failed_check: the first reason whose condition holds, else null; the
    order of the list is the precedence (an unreadable line is not also
    reported as missing a field).
-#}
{% macro first_failed_check(checks) -%}
    case
        {%- for reason, condition in checks %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}


{#- True when any of the raw text columns is null or blank. -#}
{% macro any_missing(columns) -%}
    (
        {%- for column in columns %}
        nullif(trim({{ column }}), '') is null{{ " or" if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
