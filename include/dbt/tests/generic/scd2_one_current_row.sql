{#- Every natural key of an SCD2 model has exactly one current row. -#}
{% test scd2_one_current_row(model, natural_key, is_current='is_current') %}

select
    {{ natural_key }} as natural_key,
    sum(case when {{ is_current }} then 1 else 0 end) as current_rows

from {{ model }}
group by {{ natural_key }}
having sum(case when {{ is_current }} then 1 else 0 end) != 1

{% endtest %}
