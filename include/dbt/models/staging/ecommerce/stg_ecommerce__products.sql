with

source as (

    select * from {{ source('ecommerce', 'products') }}

),

renamed as (

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
        dt,
        cast(dt as date) as load_date,
        load_id,
        source_file,
        line_number

    from source

)

select * from renamed
