{#-
    SCD2 product dimension: every version of a product (price, cost, active flag)
    with its validity window; see macros/marts/scd2_dimension.sql. A day's product
    changes take effect at 00:00:00 of that day, so the version valid at an order's
    placed_at is the one whose price the order paid.
-#}
{{ config(
    materialized='incremental',
    unique_key='product_sk',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

{{ scd2_dimension(
    source_model='int_product_versions',
    natural_key='product_id',
    surrogate_key_name='product_sk',
    attributes=[
        'sku', 'product_name', 'category', 'subcategory', 'brand', 'list_price_usd',
        'unit_cost_usd', 'is_active',
    ],
) }}
