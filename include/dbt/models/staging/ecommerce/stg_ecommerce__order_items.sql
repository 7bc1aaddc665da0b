with

source as (

    select * from {{ source('ecommerce', 'order_items') }}

),

renamed as (

    select
        cast(order_item_id as bigint) as order_item_id,
        cast(order_id as bigint) as order_id,
        cast(product_id as bigint) as product_id,
        cast(quantity as integer) as quantity,
        cast(unit_price_usd as decimal(12, 2)) as unit_price_usd,
        cast(discount_usd as decimal(12, 2)) as discount_usd,
        cast(line_amount_usd as decimal(12, 2)) as line_amount_usd,
        cast(updated_at as timestamp) as updated_at,
        cast(dt as date) as load_date

    from source

),

latest as (

    select * from renamed
    qualify row_number() over (partition by order_item_id order by updated_at desc) = 1

)

select * from latest
