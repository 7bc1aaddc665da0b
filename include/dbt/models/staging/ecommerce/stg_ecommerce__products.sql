with

products as (

    select * from {{ ref('base_ecommerce__products') }}
    where quarantine_reason is null

),

latest as (

    select
        product_id,
        sku,
        product_name,
        category,
        subcategory,
        brand,
        list_price_usd,
        unit_cost_usd,
        is_active,
        updated_at,
        load_date

    from products
    qualify row_number() over (partition by product_id order by updated_at desc) = 1

)

select * from latest
