
UPDATE accounts SET revenue = round(revenue, 4) WHERE revenue != round(revenue, 4);
UPDATE accounts SET our_sales = round(our_sales, 4) WHERE our_sales != round(our_sales, 4);
UPDATE deals SET value = round(value, 4) WHERE value != round(value, 4);
UPDATE obligations SET amount = round(amount, 4) WHERE amount != round(amount, 4);
UPDATE plans SET budget = round(budget, 4) WHERE budget != round(budget, 4);
UPDATE plans SET spent = round(spent, 4) WHERE spent != round(spent, 4);
UPDATE plan_spends SET amount = round(amount, 4) WHERE amount != round(amount, 4);
