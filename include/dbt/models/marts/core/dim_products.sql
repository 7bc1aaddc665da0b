{#-
    SCD2 product dimension, built like dim_customers from every version in the
    raw data. A day's product changes take effect at 00:00:00 of that day, so the
    version valid at an order's placed_at is the one whose price the order paid.
-#}
{{ config(
    materialized='incremental',
    unique_key='product_sk',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

{%- set attributes = [
    'sku', 'product_name', 'category', 'subcategory', 'brand', 'list_price_usd',
    'unit_cost_usd', 'is_active',
] -%}

with

versions as (

    select
        product_id,
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        updated_at as valid_from

    from {{ ref('base_ecommerce__products') }}
    where quarantine_reason is null

),

{% if is_incremental() %}

new_versions as (

    select versions.*
    from versions
    left join {{ this }} as known_versions
        on
            versions.product_id = known_versions.product_id
            and versions.valid_from = known_versions.valid_from
    where known_versions.product_id is null

),

affected_versions as (

    select
        product_id,
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        valid_from

    from {{ this }}
    where product_id in (select new_versions.product_id from new_versions)

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
            lead(valid_from) over (partition by product_id order by valid_from),
            {{ scd2_open_end() }}
        ) as valid_to

    from affected_versions

),

final as (

    select
        {{ surrogate_key(['product_id', 'valid_from']) }} as product_sk,
        product_id,
        {% for attribute in attributes -%}
        {{ attribute }},
        {% endfor -%}
        valid_from,
        valid_to,
        valid_to = {{ scd2_open_end() }} as is_current

    from windowed

)

select * from final
