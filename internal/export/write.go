package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

// bom is UTF-8's byte order mark: Excel reads a CSV that starts with it as
// UTF-8 (without it, as the machine's legacy code page).
const bom = "\ufeff"

// e164 matches a phone number in E.164 form, which no spreadsheet runs as
// a formula.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// Neutralize returns s so that a spreadsheet shows it as text: a value
// starting with = + - @ (or a tab or carriage return) gets a leading
// apostrophe. A phone number in E.164 form is returned as it is.
func Neutralize(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) || e164.MatchString(s) {
		return s
	}
	return "'" + s
}

// writeCSV writes t as CSV with a byte order mark and CRLF line ends.
func writeCSV(w io.Writer, t *table, comma rune) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = comma, true
	if err := cw.Write(neutralized(t.header)); err != nil {
		return err
	}
	for _, r := range t.rows {
		if err := cw.Write(neutralized(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func neutralized(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = Neutralize(c)
	}
	return out
}

// writeXLSX writes t as one sheet named sheet: every cell a text cell, the
// header bold and frozen, an auto-filter over the columns.
func writeXLSX(w io.Writer, sheet string, t *table) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("export: xlsx sheet: %w", err)
	}
	put := func(n int, row []string) error {
		cells := make([]any, len(row))
		for i, c := range neutralized(row) {
			cells[i] = c
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return f.SetSheetRow(sheet, cell, &cells)
	}
	if err := put(1, t.header); err != nil {
		return fmt.Errorf("export: xlsx header: %w", err)
	}
	for i, r := range t.rows {
		if err := put(i+2, r); err != nil {
			return fmt.Errorf("export: xlsx row %d: %w", i+2, err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("export: xlsx style: %w", err)
	}
	if err := f.SetRowStyle(sheet, 1, 1, bold); err != nil {
		return fmt.Errorf("export: xlsx style: %w", err)
	}
	last, err := excelize.CoordinatesToCellName(len(t.header), len(t.rows)+1)
	if err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("export: xlsx filter: %w", err)
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("export: xlsx panes: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export: write xlsx: %w", err)
	}
	return nil
}
