-- Indexes for the inbound SMS path (SQLite). Keep it equivalent to
-- ../postgres/00007_inbound_indexes.sql.
--   panel_members (volunteer_id)  every inbound message looks up its sender's
--                                 membership of a seeded draw by volunteer; the
--                                 unique (draw_id, volunteer_id) index leads with
--                                 the draw and cannot serve it.

-- +goose Up

CREATE INDEX panel_members_volunteer_idx ON panel_members (volunteer_id);

-- +goose Down

DROP INDEX panel_members_volunteer_idx;
