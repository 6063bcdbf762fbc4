package draw

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/citizenspanel/panel/internal/columns"
	"github.com/citizenspanel/panel/internal/csvfile"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/phone"
)

// DefaultAddressColumns are the columns of a volunteer import read as the
// address when the caller names none (after package columns named them:
// Adresse, Gateadresse and the like read as address).
var DefaultAddressColumns = []string{columns.Address}

// ImportResult is the answer of a volunteer import.
type ImportResult struct {
	Imported int              `json:"imported"`
	Rejected []panel.RowError `json:"rejected"`
	// Columns says what each column of the file became.
	Columns []panel.ColumnAssignment `json:"columns"`
}

// ImportVolunteers reads a volunteer CSV (an id column, an optional phone
// column, optional address columns and one column per category; read by
// package csvfile, columns named by package columns and opts.Columns) and
// stores the rows as complete volunteers. Every row problem is collected
// (rows are file lines, the header being 1): an empty or repeated id, a
// phone that does not normalise, is not a mobile number or repeats, an
// empty category value, an id or phone the campaign has already. All or
// nothing (an *panel.ImportError) unless opts.Partial. opts.AddressColumns
// name the address columns; nil means DefaultAddressColumns where present.
// Addresses are kept only as a hash keyed by the campaign's record
// secret.
func (s *Service) ImportVolunteers(ctx context.Context, campaignID int64, r io.Reader, opts panel.ImportOptions) (ImportResult, error) {
	partial := opts.Partial
	rows, rejected, assigned, err := parseVolunteers(r, opts.AddressColumns, opts.Columns)
	if err != nil {
		return ImportResult{}, err
	}
	if rejected, err = s.mapImported(ctx, campaignID, rows, rejected); err != nil {
		return ImportResult{}, err
	}
	secret, err := s.store.RecordSecret(ctx, campaignID)
	if err != nil {
		return ImportResult{}, err
	}
	for i := range rows {
		if rows[i].HouseholdKey != "" {
			rows[i].HouseholdKey = householdHash(secret, rows[i].HouseholdKey)
		}
	}
	if len(rejected) > 0 && !partial {
		return ImportResult{}, panel.NewImportError(true, rejected)
	}
	bad := map[int]bool{}
	for _, r := range rejected {
		bad[r.Row] = true
	}
	var good []panel.VolunteerInput
	for _, in := range rows {
		if !bad[in.Row] {
			good = append(good, in)
		}
	}
	n, more, err := s.store.ImportVolunteers(ctx, campaignID, good, partial)
	if err != nil {
		return ImportResult{}, err
	}
	all := append(rejected, more...)
	slices.SortFunc(all, func(a, b panel.RowError) int { return a.Row - b.Row })
	if all == nil {
		all = []panel.RowError{}
	}
	return ImportResult{Imported: n, Rejected: all, Columns: assigned}, nil
}

// mapImported maps each row's values through the campaign's attribute
// rules (panel.MapImportedValues), as the SMS dialogue maps a volunteer's
// register columns, so that an imported "34" is the band "30-44" an SMS
// volunteer of that age has. A value the rules refuse is a problem of its
// row, added to rejected.
func (s *Service) mapImported(ctx context.Context, campaignID int64, rows []panel.VolunteerInput, rejected []panel.RowError) ([]panel.RowError, error) {
	dialogue, err := s.store.CampaignDialogue(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	at := map[int]int{} // row -> index in rejected
	for i, r := range rejected {
		at[r.Row] = i
	}
	refYear := s.cfg.Now().In(s.cfg.Location).Year()
	for i := range rows {
		values, err := panel.MapImportedValues(dialogue.Attributes, rows[i].Values, refYear)
		if err == nil {
			rows[i].Values = values
			continue
		}
		if j, ok := at[rows[i].Row]; ok {
			rejected[j].Error += "; " + panel.ErrorMessage(err)
		} else {
			at[rows[i].Row] = len(rejected)
			rejected = append(rejected, panel.RowError{Row: rows[i].Row, Error: panel.ErrorMessage(err)})
		}
	}
	slices.SortFunc(rejected, func(a, b panel.RowError) int { return a.Row - b.Row })
	return rejected, nil
}

// parseVolunteers reads the CSV into rows, the rows' problems and what
// each column became.
func parseVolunteers(r io.Reader, addressColumns []string, mapping panel.ColumnMapping) ([]panel.VolunteerInput, []panel.RowError, []panel.ColumnAssignment, error) {
	f, err := csvfile.Read(r)
	if err != nil {
		return nil, nil, nil, csvError(err)
	}
	header, assigned, err := columns.Resolve(f.Header, mapping)
	if err != nil {
		return nil, nil, nil, err
	}
	idCol, phoneCol := slices.Index(header, columns.ID), slices.Index(header, columns.Phone)
	if idCol < 0 {
		return nil, nil, nil, panel.Errorf(panel.EINVALID, "row 1: the header has no id column (got %s); name one id or give ?columns=id:YOUR_HEADER", strings.Join(f.Header, ","))
	}
	// findColumn matches a name given by the caller against the resolved
	// names and the headers as written.
	findColumn := func(name string) int {
		if i := slices.Index(header, strings.ToLower(strings.TrimSpace(name))); i >= 0 {
			return i
		}
		return slices.IndexFunc(f.Header, func(h string) bool { return columns.Fold(h) == columns.Fold(name) })
	}
	var addrCols []int
	if addressColumns == nil {
		for _, a := range DefaultAddressColumns {
			if i := findColumn(a); i >= 0 {
				addrCols = append(addrCols, i)
			}
		}
	} else {
		for _, a := range addressColumns {
			i := findColumn(a)
			if i < 0 {
				return nil, nil, nil, panel.Errorf(panel.EINVALID, "row 1: the address column %q is not in the header", a)
			}
			addrCols = append(addrCols, i)
		}
	}
	var catCols []int
	for i, h := range header {
		if h == "" {
			return nil, nil, nil, panel.Errorf(panel.EINVALID, "row 1: column %d has no name", i+1)
		}
		if i != idCol && i != phoneCol && !slices.Contains(addrCols, i) {
			catCols = append(catCols, i)
		}
	}
	if len(catCols) == 0 {
		return nil, nil, nil, panel.Errorf(panel.EINVALID, "row 1: the header has no category column besides id, phone and address")
	}
	var (
		rows     []panel.VolunteerInput
		rejected []panel.RowError
	)
	ids, phones := map[string]int{}, map[panel.Phone]int{}
	for _, row := range f.Rows {
		rowNum, rec := row.Line, row.Fields
		cell := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		in := panel.VolunteerInput{Row: rowNum, ExternalID: cell(idCol), Values: map[string]string{}}
		var problems []string
		if row.LongCell > 0 {
			problems = append(problems, csvfile.TooLong(columnName(header, f.Header, row.LongCell-1)))
		}
		switch {
		case in.ExternalID == "":
			problems = append(problems, "id is empty")
		case len(in.ExternalID) > 100:
			problems = append(problems, "id is longer than 100 characters")
		default:
			if first, dup := ids[in.ExternalID]; dup {
				problems = append(problems, fmt.Sprintf("id %q repeats row %d", in.ExternalID, first))
			} else {
				ids[in.ExternalID] = rowNum
			}
		}
		if raw := cell(phoneCol); raw != "" {
			p, mobile, err := phone.NormalizeMobile(raw, "")
			switch {
			case err != nil:
				problems = append(problems, "phone: "+panel.ErrorMessage(err))
			case !mobile:
				problems = append(problems, "phone: not a mobile number: it cannot receive SMS")
			default:
				if first, dup := phones[p]; dup {
					problems = append(problems, fmt.Sprintf("phone number repeats row %d", first))
				} else {
					phones[p], in.Phone = rowNum, p
				}
			}
		}
		for _, c := range catCols {
			v := cell(c)
			if v == "" {
				problems = append(problems, fmt.Sprintf("%s is empty", header[c]))
				continue
			}
			in.Values[header[c]] = strings.ToLower(v)
		}
		in.HouseholdKey = householdKey(rec, addrCols)
		if len(problems) > 0 {
			rejected = append(rejected, panel.RowError{Row: rowNum, Error: strings.Join(problems, "; ")})
		}
		rows = append(rows, in)
	}
	if len(rows) == 0 {
		return nil, nil, nil, panel.Errorf(panel.EINVALID, "the CSV has a header but no rows")
	}
	return rows, rejected, assigned, nil
}

// columnName names column i of a row: its resolved name, else its header
// as written, else its number (a row longer than the header).
func columnName(resolved, written []string, i int) string {
	switch {
	case i < len(resolved) && resolved[i] != "":
		return resolved[i]
	case i < len(written) && written[i] != "":
		return written[i]
	}
	return fmt.Sprintf("column %d", i+1)
}

// householdKey is the folded address cells joined (addressKey), "" when
// all are empty; ImportVolunteers stores only its keyed hash.
func householdKey(rec []string, cols []int) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		if c < len(rec) {
			parts[i] = rec[c]
		}
	}
	return addressKey(parts)
}

// csvError reports a file that cannot be read, with its line (as
// csvfile numbers lines, the header being line 1).
func csvError(err error) error {
	var ce *csvfile.Error
	if errors.As(err, &ce) {
		return panel.Errorf(panel.EINVALID, "%s", ce.Error()) // "line 2, column 6: ..."
	}
	return fmt.Errorf("read volunteers CSV: %w", err)
}
