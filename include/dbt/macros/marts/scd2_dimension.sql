{#-
    An SCD2 dimension built from every version of an entity that the warehouse
    loaded (an intermediate model with one row per silver row), not from a snapshot
    of a latest-per-id view, which would lose the intermediate versions when several
    days land before one run.

    Windows are half-open [valid_from, valid_to); the current version has
    valid_to = scd2_open_end() and is_current = true. Incremental (delete+insert on
    the surrogate key): the versions not in the table yet (anti-join on natural key
    and valid_from, so a day landed again adds nothing twice) are added and the
    windows of their entities recomputed, so day-by-day runs, a backfill of several
    days in one run and a full refresh give the same rows.

    source_model: a model with one row per version, `updated_at`, `dt` and
        `line_number` (a version sent on two days counts once: the later day's row).
    natural_key: the entity's id column; surrogate_key_name: the key to create.
    attributes: the versioned columns, in output order.
-#}
{% macro scd2_dimension(source_model, natural_key, surrogate_key_name, attributes) %}

with

ranked_versions as (

    select
        {{ natural_key }},
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        updated_at as valid_from,
        row_number() over (
            partition by {{ natural_key }}, updated_at
            order by dt desc, line_number asc
        ) as copy_rank

    from {{ ref(source_model) }}

),

versions as (

    select
        {{ natural_key }},
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        valid_from

    from ranked_versions
    where copy_rank = 1

),

{% if is_incremental() %}

new_versions as (

    select versions.*
    from versions
    left join {{ this }} as known_versions
        on
            versions.{{ natural_key }} = known_versions.{{ natural_key }}
            and versions.valid_from = known_versions.valid_from
    where known_versions.{{ natural_key }} is null

),

affected_versions as (

    select
        {{ natural_key }},
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        valid_from

    from {{ this }}
    where {{ natural_key }} in (select new_versions.{{ natural_key }} from new_versions)

    union all

    select * from new_versions

),

{% else %}

affected_versions as (

    select * from versions

),

{% endif %}

windowed as (

    select
        *,
        coalesce(
            lead(valid_from) over (partition by {{ natural_key }} order by valid_from),
            {{ scd2_open_end() }}
        ) as valid_to

    from affected_versions

),

final as (

    select
        {{ surrogate_key([natural_key, 'valid_from']) }} as {{ surrogate_key_name }},
        {{ natural_key }},
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        valid_from,
        valid_to,
        valid_to = {{ scd2_open_end() }} as is_current

    from windowed

)

select * from final

{% endmacro %}
