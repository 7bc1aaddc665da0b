{#-
    The validity windows of each natural key of an SCD2 model tile time without
    gaps or overlaps: each window is non-empty, ends where the next one starts,
    and only the last one is open (valid_to = var('scd2_open_end')).
-#}
{% test scd2_contiguous_windows(model, natural_key, valid_from='valid_from', valid_to='valid_to') %}

with

windows as (

    select
        {{ natural_key }} as natural_key,
        {{ valid_from }} as valid_from,
        {{ valid_to }} as valid_to,
        lead({{ valid_from }}) over (
            partition by {{ natural_key }} order by {{ valid_from }}
        ) as next_valid_from

    from {{ model }}

)

select *
from windows
where
    valid_from is null
    or valid_to is null
    or valid_from >= valid_to
    or (next_valid_from is not null and next_valid_from != valid_to)
    or (next_valid_from is null and valid_to != {{ scd2_open_end() }})

{% endtest %}
