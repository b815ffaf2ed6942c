-- processar_vendas: the sample job's whole transformation. The PySpark driver (processar_vendas.py)
-- runs these statements as they are on EMR; SalesJobSparkTest runs the same file on Apache Spark in
-- local mode. Each statement ends with ";" at the end of a line.
--
-- Spark substitutes ${vendas.*} from the session configuration the driver sets (Spark SQL variable
-- substitution, spark.sql.variable.substitute, on by default); the driver validates every value:
--   vendas.input_path          the run date's input folder: CSV files with a header line
--   vendas.run_date            the date this run processes, yyyy-MM-dd
--   vendas.max_reject_percent  0-100: the run fails when more of its rows are rejected

-- Every column is read as text, so that no value silently becomes null: a value that does not
-- parse is a rejected row with its reason. Lines with too few or too many fields keep their text in
-- _corrupt_record; a header that does not name these columns fails the run (enforceSchema false).
CREATE OR REPLACE TEMPORARY VIEW vendas_brutas (
  data STRING, produto STRING, quantidade STRING, preco_unitario STRING, vendedor STRING,
  _corrupt_record STRING)
USING csv
OPTIONS (path '${vendas.input_path}', header 'true', enforceSchema 'false', mode 'PERMISSIVE',
         columnNameOfCorruptRecord '_corrupt_record', encoding 'UTF-8');

-- One row per input line, typed, with the first reason it is rejected (null: accepted).
CREATE OR REPLACE TEMPORARY VIEW vendas_classificadas AS
WITH campos AS (
  SELECT trim(data) AS data, trim(produto) AS produto, trim(quantidade) AS quantidade,
         trim(preco_unitario) AS preco_unitario, trim(vendedor) AS vendedor,
         _corrupt_record AS linha_original
  FROM vendas_brutas
)
SELECT data, produto, quantidade, preco_unitario, vendedor, linha_original,
       try_cast(quantidade AS INT) AS qtd,
       try_cast(preco_unitario AS DECIMAL(12,2)) AS preco,
       CASE
         WHEN linha_original IS NOT NULL THEN 'wrong_field_count'
         -- Only ISO dates: try_cast alone would take '2025-09' for 2025-09-01.
         WHEN data IS NULL OR NOT data RLIKE '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
              OR try_cast(data AS DATE) IS NULL THEN 'invalid_date'
         WHEN try_cast(data AS DATE) <> DATE'${vendas.run_date}' THEN 'other_date'
         WHEN produto IS NULL OR produto = '' THEN 'missing_product'
         WHEN quantidade IS NULL OR NOT quantidade RLIKE '^[0-9]{1,9}$'
              OR try_cast(quantidade AS INT) = 0 THEN 'invalid_quantity'
         WHEN preco_unitario IS NULL OR NOT preco_unitario RLIKE '^[0-9]{1,10}([.][0-9]{1,2})?$'
           THEN 'invalid_price'
         WHEN vendedor IS NULL OR vendedor = '' THEN 'missing_seller'
       END AS motivo
FROM campos;

-- The input is read once: counts, rejects and aggregates all come from this cache.
CACHE TABLE vendas_classificadas;

-- Rejected rows as they were read, with the reason (written to the rejects location).
CREATE OR REPLACE TEMPORARY VIEW vendas_rejeitadas AS
SELECT motivo, data, produto, quantidade, preco_unitario, vendedor, linha_original
FROM vendas_classificadas
WHERE motivo IS NOT NULL;

-- What the driver logs and decides on: rows read, rejected, and whether the run must fail.
CREATE OR REPLACE TEMPORARY VIEW vendas_resumo AS
SELECT COUNT(*) AS linhas,
       COUNT(motivo) AS rejeitadas,
       COUNT(*) = 0 OR COUNT(motivo) * 100 > ${vendas.max_reject_percent} * COUNT(*) AS falhar
FROM vendas_classificadas;

-- Per-seller aggregates of the accepted rows, with fixed output types (the catalog table's schema).
CREATE OR REPLACE TEMPORARY VIEW vendas_por_vendedor AS
SELECT vendedor,
       CAST(SUM(qtd) AS BIGINT) AS total_quantidade,
       CAST(ROUND(SUM(qtd * preco), 2) AS DECIMAL(18,2)) AS total_receita,
       COUNT(*) AS total_transacoes,
       CAST(ROUND(AVG(qtd * preco), 2) AS DECIMAL(18,2)) AS ticket_medio,
       '${vendas.run_date}' AS run_date
FROM vendas_classificadas
WHERE motivo IS NULL
GROUP BY vendedor;
