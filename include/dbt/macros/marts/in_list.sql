{#- `expression in ('a', 'b', ...)` for a list of literal strings (a var's values). -#}
{% macro in_list(expression, values) -%}
    {{ expression }} in ({% for value in values %}'{{ value }}'{{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}
