CREATE DATABASE IF NOT EXISTS `fiat`;

CREATE EXTERNAL TABLE IF NOT EXISTS `fiat`.`every_type` (
  `event_id`       string,
  `event_time`     timestamp,
  `app`            string,
  `email`          string,
  `tags`           map<string,string>,
  `text`           string,
  `kind`           string,
  `count`          bigint,
  `ratio`          double,
  `flag`           boolean,
  `at`             timestamp,
  `when`           timestamp,
  `day`            date,
  `contact`        string,
  `id`             string,
  `labels`         array<string>,
  `scores`         array<double>,
  `nested`         struct<`name`:string,`end`:timestamp,`inner`:struct<`depth`:bigint,`tags`:array<string>>>,
  `items`          array<struct<`sku`:string,`qty`:bigint>>,
  `attrs`          map<string,string>,
  `counters`       map<string,bigint>,
  `payload`        string,
  `maybe`          string,
  `nullable_count` bigint,
  `optional_times` array<timestamp>
)
PARTITIONED BY (`dt` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
LOCATION 's3://acme-lake/every_type/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.dt.type'='date',
  'projection.dt.format'='yyyy-MM-dd',
  'projection.dt.range'='NOW-5YEARS,NOW',
  'projection.dt.interval'='1',
  'projection.dt.interval.unit'='DAYS',
  'storage.location.template'='s3://acme-lake/every_type/dt=${dt}/'
);
