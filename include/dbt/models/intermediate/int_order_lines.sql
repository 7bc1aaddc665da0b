{#-
    Every order line of the silver days loaded so far, with the warehouse's checks in
    the contract's order: the order must have been loaded and not rejected
    (unknown_order), the product must have been loaded (unknown_product).
-#}
-- depends_on: {{ ref('stg_ecommerce__loads') }}
with

order_items as (

    select * from {{ ref('stg_ecommerce__order_items') }}
    where {{ partitions_to_process('order_items') }}

),

known_orders as (

    select distinct order_id
    from {{ ref('int_order_versions') }}
    where quarantine_reason is null

),

known_products as (

    select distinct product_id
    from {{ ref('int_product_versions') }}

),

checked as (

    select
        order_items.*,
        case
            when known_orders.order_id is null then 'unknown_order'
            when known_products.product_id is null then 'unknown_product'
        end as quarantine_reason

    from order_items
    left join known_orders
        on order_items.order_id = known_orders.order_id
    left join known_products
        on order_items.product_id = known_products.product_id

)

select * from checked
