with

orders as (

    select * from {{ ref('base_ecommerce__orders') }}
    where quarantine_reason is null

),

latest as (

    select
        order_id,
        customer_id,
        placed_at,
        order_status,
        channel,
        payment_method,
        currency,
        updated_at,
        load_date

    from orders
    qualify row_number() over (partition by order_id order by updated_at desc) = 1

)

select * from latest
