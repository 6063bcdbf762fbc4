package console

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/citizenspanel/panel/internal/csvfile"
	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/recipientcsv"
)

// previewRows is how many parsed rows the preview shows.
const previewRows = 10

// importPreview is what an uploaded file would import.
type importPreview struct {
	FileName string
	Content  string // the file as UTF-8 text, sent back on confirmation
	Columns  []previewColumn
	Rows     []previewRow
	Count    int
	Rejected []panel.RowError
	Nonce    string
}

// previewColumn is a column of the file and the role it plays.
type previewColumn struct {
	Name string
	Role string // "phone", "address" or "category" (a catalogue key suffix)
}

// previewRow is one parsed row.
type previewRow struct {
	Row    int
	Phone  string
	Values []string
}

// addressColumns are column names read as an address (households).
var addressColumns = map[string]bool{"address": true, "adresse": true, "household": true, "husstand": true}

// recipientsUpload reads an uploaded CSV and shows the preview. Nothing is
// stored: the file comes back with the confirmation.
func (c *Console) recipientsUpload(w http.ResponseWriter, r *http.Request) {
	d, ok := c.recipientsPageFor(w, r)
	if !ok {
		return
	}
	v := c.viewerFrom(r)
	r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBytes+64<<10)
	file, header, err := r.FormFile("file")
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		d.Error = v.L.T("recipients.too_large", MaxUploadBytes>>20)
		c.showRecipients(w, r, http.StatusRequestEntityTooLarge, d)
		return
	case err != nil:
		d.Error = v.L.T("recipients.no_file")
		c.showRecipients(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	defer file.Close()
	raw, err := io.ReadAll(io.LimitReader(file, MaxUploadBytes+1))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if len(raw) > MaxUploadBytes {
		d.Error = v.L.T("recipients.too_large", MaxUploadBytes>>20)
		c.showRecipients(w, r, http.StatusRequestEntityTooLarge, d)
		return
	}
	text, ok, err := csvText(header.Filename, raw)
	if ok && err != nil {
		if panel.ErrorCode(err) != panel.EINVALID {
			c.fail(w, r, err)
			return
		}
		d.Error = panel.ErrorMessage(err)
		c.showRecipients(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	if !ok {
		d.Error = v.L.T("recipients.not_csv")
		c.showRecipients(w, r, http.StatusUnsupportedMediaType, d)
		return
	}
	p, err := parsePreview(text)
	if err != nil {
		if panel.ErrorCode(err) != panel.EINVALID {
			c.fail(w, r, err)
			return
		}
		d.Error = panel.ErrorMessage(err)
		c.showRecipients(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	p.FileName, p.Nonce = header.Filename, c.nonce()
	p.Rejected = rowReasons(v.L, p.Rejected)
	d.Preview = p
	c.showRecipients(w, r, http.StatusOK, d)
}

// csvText returns the upload as UTF-8, comma-separated text (package
// csvfile decodes Windows-1252 and UTF-16 and sniffs the delimiter), or
// false when it does not have a .csv or .txt name. A file csvfile cannot
// read is an EINVALID error naming what is wrong.
func csvText(name string, raw []byte) (string, bool, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".csv" && ext != ".txt" {
		return "", false, nil
	}
	rd, err := csvfile.Transcode(bytes.NewReader(raw))
	var ce *csvfile.Error
	if errors.As(err, &ce) {
		return "", true, panel.Errorf(panel.EINVALID, "the file cannot be read: %s", ce.Error())
	}
	if err != nil {
		return "", true, err
	}
	text, err := io.ReadAll(rd)
	return string(text), true, err
}

// parsePreview parses text as the import will and keeps the first rows.
func parsePreview(text string) (*importPreview, error) {
	res, err := recipientcsv.Parse(strings.NewReader(text), "NO", nil)
	if err != nil {
		return nil, err
	}
	p := &importPreview{Content: text, Count: len(res.Rows), Rejected: res.Rejected}
	p.Columns = append(p.Columns, previewColumn{Name: recipientcsv.PhoneColumn, Role: "phone"})
	for _, col := range res.Columns {
		role := "category"
		if addressColumns[col] {
			role = "address"
		}
		p.Columns = append(p.Columns, previewColumn{Name: col, Role: role})
	}
	for i, in := range res.Rows {
		if i == previewRows {
			break
		}
		row := previewRow{Row: in.Row, Phone: string(in.Phone)}
		for _, col := range res.Columns {
			row.Values = append(row.Values, in.Attributes[col])
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}
