-- Age bands per campaign (SQLite): the bands a recipient's age or birth year
-- is put into to become a volunteer's age category. A JSON array of labels
-- such as ["18-29","30-44","45-59","60-74","75+"]; '' means the default
-- bands (panel.DefaultAgeBands).

-- +goose Up

ALTER TABLE campaigns ADD COLUMN age_bands TEXT NOT NULL DEFAULT '';

-- +goose Down

ALTER TABLE campaigns DROP COLUMN age_bands;
