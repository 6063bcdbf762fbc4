package panel_test

import (
	"context"
	"testing"

	"github.com/citizenspanel/panel/internal/panel"
)

func TestActorTravelsInContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := panel.ActorFrom(ctx); ok {
		t.Fatal("got an actor from an empty context, want none")
	}
	if got := panel.ActorOrSystem(ctx); got != panel.SystemActor {
		t.Errorf("ActorOrSystem(empty) = %+v, want %+v", got, panel.SystemActor)
	}
	want := panel.Actor{Name: "kari", Role: panel.RoleOrganiser}
	ctx = panel.WithActor(ctx, want)
	if got, ok := panel.ActorFrom(ctx); !ok || got != want {
		t.Errorf("ActorFrom = %+v, %t; want %+v, true", got, ok, want)
	}
	if got := panel.ActorOrSystem(ctx); got != want {
		t.Errorf("ActorOrSystem = %+v, want %+v", got, want)
	}
}
