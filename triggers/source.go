package triggers

import "strings"

// Source is an event's triggerSource.
type Source string

// Trigger names a Lambda trigger of the user pool; one trigger receives
// events from several sources.
type Trigger string

// The triggers poolside implements, named as Cognito's error messages name them
// ("PreSignUp failed with error …").
const (
	PreSignUp          Trigger = "PreSignUp"
	PostConfirmation   Trigger = "PostConfirmation"
	UserMigration      Trigger = "UserMigration"
	PreTokenGeneration Trigger = "PreTokenGeneration"
	CustomMessage      Trigger = "CustomMessage"
	PostAuthentication Trigger = "PostAuthentication"
	PreAuthentication  Trigger = "PreAuthentication"
	CustomEmailSender  Trigger = "CustomEmailSender"
	CustomSMSSender    Trigger = "CustomSMSSender"
)

// Every user-pool triggerSource the router knows.
const (
	PreSignUpSignUp           Source = "PreSignUp_SignUp"
	PreSignUpAdminCreateUser  Source = "PreSignUp_AdminCreateUser"
	PreSignUpExternalProvider Source = "PreSignUp_ExternalProvider"

	PostConfirmationConfirmSignUp         Source = "PostConfirmation_ConfirmSignUp"
	PostConfirmationConfirmForgotPassword Source = "PostConfirmation_ConfirmForgotPassword"

	UserMigrationAuthentication Source = "UserMigration_Authentication"
	UserMigrationForgotPassword Source = "UserMigration_ForgotPassword"

	TokenGenerationHostedAuth           Source = "TokenGeneration_HostedAuth"
	TokenGenerationAuthentication       Source = "TokenGeneration_Authentication"
	TokenGenerationNewPasswordChallenge Source = "TokenGeneration_NewPasswordChallenge"
	TokenGenerationAuthenticateDevice   Source = "TokenGeneration_AuthenticateDevice"
	TokenGenerationRefreshTokens        Source = "TokenGeneration_RefreshTokens"
	TokenGenerationClientCredentials    Source = "TokenGeneration_ClientCredentials"

	CustomMessageSignUp              Source = "CustomMessage_SignUp"
	CustomMessageAdminCreateUser     Source = "CustomMessage_AdminCreateUser"
	CustomMessageResendCode          Source = "CustomMessage_ResendCode"
	CustomMessageForgotPassword      Source = "CustomMessage_ForgotPassword"
	CustomMessageUpdateUserAttribute Source = "CustomMessage_UpdateUserAttribute"
	CustomMessageVerifyUserAttribute Source = "CustomMessage_VerifyUserAttribute"
	CustomMessageAuthentication      Source = "CustomMessage_Authentication"

	PostAuthenticationAuthentication Source = "PostAuthentication_Authentication"

	PreAuthenticationAuthentication Source = "PreAuthentication_Authentication"

	CustomEmailSenderSignUp                      Source = "CustomEmailSender_SignUp"
	CustomEmailSenderResendCode                  Source = "CustomEmailSender_ResendCode"
	CustomEmailSenderForgotPassword              Source = "CustomEmailSender_ForgotPassword"
	CustomEmailSenderUpdateUserAttribute         Source = "CustomEmailSender_UpdateUserAttribute"
	CustomEmailSenderVerifyUserAttribute         Source = "CustomEmailSender_VerifyUserAttribute"
	CustomEmailSenderAdminCreateUser             Source = "CustomEmailSender_AdminCreateUser"
	CustomEmailSenderAuthentication              Source = "CustomEmailSender_Authentication"
	CustomEmailSenderAccountTakeOverNotification Source = "CustomEmailSender_AccountTakeOverNotification"

	CustomSMSSenderSignUp              Source = "CustomSMSSender_SignUp"
	CustomSMSSenderResendCode          Source = "CustomSMSSender_ResendCode"
	CustomSMSSenderForgotPassword      Source = "CustomSMSSender_ForgotPassword"
	CustomSMSSenderUpdateUserAttribute Source = "CustomSMSSender_UpdateUserAttribute"
	CustomSMSSenderVerifyUserAttribute Source = "CustomSMSSender_VerifyUserAttribute"
	CustomSMSSenderAdminCreateUser     Source = "CustomSMSSender_AdminCreateUser"
	CustomSMSSenderAuthentication      Source = "CustomSMSSender_Authentication"
)

// Sources lists every known triggerSource, grouped by trigger.
var Sources = map[Trigger][]Source{
	PreSignUp:        {PreSignUpSignUp, PreSignUpAdminCreateUser, PreSignUpExternalProvider},
	PostConfirmation: {PostConfirmationConfirmSignUp, PostConfirmationConfirmForgotPassword},
	UserMigration:    {UserMigrationAuthentication, UserMigrationForgotPassword},
	PreTokenGeneration: {
		TokenGenerationHostedAuth, TokenGenerationAuthentication, TokenGenerationNewPasswordChallenge,
		TokenGenerationAuthenticateDevice, TokenGenerationRefreshTokens, TokenGenerationClientCredentials,
	},
	CustomMessage: {
		CustomMessageSignUp, CustomMessageAdminCreateUser, CustomMessageResendCode, CustomMessageForgotPassword,
		CustomMessageUpdateUserAttribute, CustomMessageVerifyUserAttribute, CustomMessageAuthentication,
	},
	PostAuthentication: {PostAuthenticationAuthentication},
	PreAuthentication:  {PreAuthenticationAuthentication},
	CustomEmailSender: {
		CustomEmailSenderSignUp, CustomEmailSenderResendCode, CustomEmailSenderForgotPassword,
		CustomEmailSenderUpdateUserAttribute, CustomEmailSenderVerifyUserAttribute, CustomEmailSenderAdminCreateUser,
		CustomEmailSenderAuthentication, CustomEmailSenderAccountTakeOverNotification,
	},
	CustomSMSSender: {
		CustomSMSSenderSignUp, CustomSMSSenderResendCode, CustomSMSSenderForgotPassword,
		CustomSMSSenderUpdateUserAttribute, CustomSMSSenderVerifyUserAttribute, CustomSMSSenderAdminCreateUser,
		CustomSMSSenderAuthentication,
	},
}

// AllTriggers lists the triggers in the order Cognito runs them for a sign-up.
var AllTriggers = []Trigger{PreSignUp, CustomMessage, CustomEmailSender, CustomSMSSender, PostConfirmation,
	UserMigration, PreAuthentication, PostAuthentication, PreTokenGeneration}

// Trigger returns the trigger a source belongs to, and false for an unknown source.
func (s Source) Trigger() (Trigger, bool) {
	for t, ss := range Sources {
		for _, k := range ss {
			if k == s {
				return t, true
			}
		}
	}
	return "", false
}

// ParseTrigger reads a trigger name case-insensitively ("pretokengeneration").
func ParseTrigger(name string) (Trigger, bool) {
	for _, t := range AllTriggers {
		if strings.EqualFold(string(t), name) {
			return t, true
		}
	}
	return "", false
}
