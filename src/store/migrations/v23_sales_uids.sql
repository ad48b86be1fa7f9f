ALTER TABLE account_sales ADD COLUMN uid TEXT;
UPDATE account_sales SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
CREATE UNIQUE INDEX account_sales_uid ON account_sales(uid);
