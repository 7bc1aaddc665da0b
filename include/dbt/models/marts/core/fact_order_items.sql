{#-
    One row per order line. Incremental (delete+insert on order_item_id): a run
    re-selects every line whose item or order changed since the newest change the
    table holds minus var('fact_lookback_days'), so a late order-status change
    replaces the existing rows of that order. Customer and product surrogate keys
    are the dimension versions valid at the order's placed_at.
-#}
{{ config(
    materialized='incremental',
    unique_key='order_item_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with

order_items as (

    select * from {{ ref('stg_ecommerce__order_items') }}

),

orders as (

    select * from {{ ref('stg_ecommerce__orders') }}

),

customers as (

    select
        customer_sk,
        customer_id,
        valid_from,
        valid_to

    from {{ ref('dim_customers') }}

),

products as (

    select
        product_sk,
        product_id,
        valid_from,
        valid_to

    from {{ ref('dim_products') }}

),

order_lines as (

    select
        order_items.order_item_id,
        order_items.order_id,
        orders.customer_id,
        order_items.product_id,
        orders.placed_at,
        orders.order_status,
        orders.channel,
        orders.payment_method,
        order_items.quantity,
        order_items.unit_price_usd,
        order_items.discount_usd,
        order_items.line_amount_usd,
        orders.updated_at as order_updated_at,
        greatest(order_items.updated_at, orders.updated_at) as updated_at

    from order_items
    inner join orders
        on order_items.order_id = orders.order_id

),

changed_lines as (

    select * from order_lines
    {% if is_incremental() %}
    where updated_at >= {{ lookback_bound('updated_at', var('fact_lookback_days')) }}
    {% endif %}

),

final as (

    select
        changed_lines.order_item_id,
        changed_lines.order_id,
        customers.customer_sk,
        products.product_sk,
        {{ date_key('changed_lines.placed_at') }} as order_date_key,
        changed_lines.customer_id,
        changed_lines.product_id,
        changed_lines.placed_at,
        changed_lines.order_status,
        changed_lines.channel,
        changed_lines.payment_method,
        changed_lines.quantity,
        changed_lines.unit_price_usd,
        changed_lines.discount_usd,
        changed_lines.line_amount_usd,
        changed_lines.order_updated_at,
        changed_lines.updated_at

    from changed_lines
    left join customers
        on
            changed_lines.customer_id = customers.customer_id
            and changed_lines.placed_at >= customers.valid_from
            and changed_lines.placed_at < customers.valid_to
    left join products
        on
            changed_lines.product_id = products.product_id
            and changed_lines.placed_at >= products.valid_from
            and changed_lines.placed_at < products.valid_to

)

select * from final
