with

source as (

    select * from {{ source('ecommerce', 'orders') }}

),

renamed as (

    select
        cast(order_id as bigint) as order_id,
        cast(customer_id as bigint) as customer_id,
        cast(placed_at as timestamp) as placed_at,
        status as order_status,
        channel,
        payment_method,
        currency,
        cast(updated_at as timestamp) as updated_at,
        cast(dt as date) as load_date

    from source

),

latest as (

    select * from renamed
    qualify row_number() over (partition by order_id order by updated_at desc) = 1

)

select * from latest
