// Package messages holds every text an end user of poolside reads, in every
// locale: the emails and SMS of the CustomMessage trigger
// (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html)
// and the refusals of every trigger, which Cognito shows as
// "<Trigger> failed with error <text>.". It has no Lambda types: package
// triggers reads the event, asks for a message or a refusal, and answers.
//
// The texts live in folders, one per BCP 47 locale (en, de, es, fr, pt…),
// beside the Go files: email.html, subjects.txt and sms.txt define one
// template per Kind, refusals.txt one per Code plus the field labels, and
// layout.html is the HTML shell every email shares. The folders are the
// locale list: adding a locale is adding a folder, and a test checks that
// every locale has every text. The same layout in a directory
// (POOLSIDE_TEMPLATES_DIR) overrides any file or adds a locale at start-up
// (Load).
//
// The templates run on github.com/DataDog/datadog-agent/pkg/template (text
// and html): Go's text/template and html/template, regenerated from the
// standard library with one change, a template cannot call a method. The
// standard text/template looks up methods by a name only known at run time,
// which makes the linker keep every exported method of every type a program
// stores in an interface: with it, each Lambda artifact was about twice its
// size (cmd/poolside's TestArtifactsLinkOnlyCalledMethods, #17). The data the
// templates see has fields only.
//
// Rendering keeps Cognito's placeholders ({####}, {username}) byte for byte
// through HTML and URL escaping, cleans every user attribute, and replaces a
// part that breaks one of Cognito's limits by a minimal fallback.
// Catalog.Match picks a user's locale from their preferences; triggers calls
// it in one place for emails and refusals alike.
package messages
