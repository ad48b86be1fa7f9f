-- The three main queries of kam agenda at L (meetings of the day, open follow-ups due, people due): the sqlite3 floor of DESIGN.md §7.
SELECT i.id, i.at, i.title, a.name FROM interactions i LEFT JOIN accounts a ON a.id = i.account_id
 WHERE i.kind IN ('meeting','visit','call','event') AND i.at >= 1796187600 AND i.at < 1796274000 ORDER BY i.at;
SELECT f.id, f.text, f.due_date, a.name FROM followups f LEFT JOIN accounts a ON a.id = f.account_id
 WHERE f.status = 'open' AND f.due_date <= '2026-11-27' ORDER BY f.due_date LIMIT 20;
SELECT p.id, p.name FROM people p WHERE p.influence >= 4 AND p.last_contact < 1788000000 AND p.archived_at IS NULL ORDER BY p.last_contact, p.id LIMIT 10;
