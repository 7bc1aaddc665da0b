with

order_items as (

    select * from {{ ref('fact_order_items') }}

),

products as (

    select
        product_sk,
        category

    from {{ ref('dim_products') }}

),

dates as (

    select
        date_key,
        date_day,
        weekday_name,
        is_holiday

    from {{ ref('dim_date') }}

),

final as (

    select
        dates.date_day as order_date,
        order_items.order_date_key,
        products.category,
        dates.weekday_name,
        dates.is_holiday,
        count(distinct order_items.order_id) as order_count,
        count(*) as order_item_count,
        cast(sum(order_items.quantity) as bigint) as units_sold,
        cast(sum(order_items.line_amount_usd) as decimal(18, 2)) as gross_revenue_usd,
        cast(sum(order_items.discount_usd) as decimal(18, 2)) as discount_usd,
        cast(sum(
            case
                when {{ in_list('order_items.order_status', var('non_revenue_order_statuses')) }}
                    then 0
                else order_items.line_amount_usd
            end
        ) as decimal(18, 2)) as net_revenue_usd

    from order_items
    inner join products
        on order_items.product_sk = products.product_sk
    inner join dates
        on order_items.order_date_key = dates.date_key
    group by
        dates.date_day,
        order_items.order_date_key,
        products.category,
        dates.weekday_name,
        dates.is_holiday

)

select * from final
