with

source as (

    select * from {{ source('ecommerce', 'orders') }}

),

renamed as (

    select
        order_id,
        customer_id,
        placed_at,
        status as order_status,
        channel,
        payment_method,
        currency,
        updated_at,
        dt,
        cast(dt as date) as load_date,
        load_id,
        source_file,
        line_number

    from source

)

select * from renamed
