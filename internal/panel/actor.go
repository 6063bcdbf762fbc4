package panel

import "context"

// actorKey is the context key under which the acting Actor travels.
type actorKey struct{}

// SystemActor is the actor of work no person started (scheduled jobs,
// background senders) and of calls that carry no actor.
var SystemActor = Actor{Name: "system", Role: "system"}

// WithActor returns a context that carries a as the actor of whatever is
// done with it. Store methods that change state record their audit events
// under this actor, in the same transaction as the change.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, and whether there was one.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// ActorOrSystem returns the actor carried by ctx, or SystemActor.
func ActorOrSystem(ctx context.Context) Actor {
	if a, ok := ActorFrom(ctx); ok {
		return a
	}
	return SystemActor
}
