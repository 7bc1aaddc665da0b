with

customers as (

    select * from {{ ref('base_ecommerce__customers') }}
    where quarantine_reason is null

),

latest as (

    select
        customer_id,
        first_name,
        last_name,
        email,
        phone,
        street,
        city,
        state,
        postal_code,
        country,
        segment,
        signup_at,
        updated_at,
        load_date

    from customers
    qualify row_number() over (partition by customer_id order by updated_at desc) = 1

)

select * from latest
