package draw

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/phone"
)

// DefaultAddressColumns are the columns of a volunteer import read as the
// address when the caller names none.
var DefaultAddressColumns = []string{"address", "adresse"}

// ImportResult is the answer of a volunteer import.
type ImportResult struct {
	Imported int              `json:"imported"`
	Rejected []panel.RowError `json:"rejected"`
}

// ImportVolunteers reads a volunteer CSV (an id column, an optional phone
// column, optional address columns and one column per category) and
// stores the rows as complete volunteers. Every row problem is collected
// (row 2 is the first data row): an empty or repeated id, a phone that does
// not normalise or repeats, an empty category value, an id or phone the
// campaign has already. All or nothing (an *panel.ImportError) unless
// partial. addressColumns name the address columns; nil means
// DefaultAddressColumns where present. Addresses are kept only as a hash.
func (s *Service) ImportVolunteers(ctx context.Context, campaignID int64, r io.Reader, addressColumns []string, partial bool) (ImportResult, error) {
	rows, rejected, err := parseVolunteers(r, addressColumns)
	if err != nil {
		return ImportResult{}, err
	}
	if rejected, err = s.mapImported(ctx, campaignID, rows, rejected); err != nil {
		return ImportResult{}, err
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
	return ImportResult{Imported: n, Rejected: all}, nil
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

// parseVolunteers reads the CSV into rows and the rows' problems.
func parseVolunteers(r io.Reader, addressColumns []string) ([]panel.VolunteerInput, []panel.RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, panel.Errorf(panel.EINVALID, "the CSV is empty: it needs a header row with an id column")
	}
	if err != nil {
		return nil, nil, csvError(err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")))
	}
	idCol, phoneCol := slices.Index(header, "id"), slices.Index(header, "phone")
	if idCol < 0 {
		return nil, nil, panel.Errorf(panel.EINVALID, "row 1: the header has no id column (got %s)", strings.Join(header, ","))
	}
	var addrCols []int
	if addressColumns == nil {
		for _, a := range DefaultAddressColumns {
			if i := slices.Index(header, a); i >= 0 {
				addrCols = append(addrCols, i)
			}
		}
	} else {
		for _, a := range addressColumns {
			i := slices.Index(header, strings.ToLower(strings.TrimSpace(a)))
			if i < 0 {
				return nil, nil, panel.Errorf(panel.EINVALID, "row 1: the address column %q is not in the header", a)
			}
			addrCols = append(addrCols, i)
		}
	}
	var catCols []int
	for i, h := range header {
		if h == "" {
			return nil, nil, panel.Errorf(panel.EINVALID, "row 1: column %d has no name", i+1)
		}
		if j := slices.Index(header, h); j != i {
			return nil, nil, panel.Errorf(panel.EINVALID, "row 1: column %q appears twice", h)
		}
		if i != idCol && i != phoneCol && !slices.Contains(addrCols, i) {
			catCols = append(catCols, i)
		}
	}
	if len(catCols) == 0 {
		return nil, nil, panel.Errorf(panel.EINVALID, "row 1: the header has no category column besides id, phone and address")
	}
	var (
		rows     []panel.VolunteerInput
		rejected []panel.RowError
	)
	ids, phones := map[string]int{}, map[panel.Phone]int{}
	for rowNum := 2; ; rowNum++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, csvError(err)
		}
		cell := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		if slices.IndexFunc(rec, func(c string) bool { return strings.TrimSpace(c) != "" }) < 0 {
			continue
		}
		in := panel.VolunteerInput{Row: rowNum, ExternalID: cell(idCol), Values: map[string]string{}}
		var problems []string
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
			p, err := phone.Normalize(raw, "")
			if err != nil {
				problems = append(problems, "phone: "+panel.ErrorMessage(err))
			} else if first, dup := phones[p]; dup {
				problems = append(problems, fmt.Sprintf("phone number repeats row %d", first))
			} else {
				phones[p], in.Phone = rowNum, p
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
		return nil, nil, panel.Errorf(panel.EINVALID, "the CSV has a header but no rows")
	}
	return rows, rejected, nil
}

// householdKey is a hash of the folded address cells, "" when all are
// empty (addressKey).
func householdKey(rec []string, cols []int) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		if c < len(rec) {
			parts[i] = rec[c]
		}
	}
	return addressKey(parts)
}

// csvError reports a CSV syntax error with its line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return panel.Errorf(panel.EINVALID, "row %d: not valid CSV: %s", pe.StartLine, pe.Err)
	}
	return fmt.Errorf("read volunteers CSV: %w", err)
}
