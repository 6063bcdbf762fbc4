package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/citizenspanel/panel/internal/panel"
)

// This file owns streamed recipient imports: rows read one by one from a
// panel.RecipientSource, checked as they come, and written in batches
// (COPY on PostgreSQL) in one transaction.

// streamBatch is how many rows a streamed import checks against the
// campaign and writes at a time: its memory is a few batches, whatever the
// file's size.
const streamBatch = 5000

// recipientInsertColumns are the columns a streamed import writes.
var recipientInsertColumns = []string{"campaign_id", "phone", "attributes", "pseudonym", "state", "created_at", "updated_at"}

// alreadyImported is the problem of a row whose number the campaign has.
const alreadyImported = "phone number is already imported in this campaign"

// ImportRecipientStream reads src to its end and stores its rows for the
// campaign in one transaction, with the "recipients.imported" audit event,
// as ImportCampaignRecipients does, holding only a few thousand rows in
// memory at a time. Rows are rejected for the problem src gives, a number
// that is not E.164, a number repeating an earlier row of the file, or one
// the campaign already has. Without partial any rejection makes an
// *panel.ImportError and nothing is stored; with it the good rows are
// stored. At most panel.MaxListedRejections rejections are listed (the
// first ones by row), the rest counted. An error of src ends the import
// with nothing stored and is returned as it is. ENOTFOUND, ECONFLICT for a
// campaign that takes no imports. It must not run inside InTx.
func (s *Store) ImportRecipientStream(ctx context.Context, campaignID int64, src panel.RecipientSource, partial bool) (panel.ImportResult, error) {
	if s.inTx {
		return panel.ImportResult{}, errors.New("store: ImportRecipientStream runs its own transaction; call it outside InTx")
	}
	var res panel.ImportResult
	err := s.pipelineTx(ctx, func(p pipeline, gdb *gorm.DB, commit func() error) error {
		if err := p.flush(ctx); err != nil { // BEGIN
			return translate(err, "transaction")
		}
		conn, ok := gdb.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return fmt.Errorf("store: connection is %T, not *sql.Conn", gdb.Statement.ConnPool)
		}
		tx := s.bind(gdb)
		c, err := tx.lockCampaign(ctx, campaignID)
		if err != nil {
			return err
		}
		if !panel.ImportsAllowed(c.State) {
			return panel.Errorf(panel.ECONFLICT, "campaign %d is %s; recipients can only be imported while it is a draft, sending or paused", campaignID, c.State)
		}
		im := &streamImport{s: tx, conn: conn, campaignID: campaignID, partial: partial, seen: map[uint64]int32{}, now: tx.clock()}
		if im.checkCampaign, err = tx.campaignHasRecipients(ctx, campaignID); err != nil {
			return err
		}
		if err := im.run(ctx, src); err != nil {
			return err
		}
		if im.rejected > 0 && !partial {
			return panel.NewImportErrorUnlisted(im.invalid, im.listed, im.rejected-len(im.listed))
		}
		res = panel.ImportResult{Imported: im.imported, Rejected: im.listed, RejectedUnlisted: im.rejected - len(im.listed)}
		if res.Rejected == nil {
			res.Rejected = []panel.RowError{}
		}
		if im.imported > 0 {
			cols := slices.Clone(src.Columns())
			slices.Sort(cols)
			err := tx.auditCampaign(ctx, campaignID, AuditRecipientsImported, map[string]any{
				"imported": im.imported, "rejected": im.rejected, "columns": cols,
			})
			if err != nil {
				return err
			}
		}
		return commit()
	})
	if err != nil {
		return panel.ImportResult{}, err
	}
	return res, nil
}

// streamImport is the state of one streamed import.
type streamImport struct {
	s             *Store
	conn          *sql.Conn
	campaignID    int64
	partial       bool
	checkCampaign bool             // the campaign had recipients before
	seen          map[uint64]int32 // phone number → its first row
	now           time.Time
	batch         []panel.RecipientInput // the batch being written
	pending       []panel.RowError       // rejections of the rows since the last flush
	listed        []panel.RowError
	rejected      int
	invalid       bool // some rejection is not a number the campaign has
	imported      int
}

// run reads src to its end in a goroutine of its own, which checks the
// rows and hands them over in batches of streamBatch good rows, while this
// one checks them against the campaign and writes them: reading and
// parsing the file overlap with the database's work.
func (im *streamImport) run(ctx context.Context, src panel.RecipientSource) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan readBatch, 1)
	var readErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(batches)
		readErr = im.read(ctx, src, batches)
	})
	var err error
	for b := range batches {
		if err == nil {
			im.batch, im.pending = b.rows, append(im.pending, b.rejected...)
			if err = im.flush(ctx); err != nil {
				cancel() // the reader stops; drain what it sent
			}
		}
	}
	wg.Wait()
	if err != nil {
		return err
	}
	return readErr
}

// readBatch is a batch of good rows and the rows rejected among them.
type readBatch struct {
	rows     []panel.RecipientInput
	rejected []panel.RowError
}

// read reads src to its end, sending a batch every streamBatch good rows
// and a last one at the end, until ctx is done.
func (im *streamImport) read(ctx context.Context, src panel.RecipientSource, out chan<- readBatch) error {
	b := readBatch{rows: make([]panel.RecipientInput, 0, streamBatch)}
	send := func() error {
		select {
		case out <- b:
			b = readBatch{rows: make([]panel.RecipientInput, 0, streamBatch)}
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		in, problem, err := src.Next()
		if errors.Is(err, io.EOF) {
			return send()
		}
		if err != nil {
			return err
		}
		if problem == "" {
			problem = im.check(in)
		}
		if problem != "" {
			b.rejected = append(b.rejected, panel.RowError{Row: in.Row, Error: problem})
			continue
		}
		b.rows = append(b.rows, in)
		if len(b.rows) == streamBatch {
			if err := send(); err != nil {
				return err
			}
		}
	}
}

// check returns the problem of a row src found good: a number that is not
// E.164 or repeats an earlier row.
func (im *streamImport) check(in panel.RecipientInput) string {
	key, ok := phoneKey(in.Phone)
	switch {
	case in.Phone == "":
		return "phone is required"
	case !ok:
		return "phone is not in E.164 form (+ and country code)"
	}
	if first, dup := im.seen[key]; dup {
		return fmt.Sprintf("phone number repeats row %d", first)
	}
	im.seen[key] = int32(min(in.Row, 1<<31-1))
	return ""
}

// phoneKey packs an E.164 number into an integer (15 digits at most fit),
// so that a million numbers take a few tens of megabytes to remember.
func phoneKey(p panel.Phone) (uint64, bool) {
	if !e164.MatchString(string(p)) {
		return 0, false
	}
	var k uint64
	for _, d := range []byte(p[1:]) {
		k = k*10 + uint64(d-'0')
	}
	return k, true
}

// flush rejects the batch's rows whose numbers the campaign already has,
// writes the rest (unless an all-or-nothing import has rejected a row, so
// that nothing will be stored anyway) and records the rejections in row
// order.
func (im *streamImport) flush(ctx context.Context) error {
	batch := im.batch
	if im.checkCampaign && len(batch) > 0 {
		have, err := im.s.existingPhones(ctx, im.conn, im.campaignID, batch)
		if err != nil {
			return err
		}
		kept := batch[:0]
		for _, in := range batch {
			if have[in.Phone] {
				im.pending = append(im.pending, panel.RowError{Row: in.Row, Error: alreadyImported})
				continue
			}
			kept = append(kept, in)
		}
		batch = kept
	}
	slices.SortFunc(im.pending, func(a, b panel.RowError) int { return cmp.Compare(a.Row, b.Row) })
	for _, re := range im.pending {
		im.rejected++
		im.invalid = im.invalid || re.Error != alreadyImported
		if len(im.listed) < panel.MaxListedRejections {
			im.listed = append(im.listed, re)
		}
	}
	im.pending = im.pending[:0]
	if len(batch) > 0 && (im.partial || im.rejected == 0) {
		if err := im.write(ctx, batch); err != nil {
			return err
		}
		im.imported += len(batch)
	}
	im.batch = im.batch[:0]
	return nil
}

// write inserts the rows with fresh pseudonyms.
func (im *streamImport) write(ctx context.Context, batch []panel.RecipientInput) error {
	random := make([]byte, pseudonymBytes*len(batch))
	if _, err := io.ReadFull(im.s.random, random); err != nil {
		return fmt.Errorf("store: read random pseudonym bytes: %w", err)
	}
	enc := tokenEncoding()
	values := make([]any, 0, len(recipientInsertColumns)*len(batch))
	rows := make([][]any, len(batch))
	for i, in := range batch {
		attrs, err := json.Marshal(nonNil(in.Attributes))
		if err != nil {
			return fmt.Errorf("store: encode recipient attributes: %w", err)
		}
		pseudonym := "r" + enc.EncodeToString(random[i*pseudonymBytes:(i+1)*pseudonymBytes])
		values = append(values, im.campaignID, string(in.Phone), string(attrs),
			pseudonym, panel.RecipientPending, im.now, im.now)
		rows[i] = values[len(values)-len(recipientInsertColumns):]
	}
	if err := im.s.drv.copyRows(ctx, im.conn, "recipients", recipientInsertColumns, rows); err != nil {
		return translate(im.s.drv.classify(err), "recipient")
	}
	return nil
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// campaignHasRecipients reports whether the campaign has any recipient:
// if not, no row of an import can repeat one.
func (s *Store) campaignHasRecipients(ctx context.Context, campaignID int64) (bool, error) {
	var n int64
	err := s.conn(ctx).Raw("SELECT COUNT(*) FROM (SELECT 1 FROM recipients WHERE campaign_id = ? LIMIT 1) AS r", campaignID).Scan(&n).Error
	if err != nil {
		return false, translate(err, "recipients")
	}
	return n > 0, nil
}

// existingPhones returns which of the rows' numbers the campaign has.
func (s *Store) existingPhones(ctx context.Context, conn *sql.Conn, campaignID int64, rows []panel.RecipientInput) (map[panel.Phone]bool, error) {
	phones := make([]string, len(rows))
	for i, in := range rows {
		phones[i] = string(in.Phone)
	}
	q := s.drv.rebind("SELECT phone FROM recipients WHERE campaign_id = ? AND " + s.drv.inList("phone"))
	r, err := conn.QueryContext(ctx, q, campaignID, s.drv.listParam(phones))
	if err != nil {
		return nil, translate(s.drv.classify(err), "recipients")
	}
	defer r.Close()
	have := map[panel.Phone]bool{}
	for r.Next() {
		var p string
		if err := r.Scan(&p); err != nil {
			return nil, translate(err, "recipients")
		}
		have[panel.Phone(p)] = true
	}
	if err := r.Err(); err != nil {
		return nil, translate(err, "recipients")
	}
	return have, nil
}
