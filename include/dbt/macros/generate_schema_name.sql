{#-
    Use a model's custom schema as is (`staging`, `marts`) instead of dbt's default
    `<target schema>_<custom schema>`, so that the same names appear in DuckDB and
    Redshift and in every environment.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
