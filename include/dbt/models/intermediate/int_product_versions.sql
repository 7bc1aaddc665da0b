{#- Every product version of the silver days loaded so far (partition-replaced). -#}
-- depends_on: {{ ref('stg_ecommerce__loads') }}
with

products as (

    select * from {{ ref('stg_ecommerce__products') }}
    where {{ partitions_to_process('products') }}

)

select * from products
