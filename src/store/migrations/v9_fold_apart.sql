
UPDATE accounts SET name_key = kam_fold(name) WHERE name_key IS NOT kam_fold(name);
UPDATE people SET name_key = kam_fold(name) WHERE name_key IS NOT kam_fold(name);
