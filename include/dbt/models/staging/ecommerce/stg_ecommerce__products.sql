with

source as (

    select * from {{ source('ecommerce', 'products') }}

),

renamed as (

    select
        cast(product_id as bigint) as product_id,
        sku,
        product_name,
        category,
        subcategory,
        brand,
        cast(list_price_usd as decimal(12, 2)) as list_price_usd,
        cast(unit_cost_usd as decimal(12, 2)) as unit_cost_usd,
        cast(is_active as boolean) as is_active,
        cast(updated_at as timestamp) as updated_at,
        cast(dt as date) as load_date

    from source

),

latest as (

    select * from renamed
    qualify row_number() over (partition by product_id order by updated_at desc) = 1

)

select * from latest
