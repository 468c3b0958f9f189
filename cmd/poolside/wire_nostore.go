//go:build poolside.fn && !(poolside.fn.api || poolside.fn.customemailsender || poolside.fn.customsmssender || poolside.fn.postauthentication || poolside.fn.postconfirmation || poolside.fn.preauthentication || poolside.fn.pretokengeneration || poolside.fn.usermigration)

package main

// storeState is empty in the builds without a profile store (PreSignUp,
// CustomMessage): wire_store.go holds the DynamoDB client of the others.
type storeState struct{}
