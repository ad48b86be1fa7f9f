ALTER TABLE plan_spends ADD COLUMN transfer TEXT CHECK (transfer IN ('donation','grant','registration','travel','accommodation','fee','expenses','meal','sample','gift'));
CREATE TABLE plan_spend_people (
    spend_id INTEGER NOT NULL REFERENCES plan_spends(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (spend_id, person_id)
) STRICT;
CREATE INDEX plan_spend_people_person ON plan_spend_people(person_id);
