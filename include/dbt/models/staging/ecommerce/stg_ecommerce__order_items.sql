with

source as (

    select * from {{ source('ecommerce', 'order_items') }}

),

renamed as (

    select
        order_item_id,
        order_id,
        product_id,
        cast(quantity as integer) as quantity,
        unit_price_usd,
        discount_usd,
        line_amount_usd,
        updated_at,
        dt,
        cast(dt as date) as load_date,
        load_id,
        source_file,
        line_number

    from source

)

select * from renamed
