// Package drawcli implements the "panel draw" and "panel verify" commands:
// flag parsing, reading the CSV files, running the sortition package and
// printing its results. cmd/panel dispatches to Draw and Verify; a returned
// error means exit status 1.
package drawcli

// Software is the software name and version written into draw records.
const Software = "panel v0.1.0"
