-- Issue 14.7: a person's salutation ("Dra.", "Prof. Dr.") apart from the name, an explicit
-- family name (NULL: the last word of the name), and the key people sort by: the folded family
-- name, then the folded full name (`kam_sort_key`, today's `domain::person_name::sort_key`).
ALTER TABLE people ADD COLUMN salutation TEXT;
ALTER TABLE people ADD COLUMN family_name TEXT;
ALTER TABLE people ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
-- A leading salutation leaves the name: a known word (any ASCII case, with or without its
-- dot) followed by a space and more name; up to three words, one per pass ("Prof. Dr.
-- Müller"). "Drago Petrović", "Dr.House" and a lone "Dr." stay as they are. Nothing is lost:
-- the salutation keeps the words as written.
CREATE TEMP TABLE v21_salutation_words (word TEXT PRIMARY KEY);
INSERT INTO v21_salutation_words (word)
SELECT w FROM (SELECT column1 AS w FROM (VALUES
    ('dr'),('dra'),('dres'),('prof'),('profa'),('profª'),('prof.ssa'),('sr'),('sra'),('srta'),
    ('sres'),('srª'),('dña'),('doña'),('dª'),('mr'),('mrs'),('ms'),('mx'),('miss'),('mme'),
    ('mlle'),('herr'),('frau'),('dott'),('dott.ssa'),('ing'),('lic'),('lcdo'),('lcda'),('sir'),
    ('dame'),('hab')))
UNION SELECT w || '.' FROM (SELECT column1 AS w FROM (VALUES
    ('dr'),('dra'),('dres'),('prof'),('profa'),('profª'),('prof.ssa'),('sr'),('sra'),('srta'),
    ('sres'),('srª'),('dña'),('doña'),('dª'),('mr'),('mrs'),('ms'),('mx'),('miss'),('mme'),
    ('mlle'),('herr'),('frau'),('dott'),('dott.ssa'),('ing'),('lic'),('lcdo'),('lcda'),('sir'),
    ('dame'),('hab')));
UPDATE people SET
    salutation = coalesce(salutation || ' ', '') || substr(people.name, 1, length(w.word)),
    name = ltrim(substr(people.name, length(w.word) + 2), ' ')
  FROM v21_salutation_words AS w
 WHERE lower(substr(people.name, 1, length(w.word) + 1)) = w.word || ' '
   AND ltrim(substr(people.name, length(w.word) + 2), ' ') <> '';
UPDATE people SET
    salutation = coalesce(salutation || ' ', '') || substr(people.name, 1, length(w.word)),
    name = ltrim(substr(people.name, length(w.word) + 2), ' ')
  FROM v21_salutation_words AS w
 WHERE people.salutation IS NOT NULL
   AND lower(substr(people.name, 1, length(w.word) + 1)) = w.word || ' '
   AND ltrim(substr(people.name, length(w.word) + 2), ' ') <> '';
UPDATE people SET
    salutation = coalesce(salutation || ' ', '') || substr(people.name, 1, length(w.word)),
    name = ltrim(substr(people.name, length(w.word) + 2), ' ')
  FROM v21_salutation_words AS w
 WHERE people.salutation IS NOT NULL AND instr(people.salutation, ' ') > 0
   AND lower(substr(people.name, 1, length(w.word) + 1)) = w.word || ' '
   AND ltrim(substr(people.name, length(w.word) + 2), ' ') <> '';
DROP TABLE v21_salutation_words;
UPDATE people SET name_key = kam_fold(name) WHERE salutation IS NOT NULL;
UPDATE people SET sort_key = kam_sort_key(name, family_name);
-- the lists walk people in family-name order (all, of one account, by last contact)
DROP INDEX people_account_name;
DROP INDEX people_contact_name;
CREATE INDEX people_sort ON people(sort_key);
CREATE INDEX people_account_sort ON people(account_id, sort_key);
CREATE INDEX people_contact_sort ON people(last_contact, sort_key);
