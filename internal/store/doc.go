// Package store is the service's database adapter: it implements the
// panel package's storage interfaces on PostgreSQL or SQLite, and applies
// the SQL migrations in package migrations. It is the only package that
// imports gorm or pgx.
//
// # Layers
//
// One *Store serves both databases. Its methods are split by aggregate,
// one file each (campaign.go, invitation.go, recipient.go, outbox.go,
// outbox_status.go, inbound.go, inbox.go, volunteer.go, draw.go,
// meeting.go, reminder.go, purge.go, provider_deletion.go, audit.go,
// token.go); each file says
// at its top what it owns. Every operation is written once, in its
// aggregate's file, and runs unchanged on both databases.
//
// What differs between the databases is the unexported driver interface
// (driver.go), with one implementation per database: postgresDriver
// (driver_postgres.go) and sqliteDriver (driver_sqlite.go). They are the
// only code that knows which database it talks to; there is no branch on
// the dialect anywhere else. A driver supplies SQL fragments (row locks,
// advisory locks, a list parameter, new ids, a lateral join), rebinds '?'
// placeholders, classifies constraint errors, and provides a pipeline:
// statements queued and sent together, in one round trip on PostgreSQL
// (a pgx batch) and one by one on SQLite.
//
// Columns are listed once per table, as a projection (columns.go): the
// SELECT list, the scan destinations and the INSERT values all come from
// it, for both drivers (inboundColumns, volunteerColumns, senderColumns).
//
// # Where a change goes
//
//   - A new query: in the file of its aggregate, written once with '?'
//     placeholders, through GORM (s.conn(ctx)) for ordinary reads and
//     writes, or queued on a pipeline (pipelineTx, seqPipeline) on a hot
//     path that should cost one round trip.
//   - A dialect difference: a method on the driver interface, implemented
//     in both driver_postgres.go and driver_sqlite.go, called from the
//     aggregate's file. Never an if on Dialect().
//   - A new aggregate: a new file with its row types (a columns projection
//     if it is scanned by hand) and its *Store methods; a var _ assertion
//     for the panel interface it implements; tests in the shared suite
//     (storetest.ForEach) so that both databases run them.
//   - A schema change: a numbered migration in migrations/postgres and in
//     migrations/sqlite.
//
// # Inbound messages
//
// ProcessInbound has one path on both databases (inbound.go): messages
// that arrive together are queued (inbound_queue.go) and handled as a
// batch in one transaction of two pipelined round trips; a single message
// is a batch of one.
package store
