{#-
    SCD2 customer dimension built from every version in the raw data (not from a
    snapshot of the latest-per-id view, which would lose the intermediate
    versions when several days land before one run). Incremental: versions not
    yet in the table are added and the windows of their customers recomputed.
-#}
{{ config(
    materialized='incremental',
    unique_key='customer_sk',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

{%- set attributes = [
    'first_name', 'last_name', 'email', 'phone', 'street', 'city', 'state',
    'postal_code', 'country', 'segment', 'signup_at',
] -%}

with

versions as (

    select
        customer_id,
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        updated_at as valid_from

    from {{ ref('base_ecommerce__customers') }}
    where quarantine_reason is null

),

{% if is_incremental() %}

new_versions as (

    select versions.*
    from versions
    left join {{ this }} as known_versions
        on
            versions.customer_id = known_versions.customer_id
            and versions.valid_from = known_versions.valid_from
    where known_versions.customer_id is null

),

affected_versions as (

    select
        customer_id,
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        valid_from

    from {{ this }}
    where customer_id in (select new_versions.customer_id from new_versions)

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
            lead(valid_from) over (partition by customer_id order by valid_from),
            {{ scd2_open_end() }}
        ) as valid_to

    from affected_versions

),

final as (

    select
        {{ surrogate_key(['customer_id', 'valid_from']) }} as customer_sk,
        customer_id,
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        valid_from,
        valid_to,
        valid_to = {{ scd2_open_end() }} as is_current

    from windowed

)

select * from final
