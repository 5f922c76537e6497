CREATE EXTERNAL TABLE IF NOT EXISTS `fiat`.`audit` (
  `event_id`      string,
  `event_time`    timestamp,
  `app`           string,
  `email`         string,
  `tags`          map<string,string>,
  `chain_id`      string,
  `chain_seq`     bigint,
  `chain_hash`    string,
  `audit_id`      string,
  `phase`         string,
  `task`          string,
  `task_args`     string COMMENT 'redacted: mask ([redacted]) at secret keys (password, token, api_key, authorization, cookie, ...) at any depth, unless a logger opts out',
  `ticket_id`     string,
  `output`        string COMMENT 'redacted: mask ([redacted]) at secret keys (password, token, api_key, authorization, cookie, ...) at any depth, unless a logger opts out',
  `error_name`    string,
  `error_message` string,
  `duration_ms`   double
)
PARTITIONED BY (`dt` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='false', 'case.insensitive'='false')
LOCATION 's3://acme-lake/audit/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.dt.type'='date',
  'projection.dt.format'='yyyy-MM-dd',
  'projection.dt.range'='2024-01-01,NOW',
  'projection.dt.interval'='1',
  'projection.dt.interval.unit'='DAYS',
  'storage.location.template'='s3://acme-lake/audit/dt=${dt}/'
);
