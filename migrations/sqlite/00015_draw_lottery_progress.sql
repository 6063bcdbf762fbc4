-- Lottery progress of a draw (sqlite): while the worker computes a leximin
-- lottery it writes here, at most every two seconds, a JSON object with the
-- level being solved, the people fixed, the panels found and the certified
-- bounds of the level (panel.LotteryProgress). It keeps the last value once
-- the draw is committed or failed (for a stop at the time limit: the bounds
-- reached). NULL until the computation reports. The draw's time limit is a
-- field of the params JSON (time_limit_seconds), so it needs no column.

-- +goose Up

ALTER TABLE draws ADD COLUMN lottery_progress TEXT NULL;

-- +goose Down

ALTER TABLE draws DROP COLUMN lottery_progress;
