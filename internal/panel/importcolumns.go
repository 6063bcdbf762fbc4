package panel

// ColumnMapping is an organiser's explicit naming of import columns: the
// name a column is read as (such as "phone" or "district") to the column's
// header in the file (such as "Tlf" or "Område"). Given with an import as
// ?columns=phone:Tlf,district:Område or as a JSON object.
type ColumnMapping map[string]string

// ColumnAssignment says what one column of an imported file became.
type ColumnAssignment struct {
	// Column is the header as written in the file.
	Column string `json:"column"`
	// As is the name the column is read as: "phone", "gender", "age",
	// "birth_year", "district", "education", "address", "postcode", "id",
	// or the header lower-cased for other register columns.
	As string `json:"as"`
	// By says why: "name" (the header is the name), "alias" (a name
	// organisers use, such as Mobil or Bydel) or "mapping" (the import's
	// columns parameter).
	By string `json:"by"`
}

// ImportOptions are the choices of a recipient or volunteer import.
type ImportOptions struct {
	// Partial stores the good rows and lists the bad ones; without it any
	// bad row rejects the whole file.
	Partial bool
	// Columns names columns explicitly, ahead of the recognised names.
	Columns ColumnMapping
	// AddressColumns name the columns that together identify a household
	// (volunteer import); nil means the "address" column when present.
	AddressColumns []string
}
