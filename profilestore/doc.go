// Package profilestore keeps the user profile poolside writes beside each
// Cognito user: Profile, the Store interface with its sentinel errors, an
// in-memory implementation (the embedded default) and a DynamoDB one, both
// checked by the one suite in profilestore/conformance.
//
// # DynamoDB table layout
//
// One table, one string partition key "pk", no sort key, no index
// (PAY_PER_REQUEST; deploy/template.yaml declares it, `poolside table create`
// creates it for local use). Item kinds:
//
//	pk = "PROFILE#<id>"       the profile: every Profile field under its JSON name, plus pk and
//	                          the random token of the call that last wrote it (creator or writer)
//	pk = "EMAIL#<email>"      guard: profileId; email normalised to lower case. A profile may be
//	                          stored without it (EmailGuard.Skip) or take it over (EmailGuard.From)
//	pk = "HANDLE#<@handle>"   guard: profileId; handle lower-cased, with the @
//	pk = "HANDLESEQ#<@base>"  seq: a counter handing out handle suffixes when creators race
//
// A GSI cannot enforce uniqueness (it is eventually consistent and accepts
// duplicates), so Create writes the profile and its email and handle guards in
// one TransactWriteItems, each with attribute_not_exists(pk). The cancellation
// reasons say which condition failed; storeErr maps them, and
// ConditionalCheckFailedException, to ErrExists/ErrConflict in one place. A
// failed transaction writes nothing. Reads that decide a write are strongly
// consistent. Updates are optimistic: a read, then a Put conditioned on the
// version read (ErrConflict after a few lost races); TouchLogin and
// SetPasswordChanged are single conditional UpdateItems (no read), so
// PostAuthentication costs one round trip. PutItem and UpdateItem have no
// idempotency token, and DynamoDB Local and moto ignore TransactWriteItems'
// one, so a write the SDK resends after its answer was lost may find its own
// first attempt committed: the call's token (creator, writer, claimant) lets
// it tell that from another writer's change, and it is not applied twice.
//
// Handles are "@" + the PascalCase ASCII fold of the name (@AnaLima). A taken
// handle gets the smallest free numeric suffix (@AnaLima1, @AnaLima2…), found
// with a consistent BatchGetItem over the next 25 candidates; when creators
// with the same name keep colliding, each takes a number from the HANDLESEQ
// counter instead, so 100 concurrent sign-ups need O(100) requests, not O(100²).
//
// # Lifecycle: every creation path ends with exactly one profile
//
//	path                           Cognito triggers                         where the profile is made
//	sign-up + confirm              PreSignUp, PostConfirmation_ConfirmSignUp  PostConfirmation (Ensure)
//	auto-confirmed sign-up         PreSignUp (autoConfirm), PostConfirmation  PostConfirmation (Ensure)
//	admin-created (no PostConfirmation!)  PostAuthentication, TokenGeneration  first sign-in: PostAuthentication / PreTokenGeneration (Ensure)
//	federated (first sign-in)      PreSignUp_ExternalProvider, PostConfirmation  PostConfirmation (Ensure)
//	migrated (UserMigration)       UserMigration_Authentication             UserMigration creates a pending profile (id "pending:<legacyId>");
//	                                                                         the first sign-in whose email Cognito verified (and whose
//	                                                                         user name matches) adopts it (Adopt; triggers decide)
//	reset-required migration       UserMigration_ForgotPassword, PostConfirmation_ConfirmForgotPassword  Ensure on the reset's PostConfirmation
//	password reset (any user)      PostConfirmation_ConfirmForgotPassword   Ensure (never a second profile) + passwordChangedAt
//
// Cognito may call a trigger again when it times out (at most 3 attempts), so
// Create and Ensure are idempotent: the same id returns the stored profile
// unchanged, and concurrent creators of one id end with one profile and one
// createdAt.
//
// See https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
// and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html.
package profilestore
