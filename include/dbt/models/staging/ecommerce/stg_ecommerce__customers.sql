with

source as (

    select * from {{ source('ecommerce', 'customers') }}

),

renamed as (

    select
        customer_id,
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
        signup_at,
        updated_at,
        dt,
        cast(dt as date) as load_date,
        load_id,
        source_file,
        line_number

    from source

)

select * from renamed
