package httpapi

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// onlyReader hides the length of a reader so the client sends it chunked.
type onlyReader struct{ io.Reader }

func TestBodyLimit(t *testing.T) {
	big := `{"name":"` + strings.Repeat("x", int(DefaultBodyLimit)) + `","invitation_text":"t"}`
	upload := strings.Repeat("y", 2<<20)
	tests := []struct {
		name       string
		path       string
		body       io.Reader
		wantStatus int
	}{
		{"declared length over 1 MiB", "/api/v1/campaigns", strings.NewReader(big), 413},
		{"chunked body over 1 MiB", "/api/v1/campaigns", onlyReader{strings.NewReader(big)}, 413},
		{"upload route accepts 2 MiB", "/test/upload", strings.NewReader(upload), 200},
		{"upload route accepts 2 MiB chunked", "/test/upload", onlyReader{strings.NewReader(upload)}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, func(s *Server) {
				s.engine.POST("/test/upload", s.handle(func(c *gin.Context) error {
					n, err := io.Copy(io.Discard, c.Request.Body)
					if err != nil {
						return err
					}
					c.JSON(http.StatusOK, gin.H{"read": n})
					return nil
				}))
				s.setBodyLimit("POST", "/test/upload", UploadBodyLimit)
			})
			r := e.do(t, "POST", tt.path, organiserToken, tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (body %.200s)", r.status, tt.wantStatus, r.body)
			}
			if tt.wantStatus == 413 {
				if got := r.errorBody(t).Code; got != codeTooLarge {
					t.Errorf("code: got %q, want %q", got, codeTooLarge)
				}
				if len(e.campaigns.byID) != 0 {
					t.Errorf("got %d campaigns stored, want 0", len(e.campaigns.byID))
				}
			}
		})
	}
}
