with

order_items as (

    select * from {{ ref('base_ecommerce__order_items') }}
    where quarantine_reason is null

),

latest as (

    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        unit_price_usd,
        discount_usd,
        line_amount_usd,
        updated_at,
        load_date

    from order_items
    qualify row_number() over (partition by order_item_id order by updated_at desc) = 1

)

select * from latest
