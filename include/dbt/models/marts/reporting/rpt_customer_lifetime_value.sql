with

order_items as (

    select * from {{ ref('fact_order_items') }}

),

customers as (

    select * from {{ ref('dim_customers') }}
    where is_current

),

per_customer as (

    select
        customer_id,
        count(distinct order_id) as order_count,
        min(placed_at) as first_order_at,
        max(placed_at) as last_order_at,
        sum(line_amount_usd) as gross_revenue_usd,
        sum(
            case
                when {{ in_list('order_status', var('non_revenue_order_statuses')) }}
                    then 0
                else line_amount_usd
            end
        ) as net_revenue_usd

    from order_items
    group by customer_id

),

final as (

    select
        customers.customer_id,
        customers.customer_sk as current_customer_sk,
        customers.segment,
        customers.state,
        customers.signup_at,
        coalesce(per_customer.order_count, 0) as order_count,
        per_customer.first_order_at,
        per_customer.last_order_at,
        cast(coalesce(per_customer.gross_revenue_usd, 0) as decimal(18, 2)) as gross_revenue_usd,
        cast(coalesce(per_customer.net_revenue_usd, 0) as decimal(18, 2)) as net_revenue_usd,
        cast(
            case
                when per_customer.order_count > 0
                    then per_customer.net_revenue_usd / per_customer.order_count
            end as decimal(18, 2)
        ) as average_order_value_usd

    from customers
    left join per_customer
        on customers.customer_id = per_customer.customer_id

)

select * from final
