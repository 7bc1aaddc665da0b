{#-
    The silver partitions an intermediate model still has to read, as a predicate on
    `dt` with literal values, so that DuckDB prunes files and Spectrum prunes
    partitions (a subquery would make both read every partition).

    The days come from stg_ecommerce__loads, the table this build made of the ETL job's
    loads when it started: a day that lands while the build runs waits for the next
    build, in every model alike (the models of one build join each other's rows).

    A partition is to be (re)read when the ETL job wrote rows for it under a load_id
    the model does not hold yet: a new day, or a day landed again (its bronze bytes or
    the contract changed). The model replaces those partitions (delete+insert on dt).
    First run and --full-refresh: every loaded day. A day landed again with no rows at
    all keeps the model's earlier rows for it: run --full-refresh then.

    source_table: the contract table whose loads decide (customers, products, ...).
-#}
{% macro partitions_to_process(source_table) -%}
    {%- if not execute -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set query -%}
        select loads.dt
        from {{ ref('stg_ecommerce__loads') }} as loads
        {%- if is_incremental() %}
        left join (
            select distinct
                done.dt,
                done.load_id
            from {{ this }} as done
        ) as processed
            on
                loads.dt = processed.dt
                and loads.load_id = processed.load_id
        {%- endif %}
        where
            loads.source_table = '{{ source_table }}'
            and loads.rows_written > 0
            {%- if is_incremental() %}
            and processed.dt is null
            {%- endif %}
        order by loads.dt
    {%- endset -%}
    {%- set days = run_query(query).columns[0].values() | list -%}
    {%- do log(this.identifier ~ ": partitions to read: " ~ (days | join(', ') or 'none'), info=true) -%}
    {%- if days | length == 0 -%}
        {{ return('false') }}
    {%- endif -%}
    {{ return("dt in ('" ~ days | join("', '") ~ "')") }}
{%- endmacro %}
