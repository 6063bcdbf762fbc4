// Package simulate plays the reference round of a citizens' panel against
// a running service, the way an organiser's script and a town's residents
// would: it generates a synthetic population from Trondheim-like shares,
// drives the admin API over HTTP, lets each simulated resident answer by
// SMS through a fake Twilio server (so signed webhooks are exercised), and
// reports what happened.
//
// Everything random comes from one seed: the population, who answers what,
// and who later declines a seat. Two runs with the same seed therefore give
// the same round and the same panel (the service's draw is seeded with the
// same string).
package simulate
