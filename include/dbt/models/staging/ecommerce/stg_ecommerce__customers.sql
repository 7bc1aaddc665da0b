with

source as (

    select * from {{ source('ecommerce', 'customers') }}

),

renamed as (

    select
        cast(customer_id as bigint) as customer_id,
        first_name,
        last_name,
        lower(email) as email,
        phone,
        street,
        city,
        state,
        postal_code,
        country,
        segment,
        cast(signup_at as timestamp) as signup_at,
        cast(updated_at as timestamp) as updated_at,
        cast(dt as date) as load_date

    from source

),

latest as (

    select * from renamed
    qualify row_number() over (partition by customer_id order by updated_at desc) = 1

)

select * from latest
