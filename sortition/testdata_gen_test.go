package sortition_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// updateTestdata rewrites the generated instances under testdata/.
var updateTestdata = flag.Bool("update-testdata", false, "rewrite testdata/ from the figures in testdata_gen_test.go")

// combination is how many respondents share one combination of category
// values (the values joined by "|", in the order of generatedInstance.columns).
type combination struct {
	count  int
	values string
}

// generatedInstance describes one test instance by its published figures:
// the quota table, and how many respondents share each combination of the
// values the quotas look at. For these instances the leximin result depends
// only on those counts (and on which respondents share a household), so a
// file with the same counts is equivalent for the draw; see testdata/SOURCES.md.
type generatedInstance struct {
	dir            string   // folder under testdata
	quotasFile     string   // quota file name
	peopleFile     string   // respondents file name
	idColumn       string   // id column written first; "" for none (row numbers)
	quotas         []string // the quota file's lines, header first
	columns        []string // the category columns of the respondents file
	addressColumns []string // columns that identify a household, if any
	combinations   []combination
	household      []string // combinations of the members of one shared household
}

// files renders the instance's quota and respondents files.
func (g generatedInstance) files() (map[string][]byte, error) {
	quotas := strings.Join(g.quotas, "\n") + "\n"
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := append([]string{}, g.columns...)
	header = append(header, g.addressColumns...)
	if g.idColumn != "" {
		header = append([]string{g.idColumn}, header...)
	}
	if err := w.Write(header); err != nil {
		return nil, err
	}
	row := 0
	write := func(values, address string) error {
		rec := strings.Split(values, "|")
		if len(rec) != len(g.columns) {
			return fmt.Errorf("%s: combination %q has %d values, want %d", g.dir, values, len(rec), len(g.columns))
		}
		for _, col := range g.addressColumns {
			if address == "" {
				rec = append(rec, fmt.Sprintf("%s %d", col, row))
			} else {
				rec = append(rec, address)
			}
		}
		if g.idColumn != "" {
			rec = append([]string{fmt.Sprintf("p%d", row)}, rec...)
		}
		row++
		return w.Write(rec)
	}
	for _, c := range g.combinations {
		for range c.count {
			if err := write(c.values, ""); err != nil {
				return nil, err
			}
		}
	}
	for _, values := range g.household {
		if err := write(values, "shared household 1"); err != nil {
			return nil, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return map[string][]byte{g.quotasFile: []byte(quotas), g.peopleFile: b.Bytes()}, nil
}

// TestTestdataIsGenerated checks that the instance files under testdata/ are
// exactly what the figures below generate; with -update-testdata it writes them:
//
//	go test ./sortition -run TestTestdataIsGenerated -update-testdata
func TestTestdataIsGenerated(t *testing.T) {
	for _, g := range generatedInstances {
		files, err := g.files()
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range files {
			path := filepath.Join("testdata", g.dir, name)
			if *updateTestdata {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read %s: %v", path, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from what its figures generate; run go test ./sortition -run TestTestdataIsGenerated -update-testdata", path)
			}
		}
	}
}

// generatedInstances are the figures of the published instances the tests
// and benchmarks use (sources in testdata/SOURCES.md).
var generatedInstances = []generatedInstance{
	{
		dir: "example_small_20", quotasFile: "categories.csv", peopleFile: "respondents.csv", idColumn: "",
		quotas: []string{
			"category,feature,min,max",
			"gender,female,9,20",
			"gender,male,9,20",
			"leaning,liberal,9,20",
			"leaning,conservative,9,20",
		},
		columns: []string{"gender", "leaning"},
		combinations: []combination{
			{1, "female|conservative"},
			{99, "female|liberal"},
			{100, "male|conservative"},
		},
	},
	{
		dir: "example_large_200", quotasFile: "categories.csv", peopleFile: "respondents.csv", idColumn: "",
		quotas: []string{
			"category,feature,min,max",
			"gender,female,99,200",
			"gender,male,99,200",
			"leaning,liberal,99,200",
			"leaning,conservative,99,200",
		},
		columns: []string{"gender", "leaning"},
		combinations: []combination{
			{1, "female|conservative"},
			{999, "female|liberal"},
			{1000, "male|conservative"},
		},
	},
	{
		dir: "fixture_150", quotasFile: "features.csv", peopleFile: "candidates.csv", idColumn: "nationbuilder_id",
		quotas: []string{
			"feature,value,min,max,min_flex,max_flex",
			"Gender,Female,11,12,0,12",
			"Gender,Male,10,11,0,12",
			"Gender,Non-binary or other,0,1,0,1",
			"age_bracket,0-15,0,0,0,0",
			"age_bracket,16-29,5,7,0,7",
			"age_bracket,30-44,5,7,0,7",
			"age_bracket,45-59,5,6,0,6",
			"age_bracket,60+,5,6,0,6",
			"edu_level,No qualifications,5,7,0,7",
			"edu_level,Level 1,5,7,0,7",
			"edu_level,Level 2 or 3,5,6,0,6",
			"edu_level,Level 4 and above,5,6,0,6",
			"geo_bucket,Central Scotland,3,5,0,5",
			"geo_bucket,Glasgow,3,5,0,5",
			"geo_bucket,Highlands and Islands,2,5,0,5",
			"geo_bucket,Lothian,3,5,0,5",
			"geo_bucket,Mid Scotland and Fife,3,5,0,5",
			"geo_bucket,North East Scotland,2,5,0,5",
			"geo_bucket,South Scotland,3,5,0,5",
			"geo_bucket,West Scotland,3,5,0,5",
		},
		columns:        []string{"Gender", "age_bracket", "geo_bucket", "edu_level"},
		addressColumns: []string{"primary_address1", "primary_zip"},
		combinations: []combination{
			{1, "Male|30-44|South Scotland|Level 4 and above"},
			{1, "Female|16-29|Lothian|Level 1"},
			{1, "Female|45-59|West Scotland|Level 2 or 3"},
			{2, "Male|30-44|Glasgow|Level 4 and above"},
			{1, "Female|45-59|South Scotland|Level 1"},
			{1, "Male|16-29|Mid Scotland and Fife|Level 2 or 3"},
			{1, "Female|30-44|Lothian|Level 1"},
			{2, "Male|30-44|Mid Scotland and Fife|Level 4 and above"},
			{2, "Female|45-59|Mid Scotland and Fife|Level 1"},
			{2, "Male|60+|North East Scotland|Level 1"},
			{2, "Male|45-59|Mid Scotland and Fife|Level 4 and above"},
			{3, "Male|16-29|Central Scotland|Level 2 or 3"},
			{1, "Male|45-59|Mid Scotland and Fife|No qualifications"},
			{3, "Male|16-29|Highlands and Islands|No qualifications"},
			{1, "Female|60+|Lothian|Level 1"},
			{1, "Male|16-29|North East Scotland|Level 1"},
			{2, "Female|45-59|Lothian|No qualifications"},
			{1, "Female|45-59|Mid Scotland and Fife|Level 2 or 3"},
			{1, "Female|16-29|Glasgow|Level 4 and above"},
			{1, "Male|60+|Highlands and Islands|No qualifications"},
			{2, "Female|30-44|West Scotland|Level 2 or 3"},
			{2, "Female|16-29|North East Scotland|Level 2 or 3"},
			{1, "Female|16-29|Highlands and Islands|Level 1"},
			{1, "Female|45-59|Highlands and Islands|No qualifications"},
			{1, "Male|45-59|South Scotland|Level 4 and above"},
			{1, "Male|16-29|Glasgow|Level 4 and above"},
			{1, "Male|16-29|Mid Scotland and Fife|No qualifications"},
			{2, "Male|60+|North East Scotland|Level 4 and above"},
			{1, "Female|60+|North East Scotland|Level 1"},
			{1, "Female|60+|Glasgow|Level 4 and above"},
			{1, "Male|60+|Highlands and Islands|Level 4 and above"},
			{2, "Male|16-29|West Scotland|Level 2 or 3"},
			{3, "Male|60+|Mid Scotland and Fife|No qualifications"},
			{3, "Female|60+|North East Scotland|Level 4 and above"},
			{1, "Male|30-44|Mid Scotland and Fife|No qualifications"},
			{1, "Female|60+|South Scotland|Level 1"},
			{3, "Female|45-59|Highlands and Islands|Level 1"},
			{1, "Male|16-29|Highlands and Islands|Level 1"},
			{1, "Male|16-29|Lothian|Level 1"},
			{1, "Female|60+|West Scotland|No qualifications"},
			{2, "Female|60+|Mid Scotland and Fife|No qualifications"},
			{2, "Female|45-59|South Scotland|No qualifications"},
			{1, "Female|16-29|South Scotland|No qualifications"},
			{1, "Female|30-44|Mid Scotland and Fife|No qualifications"},
			{1, "Male|60+|Mid Scotland and Fife|Level 2 or 3"},
			{1, "Female|30-44|Central Scotland|Level 2 or 3"},
			{1, "Male|60+|Highlands and Islands|Level 1"},
			{2, "Male|16-29|Highlands and Islands|Level 2 or 3"},
			{2, "Male|16-29|West Scotland|No qualifications"},
			{1, "Female|60+|Highlands and Islands|Level 2 or 3"},
			{1, "Male|45-59|West Scotland|Level 2 or 3"},
			{1, "Male|16-29|North East Scotland|Level 4 and above"},
			{1, "Male|45-59|South Scotland|No qualifications"},
			{1, "Male|30-44|Central Scotland|Level 4 and above"},
			{1, "Female|30-44|South Scotland|No qualifications"},
			{1, "Male|16-29|South Scotland|Level 4 and above"},
			{1, "Male|45-59|Lothian|Level 2 or 3"},
			{1, "Male|30-44|Highlands and Islands|No qualifications"},
			{1, "Male|60+|West Scotland|Level 4 and above"},
			{1, "Male|60+|Mid Scotland and Fife|Level 1"},
			{1, "Male|45-59|West Scotland|Level 1"},
			{1, "Female|30-44|Central Scotland|Level 4 and above"},
			{1, "Female|60+|West Scotland|Level 2 or 3"},
			{1, "Female|45-59|Mid Scotland and Fife|Level 4 and above"},
			{1, "Male|30-44|Highlands and Islands|Level 1"},
			{1, "Male|30-44|West Scotland|No qualifications"},
			{1, "Male|30-44|Central Scotland|No qualifications"},
			{2, "Female|16-29|Glasgow|Level 2 or 3"},
			{3, "Male|16-29|Mid Scotland and Fife|Level 1"},
			{1, "Female|45-59|Glasgow|Level 1"},
			{1, "Female|45-59|Lothian|Level 4 and above"},
			{2, "Female|60+|Glasgow|Level 1"},
			{1, "Male|45-59|Glasgow|Level 1"},
			{1, "Female|30-44|West Scotland|Level 1"},
			{1, "Male|60+|Central Scotland|No qualifications"},
			{1, "Male|30-44|Highlands and Islands|Level 4 and above"},
			{1, "Male|45-59|South Scotland|Level 1"},
			{1, "Female|45-59|North East Scotland|Level 1"},
			{1, "Female|30-44|Lothian|No qualifications"},
			{1, "Male|45-59|Lothian|No qualifications"},
			{1, "Male|16-29|Glasgow|Level 1"},
			{1, "Female|16-29|Lothian|Level 4 and above"},
			{1, "Male|60+|Glasgow|Level 1"},
			{1, "Female|60+|Highlands and Islands|Level 4 and above"},
			{1, "Female|60+|Glasgow|No qualifications"},
			{1, "Female|16-29|North East Scotland|Level 4 and above"},
			{1, "Male|60+|South Scotland|No qualifications"},
			{1, "Female|30-44|Central Scotland|Level 1"},
			{1, "Female|45-59|Highlands and Islands|Level 4 and above"},
			{1, "Female|45-59|West Scotland|Level 4 and above"},
			{1, "Male|60+|Central Scotland|Level 4 and above"},
			{1, "Male|30-44|North East Scotland|No qualifications"},
			{1, "Female|60+|Lothian|Level 2 or 3"},
			{1, "Male|16-29|Mid Scotland and Fife|Level 4 and above"},
			{1, "Female|16-29|Mid Scotland and Fife|Level 1"},
			{1, "Female|30-44|Glasgow|No qualifications"},
			{1, "Male|16-29|Lothian|Level 4 and above"},
			{1, "Female|60+|West Scotland|Level 4 and above"},
			{1, "Male|30-44|Lothian|Level 4 and above"},
			{1, "Female|30-44|Mid Scotland and Fife|Level 4 and above"},
			{1, "Female|45-59|North East Scotland|Level 4 and above"},
			{1, "Female|30-44|South Scotland|Level 1"},
			{1, "Female|16-29|Lothian|Level 2 or 3"},
			{1, "Male|30-44|Glasgow|No qualifications"},
			{1, "Female|60+|Central Scotland|Level 1"},
			{1, "Female|60+|Lothian|No qualifications"},
			{1, "Female|30-44|South Scotland|Level 4 and above"},
			{1, "Female|45-59|Central Scotland|Level 1"},
			{1, "Female|45-59|Lothian|Level 2 or 3"},
			{1, "Female|45-59|Lothian|Level 1"},
			{1, "Female|60+|Glasgow|Level 2 or 3"},
			{1, "Female|45-59|Glasgow|No qualifications"},
			{1, "Male|45-59|Central Scotland|Level 2 or 3"},
			{1, "Female|60+|Central Scotland|Level 4 and above"},
			{1, "Female|60+|South Scotland|Level 2 or 3"},
			{1, "Female|45-59|South Scotland|Level 2 or 3"},
			{1, "Male|16-29|Central Scotland|Level 4 and above"},
			{1, "Male|45-59|Glasgow|Level 2 or 3"},
			{1, "Female|16-29|Central Scotland|Level 4 and above"},
			{1, "Female|60+|Highlands and Islands|Level 1"},
			{1, "Female|60+|Highlands and Islands|No qualifications"},
			{1, "Male|45-59|West Scotland|Level 4 and above"},
		},
	},
	{
		dir: "newdemocracy_300", quotasFile: "categories.csv", peopleFile: "people.csv", idColumn: "id",
		quotas: []string{
			"category,name,min,max",
			"gender,Male,10,11",
			"gender,Female,9,10",
			"gender,Other,0,1",
			"age_bucket,18-24,2,2",
			"age_bucket,25-34,3,4",
			"age_bucket,35-44,3,4",
			"age_bucket,45-54,3,4",
			"age_bucket,55-64,3,4",
			"age_bucket,65+,4,5",
			"geo_bucket,Neighborhood Region 1,6,7",
			"geo_bucket,Neighborhood Region 2,6,7",
			"geo_bucket,Neighborhood Region 3,6,7",
			"Party Affiliation,Not Registered,2,3",
			"Party Affiliation,Democratic Party,6,8",
			"Party Affiliation,Independent Party,2,3",
			"Party Affiliation,Republican Party,6,8",
			"Party Affiliation,Non-Affiliated/Other,2,3",
			"home_status,Own,11,12",
			"home_status,Rent,8,9",
			"edu_bucket,Some schooling; no diploma,2,2",
			"edu_bucket,High school diploma or equivalent,2,3",
			"edu_bucket,Some college or Associate’s degree,7,7",
			"edu_bucket,Bachelors degree or higher,8,9",
			"ethnicity_bucket,Asian/PI,1,1",
			"ethnicity_bucket,Black-Af. Amer-Native Amer-AN-Other,1,1",
			"ethnicity_bucket,Hispanic/Latinx,2,2",
			"ethnicity_bucket,White,16,16",
		},
		columns: []string{"gender", "age_bucket", "geo_bucket", "Party Affiliation", "home_status", "edu_bucket", "ethnicity_bucket"},
		combinations: []combination{
			{1, "Female|55-64|Neighborhood Region 3|Independent Party|Own|High school diploma or equivalent|White"},
			{2, "Male|55-64|Neighborhood Region 2|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|65+|Neighborhood Region 2|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Male|55-64|Neighborhood Region 1|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|25-34|Neighborhood Region 3|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|18-24|Neighborhood Region 3|Non-Affiliated/Other|Rent|Bachelors degree or higher|White"},
			{1, "Male|18-24|Neighborhood Region 1|Democratic Party|Rent|Some schooling; no diploma|White"},
			{1, "Male|25-34|Neighborhood Region 1|Democratic Party|Rent|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Male|65+|Neighborhood Region 1|Non-Affiliated/Other|Rent|Some college or Associate’s degree|White"},
			{1, "Male|45-54|Neighborhood Region 1|Independent Party|Own|Some college or Associate’s degree|White"},
			{2, "Male|65+|Neighborhood Region 1|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 2|Not Registered|Rent|Some schooling; no diploma|White"},
			{3, "Female|25-34|Neighborhood Region 1|Republican Party|Rent|Some college or Associate’s degree|White"},
			{2, "Male|18-24|Neighborhood Region 1|Democratic Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|35-44|Neighborhood Region 2|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|65+|Neighborhood Region 2|Democratic Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|18-24|Neighborhood Region 1|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|45-54|Neighborhood Region 2|Independent Party|Own|Bachelors degree or higher|White"},
			{1, "Female|65+|Neighborhood Region 1|Independent Party|Rent|Some college or Associate’s degree|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Female|35-44|Neighborhood Region 1|Not Registered|Own|Some college or Associate’s degree|Asian/PI"},
			{1, "Male|45-54|Neighborhood Region 1|Democratic Party|Rent|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Male|35-44|Neighborhood Region 2|Not Registered|Own|Some college or Associate’s degree|White"},
			{1, "Male|55-64|Neighborhood Region 3|Independent Party|Own|Some college or Associate’s degree|White"},
			{2, "Female|55-64|Neighborhood Region 1|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|55-64|Neighborhood Region 1|Republican Party|Own|High school diploma or equivalent|White"},
			{2, "Male|65+|Neighborhood Region 3|Not Registered|Own|Bachelors degree or higher|White"},
			{1, "Male|18-24|Neighborhood Region 3|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|45-54|Neighborhood Region 1|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|55-64|Neighborhood Region 1|Independent Party|Rent|High school diploma or equivalent|Asian/PI"},
			{1, "Male|18-24|Neighborhood Region 1|Independent Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|35-44|Neighborhood Region 3|Republican Party|Own|High school diploma or equivalent|White"},
			{1, "Male|55-64|Neighborhood Region 1|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|35-44|Neighborhood Region 3|Not Registered|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 1|Not Registered|Own|Some schooling; no diploma|White"},
			{1, "Female|35-44|Neighborhood Region 2|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|65+|Neighborhood Region 1|Independent Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|25-34|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Male|45-54|Neighborhood Region 2|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|45-54|Neighborhood Region 1|Independent Party|Rent|Bachelors degree or higher|White"},
			{2, "Male|45-54|Neighborhood Region 3|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 3|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|18-24|Neighborhood Region 3|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|55-64|Neighborhood Region 2|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|45-54|Neighborhood Region 1|Non-Affiliated/Other|Rent|Bachelors degree or higher|White"},
			{1, "Male|25-34|Neighborhood Region 1|Non-Affiliated/Other|Rent|High school diploma or equivalent|White"},
			{1, "Female|55-64|Neighborhood Region 3|Democratic Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 3|Non-Affiliated/Other|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Male|35-44|Neighborhood Region 2|Democratic Party|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Female|65+|Neighborhood Region 2|Not Registered|Own|Some college or Associate’s degree|White"},
			{1, "Male|65+|Neighborhood Region 3|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|25-34|Neighborhood Region 1|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 3|Non-Affiliated/Other|Own|Some schooling; no diploma|White"},
			{1, "Male|25-34|Neighborhood Region 3|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Male|35-44|Neighborhood Region 2|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|65+|Neighborhood Region 2|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 1|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 1|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{1, "Male|18-24|Neighborhood Region 2|Independent Party|Own|Some college or Associate’s degree|Asian/PI"},
			{1, "Female|55-64|Neighborhood Region 3|Not Registered|Own|Bachelors degree or higher|White"},
			{1, "Male|45-54|Neighborhood Region 2|Non-Affiliated/Other|Rent|Some college or Associate’s degree|White"},
			{1, "Male|55-64|Neighborhood Region 2|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 1|Not Registered|Rent|Some schooling; no diploma|White"},
			{1, "Male|65+|Neighborhood Region 2|Independent Party|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Female|18-24|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 3|Not Registered|Own|Some college or Associate’s degree|White"},
			{3, "Male|35-44|Neighborhood Region 3|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Male|65+|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Male|35-44|Neighborhood Region 3|Democratic Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|55-64|Neighborhood Region 2|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|45-54|Neighborhood Region 2|Republican Party|Rent|High school diploma or equivalent|White"},
			{1, "Female|65+|Neighborhood Region 1|Democratic Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|55-64|Neighborhood Region 2|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 1|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Male|35-44|Neighborhood Region 1|Democratic Party|Rent|High school diploma or equivalent|White"},
			{1, "Female|45-54|Neighborhood Region 1|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|35-44|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|White"},
			{2, "Male|55-64|Neighborhood Region 3|Democratic Party|Own|Some schooling; no diploma|White"},
			{1, "Other|55-64|Neighborhood Region 3|Democratic Party|Rent|Bachelors degree or higher|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Female|65+|Neighborhood Region 2|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|45-54|Neighborhood Region 1|Democratic Party|Rent|Some schooling; no diploma|White"},
			{1, "Female|18-24|Neighborhood Region 2|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|35-44|Neighborhood Region 1|Non-Affiliated/Other|Own|Some college or Associate’s degree|Asian/PI"},
			{1, "Female|25-34|Neighborhood Region 2|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 2|Republican Party|Rent|High school diploma or equivalent|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Male|45-54|Neighborhood Region 1|Independent Party|Own|Bachelors degree or higher|White"},
			{1, "Male|65+|Neighborhood Region 3|Democratic Party|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Male|25-34|Neighborhood Region 3|Not Registered|Own|Some college or Associate’s degree|Hispanic/Latinx"},
			{1, "Male|55-64|Neighborhood Region 3|Republican Party|Own|High school diploma or equivalent|White"},
			{1, "Male|55-64|Neighborhood Region 2|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Other|25-34|Neighborhood Region 3|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|35-44|Neighborhood Region 2|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Other|25-34|Neighborhood Region 1|Independent Party|Rent|Some schooling; no diploma|White"},
			{1, "Male|55-64|Neighborhood Region 3|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 2|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Female|65+|Neighborhood Region 3|Republican Party|Rent|High school diploma or equivalent|White"},
			{1, "Female|55-64|Neighborhood Region 2|Independent Party|Rent|Bachelors degree or higher|White"},
			{3, "Female|65+|Neighborhood Region 1|Republican Party|Own|Bachelors degree or higher|White"},
			{2, "Male|25-34|Neighborhood Region 1|Independent Party|Own|Bachelors degree or higher|White"},
			{1, "Male|65+|Neighborhood Region 2|Democratic Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|45-54|Neighborhood Region 1|Independent Party|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Male|65+|Neighborhood Region 3|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|18-24|Neighborhood Region 3|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 2|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|65+|Neighborhood Region 1|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|45-54|Neighborhood Region 3|Not Registered|Own|High school diploma or equivalent|White"},
			{2, "Female|35-44|Neighborhood Region 2|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|18-24|Neighborhood Region 2|Democratic Party|Own|Some college or Associate’s degree|Asian/PI"},
			{1, "Male|25-34|Neighborhood Region 3|Not Registered|Own|Some college or Associate’s degree|Asian/PI"},
			{1, "Female|18-24|Neighborhood Region 3|Republican Party|Own|Some college or Associate’s degree|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Other|45-54|Neighborhood Region 1|Independent Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|65+|Neighborhood Region 2|Independent Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|65+|Neighborhood Region 1|Republican Party|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Female|35-44|Neighborhood Region 3|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 1|Independent Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|65+|Neighborhood Region 3|Not Registered|Rent|Bachelors degree or higher|White"},
			{1, "Male|55-64|Neighborhood Region 2|Independent Party|Rent|Some schooling; no diploma|White"},
			{1, "Other|45-54|Neighborhood Region 3|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|18-24|Neighborhood Region 3|Independent Party|Own|High school diploma or equivalent|White"},
			{1, "Female|65+|Neighborhood Region 3|Not Registered|Rent|Some college or Associate’s degree|White"},
			{1, "Female|45-54|Neighborhood Region 1|Non-Affiliated/Other|Rent|Some college or Associate’s degree|White"},
			{1, "Female|25-34|Neighborhood Region 3|Democratic Party|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Male|55-64|Neighborhood Region 2|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{1, "Female|45-54|Neighborhood Region 2|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|65+|Neighborhood Region 2|Republican Party|Own|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Other|18-24|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Male|35-44|Neighborhood Region 1|Republican Party|Own|Bachelors degree or higher|White"},
			{3, "Female|45-54|Neighborhood Region 3|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|55-64|Neighborhood Region 3|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{1, "Female|55-64|Neighborhood Region 3|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|55-64|Neighborhood Region 1|Non-Affiliated/Other|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{2, "Female|55-64|Neighborhood Region 1|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|45-54|Neighborhood Region 2|Democratic Party|Own|Some schooling; no diploma|Asian/PI"},
			{1, "Male|65+|Neighborhood Region 3|Not Registered|Rent|Some college or Associate’s degree|Hispanic/Latinx"},
			{2, "Male|65+|Neighborhood Region 3|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Male|25-34|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 3|Republican Party|Own|Some schooling; no diploma|White"},
			{1, "Male|25-34|Neighborhood Region 1|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|45-54|Neighborhood Region 3|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Female|55-64|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 3|Democratic Party|Own|Some schooling; no diploma|Hispanic/Latinx"},
			{1, "Male|35-44|Neighborhood Region 3|Democratic Party|Own|Some schooling; no diploma|Hispanic/Latinx"},
			{1, "Male|35-44|Neighborhood Region 1|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|45-54|Neighborhood Region 3|Democratic Party|Own|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Male|35-44|Neighborhood Region 1|Not Registered|Own|High school diploma or equivalent|White"},
			{1, "Male|55-64|Neighborhood Region 2|Non-Affiliated/Other|Rent|High school diploma or equivalent|White"},
			{1, "Male|65+|Neighborhood Region 3|Democratic Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|18-24|Neighborhood Region 3|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Female|55-64|Neighborhood Region 2|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|35-44|Neighborhood Region 1|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{1, "Male|65+|Neighborhood Region 2|Not Registered|Rent|High school diploma or equivalent|Asian/PI"},
			{1, "Female|65+|Neighborhood Region 3|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|45-54|Neighborhood Region 2|Non-Affiliated/Other|Rent|Some schooling; no diploma|Hispanic/Latinx"},
			{1, "Female|25-34|Neighborhood Region 2|Republican Party|Rent|Some schooling; no diploma|White"},
			{1, "Male|55-64|Neighborhood Region 3|Republican Party|Own|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Female|35-44|Neighborhood Region 2|Not Registered|Own|Some college or Associate’s degree|White"},
			{1, "Male|25-34|Neighborhood Region 1|Democratic Party|Own|Some college or Associate’s degree|Hispanic/Latinx"},
			{1, "Male|35-44|Neighborhood Region 2|Democratic Party|Own|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Female|35-44|Neighborhood Region 2|Non-Affiliated/Other|Rent|Bachelors degree or higher|White"},
			{1, "Female|55-64|Neighborhood Region 2|Not Registered|Rent|High school diploma or equivalent|White"},
			{1, "Male|25-34|Neighborhood Region 2|Independent Party|Own|Bachelors degree or higher|White"},
			{1, "Male|18-24|Neighborhood Region 1|Non-Affiliated/Other|Rent|Some college or Associate’s degree|White"},
			{1, "Male|25-34|Neighborhood Region 2|Non-Affiliated/Other|Own|Some college or Associate’s degree|White"},
			{1, "Female|25-34|Neighborhood Region 1|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|45-54|Neighborhood Region 3|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|18-24|Neighborhood Region 1|Non-Affiliated/Other|Own|Some college or Associate’s degree|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Other|35-44|Neighborhood Region 2|Democratic Party|Own|Bachelors degree or higher|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Male|25-34|Neighborhood Region 3|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{2, "Male|65+|Neighborhood Region 1|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|45-54|Neighborhood Region 3|Non-Affiliated/Other|Rent|Some college or Associate’s degree|White"},
			{1, "Female|25-34|Neighborhood Region 3|Not Registered|Own|Some schooling; no diploma|White"},
			{1, "Male|65+|Neighborhood Region 2|Not Registered|Rent|Some college or Associate’s degree|White"},
			{1, "Female|65+|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Male|45-54|Neighborhood Region 3|Democratic Party|Rent|Some schooling; no diploma|White"},
			{1, "Male|25-34|Neighborhood Region 3|Republican Party|Rent|Some college or Associate’s degree|Asian/PI"},
			{1, "Female|35-44|Neighborhood Region 1|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|55-64|Neighborhood Region 2|Not Registered|Rent|High school diploma or equivalent|White"},
			{1, "Male|35-44|Neighborhood Region 2|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Female|55-64|Neighborhood Region 3|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Other|65+|Neighborhood Region 3|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|35-44|Neighborhood Region 1|Non-Affiliated/Other|Own|Some college or Associate’s degree|White"},
			{1, "Male|25-34|Neighborhood Region 2|Independent Party|Rent|Some college or Associate’s degree|Asian/PI"},
			{1, "Female|35-44|Neighborhood Region 2|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|65+|Neighborhood Region 2|Republican Party|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{2, "Female|35-44|Neighborhood Region 1|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|25-34|Neighborhood Region 2|Democratic Party|Own|High school diploma or equivalent|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Male|25-34|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|Asian/PI"},
			{1, "Female|65+|Neighborhood Region 1|Not Registered|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 3|Not Registered|Rent|Some college or Associate’s degree|White"},
			{3, "Male|35-44|Neighborhood Region 3|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Male|25-34|Neighborhood Region 3|Independent Party|Rent|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Male|45-54|Neighborhood Region 1|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{1, "Female|45-54|Neighborhood Region 1|Republican Party|Rent|High school diploma or equivalent|White"},
			{1, "Female|55-64|Neighborhood Region 1|Republican Party|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Female|25-34|Neighborhood Region 3|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Female|65+|Neighborhood Region 3|Non-Affiliated/Other|Rent|Bachelors degree or higher|White"},
			{1, "Female|45-54|Neighborhood Region 2|Not Registered|Rent|Some college or Associate’s degree|White"},
			{1, "Male|65+|Neighborhood Region 2|Democratic Party|Rent|High school diploma or equivalent|White"},
			{1, "Male|65+|Neighborhood Region 2|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{1, "Female|35-44|Neighborhood Region 2|Not Registered|Rent|Some college or Associate’s degree|White"},
			{1, "Female|45-54|Neighborhood Region 3|Independent Party|Own|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Male|55-64|Neighborhood Region 1|Democratic Party|Own|High school diploma or equivalent|White"},
			{1, "Female|35-44|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Female|35-44|Neighborhood Region 3|Democratic Party|Own|Some schooling; no diploma|White"},
			{1, "Male|45-54|Neighborhood Region 3|Democratic Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|18-24|Neighborhood Region 2|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|65+|Neighborhood Region 3|Republican Party|Own|Some schooling; no diploma|White"},
			{1, "Female|25-34|Neighborhood Region 2|Non-Affiliated/Other|Rent|High school diploma or equivalent|White"},
			{1, "Female|55-64|Neighborhood Region 3|Republican Party|Own|Bachelors degree or higher|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Male|65+|Neighborhood Region 1|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|25-34|Neighborhood Region 1|Republican Party|Own|High school diploma or equivalent|White"},
			{1, "Male|65+|Neighborhood Region 1|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 1|Not Registered|Rent|Bachelors degree or higher|White"},
			{1, "Male|25-34|Neighborhood Region 2|Democratic Party|Own|High school diploma or equivalent|White"},
			{3, "Male|45-54|Neighborhood Region 2|Democratic Party|Own|Some college or Associate’s degree|White"},
			{2, "Female|35-44|Neighborhood Region 3|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|65+|Neighborhood Region 3|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Other|65+|Neighborhood Region 2|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|25-34|Neighborhood Region 3|Non-Affiliated/Other|Own|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 3|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|25-34|Neighborhood Region 1|Democratic Party|Own|Some college or Associate’s degree|Asian/PI"},
			{1, "Male|25-34|Neighborhood Region 2|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Male|25-34|Neighborhood Region 3|Not Registered|Own|Bachelors degree or higher|White"},
			{1, "Male|45-54|Neighborhood Region 2|Non-Affiliated/Other|Rent|High school diploma or equivalent|Asian/PI"},
			{1, "Female|65+|Neighborhood Region 1|Republican Party|Own|Some schooling; no diploma|White"},
			{1, "Male|65+|Neighborhood Region 1|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Male|55-64|Neighborhood Region 1|Independent Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 1|Democratic Party|Rent|High school diploma or equivalent|White"},
			{1, "Female|45-54|Neighborhood Region 3|Democratic Party|Own|Some schooling; no diploma|White"},
			{1, "Female|18-24|Neighborhood Region 2|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|45-54|Neighborhood Region 3|Independent Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|65+|Neighborhood Region 3|Republican Party|Rent|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Female|35-44|Neighborhood Region 1|Independent Party|Own|Bachelors degree or higher|White"},
			{1, "Male|65+|Neighborhood Region 2|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|45-54|Neighborhood Region 1|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|25-34|Neighborhood Region 1|Republican Party|Own|Bachelors degree or higher|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Female|25-34|Neighborhood Region 1|Democratic Party|Rent|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Male|55-64|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Other|18-24|Neighborhood Region 2|Not Registered|Rent|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 3|Not Registered|Own|Bachelors degree or higher|White"},
			{1, "Male|45-54|Neighborhood Region 1|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|18-24|Neighborhood Region 3|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Other|65+|Neighborhood Region 2|Democratic Party|Own|Some schooling; no diploma|White"},
			{2, "Female|18-24|Neighborhood Region 2|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|35-44|Neighborhood Region 2|Republican Party|Own|High school diploma or equivalent|White"},
			{1, "Male|55-64|Neighborhood Region 2|Republican Party|Rent|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Male|18-24|Neighborhood Region 2|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 1|Democratic Party|Own|Bachelors degree or higher|White"},
			{1, "Female|55-64|Neighborhood Region 3|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Male|65+|Neighborhood Region 3|Independent Party|Own|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Male|45-54|Neighborhood Region 2|Republican Party|Own|Bachelors degree or higher|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Female|55-64|Neighborhood Region 2|Not Registered|Rent|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Female|25-34|Neighborhood Region 3|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|18-24|Neighborhood Region 2|Not Registered|Own|Some college or Associate’s degree|White"},
			{1, "Female|45-54|Neighborhood Region 3|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 1|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{1, "Male|18-24|Neighborhood Region 2|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|45-54|Neighborhood Region 1|Non-Affiliated/Other|Own|Bachelors degree or higher|White"},
			{1, "Male|25-34|Neighborhood Region 3|Democratic Party|Own|Some schooling; no diploma|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Male|45-54|Neighborhood Region 2|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|18-24|Neighborhood Region 1|Not Registered|Own|Some schooling; no diploma|Asian/PI"},
			{1, "Female|45-54|Neighborhood Region 1|Independent Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|18-24|Neighborhood Region 3|Non-Affiliated/Other|Rent|Some college or Associate’s degree|Hispanic/Latinx"},
			{1, "Other|35-44|Neighborhood Region 2|Democratic Party|Own|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Male|35-44|Neighborhood Region 3|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Other|18-24|Neighborhood Region 3|Republican Party|Own|High school diploma or equivalent|White"},
			{1, "Female|45-54|Neighborhood Region 2|Democratic Party|Own|High school diploma or equivalent|White"},
			{1, "Female|55-64|Neighborhood Region 2|Non-Affiliated/Other|Rent|Some college or Associate’s degree|White"},
			{1, "Male|35-44|Neighborhood Region 3|Non-Affiliated/Other|Own|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 1|Democratic Party|Own|High school diploma or equivalent|White"},
			{1, "Female|45-54|Neighborhood Region 2|Non-Affiliated/Other|Rent|Bachelors degree or higher|White"},
			{1, "Female|18-24|Neighborhood Region 1|Republican Party|Own|Some schooling; no diploma|White"},
			{1, "Male|55-64|Neighborhood Region 2|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Female|65+|Neighborhood Region 1|Republican Party|Rent|Some college or Associate’s degree|White"},
		},
	},
	{
		dir: "newdemocracy_households_29", quotasFile: "categories.csv", peopleFile: "people.csv", idColumn: "id",
		quotas: []string{
			"category,name,min,max",
			"gender,Male,5,6",
			"gender,Female,5,6",
			"gender,Other,0,1",
			"age_bucket,18-24,3,4",
			"age_bucket,25-34,3,4",
			"age_bucket,35-44,0,1",
			"age_bucket,45-54,0,1",
			"age_bucket,55-64,2,3",
			"age_bucket,65+,2,6",
			"geo_bucket,Neighborhood Region 1,2,4",
			"geo_bucket,Neighborhood Region 2,2,4",
			"geo_bucket,Neighborhood Region 3,2,4",
			"Party Affiliation,Not Registered,0,2",
			"Party Affiliation,Democratic Party,3,5",
			"Party Affiliation,Independent Party,0,2",
			"Party Affiliation,Republican Party,3,5",
			"Party Affiliation,Non-Affiliated/Other,0,3",
			"home_status,Own,5,6",
			"home_status,Rent,5,6",
			"edu_bucket,Some schooling; no diploma,1,1",
			"edu_bucket,High school diploma or equivalent,1,2",
			"edu_bucket,Some college or Associate’s degree,7,8",
			"edu_bucket,Bachelors degree or higher,1,5",
			"ethnicity_bucket,Asian/PI,0,2",
			"ethnicity_bucket,Black-Af. Amer-Native Amer-AN-Other,0,2",
			"ethnicity_bucket,Hispanic/Latinx,0,2",
			"ethnicity_bucket,White,7,10",
		},
		columns:        []string{"gender", "age_bucket", "geo_bucket", "Party Affiliation", "home_status", "edu_bucket", "ethnicity_bucket"},
		addressColumns: []string{"primary_address1"},
		combinations: []combination{
			{1, "Male|18-24|Neighborhood Region 1|Independent Party|Own|High school diploma or equivalent|White"},
			{1, "Male|18-24|Neighborhood Region 2|Democratic Party|Rent|Bachelors degree or higher|White"},
			{1, "Male|18-24|Neighborhood Region 3|Republican Party|Own|Bachelors degree or higher|White"},
			{1, "Male|25-34|Neighborhood Region 1|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|25-34|Neighborhood Region 2|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|25-34|Neighborhood Region 3|Non-Affiliated/Other|Rent|Bachelors degree or higher|White"},
			{1, "Male|35-44|Neighborhood Region 1|Democratic Party|Rent|Some schooling; no diploma|White"},
			{1, "Male|35-44|Neighborhood Region 2|Democratic Party|Rent|Bachelors degree or higher|Hispanic/Latinx"},
			{1, "Male|45-54|Neighborhood Region 3|Non-Affiliated/Other|Rent|Some college or Associate’s degree|White"},
			{1, "Male|45-54|Neighborhood Region 1|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Male|55-64|Neighborhood Region 2|Democratic Party|Rent|Some college or Associate’s degree|White"},
			{1, "Male|55-64|Neighborhood Region 3|Not Registered|Rent|Some schooling; no diploma|White"},
			{1, "Male|65+|Neighborhood Region 1|Republican Party|Rent|Some college or Associate’s degree|White"},
			{1, "Female|18-24|Neighborhood Region 2|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|18-24|Neighborhood Region 3|Independent Party|Own|Bachelors degree or higher|White"},
			{1, "Female|25-34|Neighborhood Region 1|Independent Party|Rent|Some college or Associate’s degree|Black-Af. Amer-Native Amer-AN-Other"},
			{1, "Female|25-34|Neighborhood Region 2|Not Registered|Own|Some college or Associate’s degree|Asian/PI"},
			{1, "Female|25-34|Neighborhood Region 3|Democratic Party|Rent|High school diploma or equivalent|Hispanic/Latinx"},
			{1, "Female|35-44|Neighborhood Region 1|Not Registered|Own|Some college or Associate’s degree|White"},
			{1, "Female|35-44|Neighborhood Region 2|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|45-54|Neighborhood Region 3|Independent Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|45-54|Neighborhood Region 1|Republican Party|Own|High school diploma or equivalent|White"},
			{1, "Female|55-64|Neighborhood Region 2|Not Registered|Own|Bachelors degree or higher|White"},
			{1, "Female|55-64|Neighborhood Region 3|Republican Party|Own|Some college or Associate’s degree|White"},
			{1, "Female|65+|Neighborhood Region 1|Republican Party|Rent|Bachelors degree or higher|White"},
			{1, "Female|65+|Neighborhood Region 2|Independent Party|Rent|High school diploma or equivalent|Asian/PI"},
		},
		household: []string{
			"Male|65+|Neighborhood Region 2|Democratic Party|Own|Some college or Associate’s degree|White",
			"Male|65+|Neighborhood Region 3|Republican Party|Own|Some college or Associate’s degree|White",
			"Female|18-24|Neighborhood Region 1|Democratic Party|Own|Some college or Associate’s degree|White",
		},
	},
}
