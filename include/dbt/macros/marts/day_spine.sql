{#-
    One row per day in [start_date, end_date) as `date_day`, for literal dates.
    The day count is computed here in Jinja, so unlike dbt.date_spine no query
    runs at compile time (the Redshift models compile without a cluster); the
    numbers come from a cross join of digits, which Redshift's compute nodes
    run (generate_series is leader-node only there).
-#}
{% macro day_spine(start_date, end_date) -%}
    {%- set start = modules.datetime.date.fromisoformat(start_date) -%}
    {%- set end = modules.datetime.date.fromisoformat(end_date) -%}
    {%- set n_days = (end - start).days -%}
    {%- set n_digits = (n_days - 1) | string | length -%}
    with

    digits as (

        {% for digit in range(10) -%}
        select {{ digit }} as digit{{ " union all" if not loop.last }}
        {% endfor %}

    ),

    day_numbers as (

        select
            {% for position in range(n_digits) -%}
            digits_{{ position }}.digit * {{ 10 ** position }}{{ " +" if not loop.last }}
            {% endfor -%}
            as day_number

        from digits as digits_0
        {%- for position in range(1, n_digits) %}
        cross join digits as digits_{{ position }}
        {%- endfor %}

    )

    select cast({{ dbt.dateadd('day', 'day_number', "cast('" ~ start_date ~ "' as date)") }} as date) as date_day
    from day_numbers
    where day_number < {{ n_days }}
{%- endmacro %}
