
ALTER TABLE people ADD COLUMN cadence_days INTEGER GENERATED ALWAYS AS (
    CASE WHEN json_type(extra, '$."x-cadence_days"') = 'integer'
          AND json_extract(extra, '$."x-cadence_days"') BETWEEN 1 AND 3650
         THEN json_extract(extra, '$."x-cadence_days"') END) VIRTUAL;
-- people with their own cadence, oldest contact first (the agenda's second walk)
CREATE INDEX people_own_cadence ON people(last_contact) WHERE cadence_days IS NOT NULL;
-- red flags of one account: its coaches and economic buyers, its key people by last contact,
-- and the powerful opponents (of an account, or of every account)
CREATE INDEX people_account_role ON people(account_id, role);
CREATE INDEX people_account_key_contact ON people(account_id, last_contact) WHERE influence >= 4;
CREATE INDEX people_key_attitude ON people(attitude, account_id) WHERE influence >= 4;
