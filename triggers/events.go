package triggers

import (
	"context"
	"encoding/json"
	"log/slog"
)

// This file holds the request and response of every trigger. Requests decode
// tolerantly (see event.go); responses are encoded by poolside, not by
// aws-lambda-go, whose zero values Cognito rejects or misreads: an empty
// "messageAction", an empty "emailSubject", a null group override that strips
// the user's groups. Golden tests in fixtures/golden pin the bytes.

// Secret holds a value that must never be logged or printed: a password.
// Formatting it with %v, %s or slog prints "[redacted]"; Reveal returns it.
type Secret string

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer.
func (s Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer.
func (s Secret) GoString() string { return "[redacted]" }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// UnmarshalJSON accepts a string or null.
func (s *Secret) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		*s = ""
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = Secret(v)
	return nil
}

// ---- PreSignUp ----

// PreSignUpRequest is the request of PreSignUp_* events.
type PreSignUpRequest struct {
	UserAttributes Attributes `json:"userAttributes"`
	ValidationData Attributes `json:"validationData"`
	ClientMetadata Attributes `json:"clientMetadata"`
}

// PreSignUpResponse is always encoded with its three flags.
type PreSignUpResponse struct {
	AutoConfirmUser bool `json:"autoConfirmUser"`
	AutoVerifyEmail bool `json:"autoVerifyEmail"`
	AutoVerifyPhone bool `json:"autoVerifyPhone"`
}

// PreSignUpEvent is a decoded PreSignUp_* event.
type PreSignUpEvent = Event[PreSignUpRequest, PreSignUpResponse]

// HandlePreSignUp registers fn for every PreSignUp source.
func (r *Router) HandlePreSignUp(fn func(context.Context, *PreSignUpEvent) error) {
	register(r, fn, Sources[PreSignUp]...)
}

// ---- PostConfirmation ----

// PostConfirmationRequest is the request of PostConfirmation_* events.
type PostConfirmationRequest struct {
	UserAttributes Attributes `json:"userAttributes"`
	ClientMetadata Attributes `json:"clientMetadata"`
}

// EmptyResponse is the response of triggers that return nothing: {}.
type EmptyResponse struct{}

// PostConfirmationEvent is a decoded PostConfirmation_* event.
type PostConfirmationEvent = Event[PostConfirmationRequest, EmptyResponse]

// HandlePostConfirmation registers fn for both PostConfirmation sources.
func (r *Router) HandlePostConfirmation(fn func(context.Context, *PostConfirmationEvent) error) {
	register(r, fn, Sources[PostConfirmation]...)
}

// ---- PostAuthentication ----

// PostAuthenticationRequest is the request of PostAuthentication_Authentication.
type PostAuthenticationRequest struct {
	NewDeviceUsed  OptionalString `json:"newDeviceUsed"`
	UserAttributes Attributes     `json:"userAttributes"`
	ClientMetadata Attributes     `json:"clientMetadata"`
}

// PostAuthenticationEvent is a decoded PostAuthentication_Authentication event.
type PostAuthenticationEvent = Event[PostAuthenticationRequest, EmptyResponse]

// HandlePostAuthentication registers fn for PostAuthentication_Authentication.
func (r *Router) HandlePostAuthentication(fn func(context.Context, *PostAuthenticationEvent) error) {
	register(r, fn, Sources[PostAuthentication]...)
}

// ---- UserMigration ----

// UserMigrationRequest is the request of UserMigration_* events. Password is
// empty for UserMigration_ForgotPassword.
type UserMigrationRequest struct {
	Password       Secret     `json:"password"`
	ValidationData Attributes `json:"validationData"`
	ClientMetadata Attributes `json:"clientMetadata"`
}

// Values of UserMigrationResponse fields.
const (
	StatusConfirmed     = "CONFIRMED"
	StatusResetRequired = "RESET_REQUIRED"
	MessageSuppress     = "SUPPRESS"
	MediumEmail         = "EMAIL"
	MediumSMS           = "SMS"
)

// UserMigrationResponse omits every field left unset: Cognito rejects an empty
// finalUserStatus or messageAction. userAttributes is always present.
type UserMigrationResponse struct {
	UserAttributes         Attributes `json:"userAttributes"`
	FinalUserStatus        string     `json:"finalUserStatus,omitempty"`
	MessageAction          string     `json:"messageAction,omitempty"`
	DesiredDeliveryMediums []string   `json:"desiredDeliveryMediums,omitempty"`
	ForceAliasCreation     bool       `json:"forceAliasCreation,omitempty"`
	EnableSMSMFA           bool       `json:"enableSMSMFA,omitempty"`
}

// MarshalJSON writes userAttributes as {} rather than null when empty.
func (r UserMigrationResponse) MarshalJSON() ([]byte, error) {
	type plain UserMigrationResponse
	if r.UserAttributes == nil {
		r.UserAttributes = Attributes{}
	}
	return json.Marshal(plain(r))
}

// UserMigrationEvent is a decoded UserMigration_* event.
type UserMigrationEvent = Event[UserMigrationRequest, UserMigrationResponse]

// HandleUserMigration registers fn for both UserMigration sources.
func (r *Router) HandleUserMigration(fn func(context.Context, *UserMigrationEvent) error) {
	register(r, fn, Sources[UserMigration]...)
}

// ---- CustomMessage ----

// CustomMessageRequest is the request of CustomMessage_* events. The
// parameters are the placeholders Cognito replaces after the Lambda answers.
type CustomMessageRequest struct {
	UserAttributes    Attributes     `json:"userAttributes"`
	CodeParameter     OptionalString `json:"codeParameter"`
	UsernameParameter OptionalString `json:"usernameParameter"`
	LinkParameter     OptionalString `json:"linkParameter"`
	ClientMetadata    Attributes     `json:"clientMetadata"`
}

// CustomMessageResponse omits every field left empty: an empty email field is
// rejected, and email fields are rejected outright when the pool sends mail
// through Cognito's default account.
type CustomMessageResponse struct {
	SMSMessage   string `json:"smsMessage,omitempty"`
	EmailMessage string `json:"emailMessage,omitempty"`
	EmailSubject string `json:"emailSubject,omitempty"`
}

// CustomMessageEvent is a decoded CustomMessage_* event.
type CustomMessageEvent = Event[CustomMessageRequest, CustomMessageResponse]

// HandleCustomMessage registers fn for every CustomMessage source.
func (r *Router) HandleCustomMessage(fn func(context.Context, *CustomMessageEvent) error) {
	register(r, fn, Sources[CustomMessage]...)
}

// ---- PreTokenGeneration ----

// GroupConfiguration is the user's groups and IAM roles, in the request, and
// the override in the response.
type GroupConfiguration struct {
	GroupsToOverride   StringList     `json:"groupsToOverride"`
	IAMRolesToOverride StringList     `json:"iamRolesToOverride"`
	PreferredRole      OptionalString `json:"preferredRole"`
}

// MarshalJSON writes lists as [] and an empty preferredRole as null.
func (g GroupConfiguration) MarshalJSON() ([]byte, error) {
	out := struct {
		Groups []string `json:"groupsToOverride"`
		Roles  []string `json:"iamRolesToOverride"`
		Role   *string  `json:"preferredRole"`
	}{Groups: nonNil(g.GroupsToOverride), Roles: nonNil(g.IAMRolesToOverride)}
	if g.PreferredRole != "" {
		s := string(g.PreferredRole)
		out.Role = &s
	}
	return json.Marshal(out)
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// PreTokenGenerationRequest is the request of TokenGeneration_* events in any
// version. Scopes are present in V2_0 and V3_0 events only.
type PreTokenGenerationRequest struct {
	UserAttributes     Attributes         `json:"userAttributes"`
	GroupConfiguration GroupConfiguration `json:"groupConfiguration"`
	ClientMetadata     Attributes         `json:"clientMetadata"`
	Scopes             StringList         `json:"scopes"`
}

// ClaimsOverrideDetails is the V1_0 response: ID token only, string claims.
type ClaimsOverrideDetails struct {
	ClaimsToAddOrOverride map[string]string   `json:"claimsToAddOrOverride,omitempty"`
	ClaimsToSuppress      []string            `json:"claimsToSuppress,omitempty"`
	GroupOverrideDetails  *GroupConfiguration `json:"groupOverrideDetails,omitempty"`
}

// TokenGeneration is the V2_0/V3_0 override for one token.
type TokenGeneration struct {
	ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride,omitempty"`
	ClaimsToSuppress      []string       `json:"claimsToSuppress,omitempty"`
	ScopesToAdd           []string       `json:"scopesToAdd,omitempty"`
	ScopesToSuppress      []string       `json:"scopesToSuppress,omitempty"`
}

// ClaimsAndScopeOverrideDetails is the V2_0/V3_0 response.
type ClaimsAndScopeOverrideDetails struct {
	IDTokenGeneration     *TokenGeneration    `json:"idTokenGeneration,omitempty"`
	AccessTokenGeneration *TokenGeneration    `json:"accessTokenGeneration,omitempty"`
	GroupOverrideDetails  *GroupConfiguration `json:"groupOverrideDetails,omitempty"`
}

// PreTokenGenerationResponse holds the override for the event's version: set
// ClaimsOverrideDetails for V1_0 events, ClaimsAndScopeOverrideDetails for
// V2_0 and V3_0. A handler that sets neither answers {} and Cognito issues the
// tokens unchanged; a handler that sets one must set its GroupOverrideDetails
// (NewPreTokenGenerationResponse copies the request's groups), because an
// absent override there strips the user's groups.
type PreTokenGenerationResponse struct {
	ClaimsOverrideDetails         *ClaimsOverrideDetails         `json:"claimsOverrideDetails,omitempty"`
	ClaimsAndScopeOverrideDetails *ClaimsAndScopeOverrideDetails `json:"claimsAndScopeOverrideDetails,omitempty"`
}

// PreTokenGenerationEvent is a decoded TokenGeneration_* event.
type PreTokenGenerationEvent = Event[PreTokenGenerationRequest, PreTokenGenerationResponse]

// NewPreTokenGenerationResponse returns the response shape for the event's
// version with the request's groups kept, ready for claims to be added.
func NewPreTokenGenerationResponse(ev *PreTokenGenerationEvent) PreTokenGenerationResponse {
	groups := ev.Request.GroupConfiguration
	if ev.Version.TokenVersion() == 1 {
		return PreTokenGenerationResponse{ClaimsOverrideDetails: &ClaimsOverrideDetails{GroupOverrideDetails: &groups}}
	}
	return PreTokenGenerationResponse{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{GroupOverrideDetails: &groups}}
}

// HandlePreTokenGeneration registers fn for every TokenGeneration source.
func (r *Router) HandlePreTokenGeneration(fn func(context.Context, *PreTokenGenerationEvent) error) {
	register(r, fn, Sources[PreTokenGeneration]...)
}

// ---- PreAuthentication ----

// PreAuthenticationRequest is the request of PreAuthentication_Authentication.
// UserNotFound is true when the pool hides user existence and no such user exists.
type PreAuthenticationRequest struct {
	UserAttributes Attributes `json:"userAttributes"`
	ValidationData Attributes `json:"validationData"`
	UserNotFound   bool       `json:"userNotFound"`
}

// PreAuthenticationEvent is a decoded PreAuthentication_Authentication event.
type PreAuthenticationEvent = Event[PreAuthenticationRequest, EmptyResponse]

// HandlePreAuthentication registers fn for PreAuthentication_Authentication.
func (r *Router) HandlePreAuthentication(fn func(context.Context, *PreAuthenticationEvent) error) {
	register(r, fn, Sources[PreAuthentication]...)
}

// ---- CustomEmailSender, CustomSMSSender ----

// CustomSenderRequest is the request of CustomEmailSender_* and
// CustomSMSSender_* events. Code is the code (or temporary password)
// encrypted by Cognito with the pool's KMS key, base64: it is a Secret even
// so. It is empty for AccountTakeOverNotification.
type CustomSenderRequest struct {
	Type           string     `json:"type"`
	Code           Secret     `json:"code"`
	UserAttributes Attributes `json:"userAttributes"`
	ClientMetadata Attributes `json:"clientMetadata"`
}

// CustomSenderEvent is a decoded CustomEmailSender_* or CustomSMSSender_* event.
type CustomSenderEvent = Event[CustomSenderRequest, EmptyResponse]

// HandleCustomEmailSender registers fn for every CustomEmailSender source.
func (r *Router) HandleCustomEmailSender(fn func(context.Context, *CustomSenderEvent) error) {
	register(r, fn, Sources[CustomEmailSender]...)
}

// HandleCustomSMSSender registers fn for every CustomSMSSender source.
func (r *Router) HandleCustomSMSSender(fn func(context.Context, *CustomSenderEvent) error) {
	register(r, fn, Sources[CustomSMSSender]...)
}
