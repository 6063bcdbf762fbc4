// Package inbox handles the SMS replies of invited people: it stores each
// inbound message once, runs the short dialogue that turns a "yes" into a
// volunteer of the campaign's pool (asking, by default, for the education
// level and whether the person can attend every meeting date), honours
// STOP at any point, and puts what it cannot understand into the
// organisers' inbox. It also reports the pool and its composition against
// the quotas.
//
// The dialogue is a pure function of the message and the sender's stored
// state (see decide); the store applies its outcome in the same
// transaction that records the message, so a message delivered twice, even
// concurrently, counts once and is answered the same way both times.
//
// Rules worth knowing:
//
//   - STOP (any stop word, or Twilio's OptOutType=STOP) wins at any point:
//     every recipient with the number opts out, queued messages to them are
//     cancelled, one confirmation is sent, and nothing is ever answered
//     again.
//   - Before yes or no, every unclear reply goes to the organisers'
//     inbox; the first also gets a re-prompt, later ones no answer.
//   - A question always reaches a person: a message that starts with a
//     question word, or has a question mark and more than keywords, goes
//     to the inbox also when the dialogue acts on the rest of it ("Ja,
//     gjerne! Når er møtene?" is a yes and waits in the inbox).
//   - In the dialogue, one message may answer several questions in order
//     ("2 ja", "master, kan komme"); for a choice question the first
//     matching number or keyword counts. An invalid answer re-asks the
//     question once; the next invalid one goes to the inbox.
//   - After the dialogue, yes gets a short "you are registered"; anything
//     else goes to the inbox. A repeated yes never restarts the dialogue.
//   - Messages from numbers that are no recipient of a started campaign
//     are stored and not answered; so are messages to closed campaigns
//     (those go to the inbox).
//   - Replies are in English when the message has more English than
//     Norwegian keywords, in Norwegian otherwise; a volunteer keeps the
//     language of their last message that had any keyword, and the draw
//     notices, reminders and meeting notices are sent in it. A keyword
//     spelled out letter by letter ("J A") counts as the keyword.
//   - Messages from one number are handled one after the other, also when
//     they arrive at once on several replicas (see package store).
package inbox
