package signup

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Code names a refusal; each has a message in every supported language.
type Code string

// Refusal codes.
const (
	CodeMissingAttribute Code = "missing_attribute"
	CodeInvalidEmail     Code = "invalid_email"
	CodeDomainNotAllowed Code = "domain_not_allowed"
	CodeDisposableEmail  Code = "disposable_email"
	CodeInvalidName      Code = "invalid_name"
	CodeEmailTaken       Code = "email_taken"
	CodeInvalidRequest   Code = "invalid_request"
)

// Languages are the languages refusals are written in; the first is the fallback.
var Languages = []language.Tag{language.English, language.Portuguese, language.Spanish, language.German, language.French}

var matcher = language.NewMatcher(Languages)

// Language picks the refusal language from locale preferences, most
// preferred first (the user's locale attribute, then clientMetadata.locale).
// Values may be BCP 47 ("pt-BR"), POSIX-like ("pt_BR") or Accept-Language
// lists; unparsable or empty ones are skipped. English when nothing matches.
func Language(prefs ...string) language.Tag {
	var tags []language.Tag
	for _, p := range prefs {
		p = strings.ReplaceAll(strings.TrimSpace(p), "_", "-")
		if p == "" {
			continue
		}
		if ts, _, err := language.ParseAcceptLanguage(p); err == nil {
			tags = append(tags, ts...)
		}
	}
	if len(tags) == 0 {
		return language.English
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return language.English
	}
	return Languages[i]
}

// messages holds each code's text per language base; %s is the field label
// for CodeMissingAttribute and CodeInvalidName.
var messages = map[Code]map[string]string{
	CodeMissingAttribute: {
		"en": "Please fill in your %s.",
		"pt": "Preencha o campo %s.",
		"es": "Completa el campo %s.",
		"de": "Bitte gib dein Feld „%s“ an.",
		"fr": "Veuillez renseigner le champ « %s ».",
	},
	CodeInvalidEmail: {
		"en": "Please enter a valid email address, like name@example.com.",
		"pt": "Informe um endereço de e-mail válido, como nome@exemplo.com.",
		"es": "Introduce una dirección de correo válida, como nombre@ejemplo.com.",
		"de": "Bitte gib eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.",
		"fr": "Veuillez saisir une adresse e-mail valide, par exemple nom@exemple.fr.",
	},
	CodeDomainNotAllowed: {
		"en": "Sign-up with this email domain is not available. Please use your work email address.",
		"pt": "Não é possível se cadastrar com este domínio de e-mail. Use seu e-mail corporativo.",
		"es": "No es posible registrarse con este dominio de correo. Usa tu correo corporativo.",
		"de": "Die Registrierung mit dieser E-Mail-Domain ist nicht möglich. Bitte verwende deine geschäftliche E-Mail-Adresse.",
		"fr": "L’inscription avec ce domaine e-mail n’est pas possible. Veuillez utiliser votre adresse professionnelle.",
	},
	CodeDisposableEmail: {
		"en": "Temporary email addresses can't be used. Please use an address you keep.",
		"pt": "Endereços de e-mail temporários não são aceitos. Use um endereço permanente.",
		"es": "No se aceptan direcciones de correo temporales. Usa una dirección permanente.",
		"de": "Wegwerf-E-Mail-Adressen sind nicht erlaubt. Bitte verwende eine dauerhafte Adresse.",
		"fr": "Les adresses e-mail jetables ne sont pas acceptées. Veuillez utiliser une adresse permanente.",
	},
	CodeInvalidName: {
		"en": "Please enter your %s using letters only (spaces, hyphens and apostrophes are fine).",
		"pt": "Informe o campo %s apenas com letras (espaços, hífens e apóstrofos são permitidos).",
		"es": "Introduce el campo %s solo con letras (se permiten espacios, guiones y apóstrofos).",
		"de": "Bitte gib das Feld „%s“ nur mit Buchstaben ein (Leerzeichen, Bindestriche und Apostrophe sind erlaubt).",
		"fr": "Veuillez saisir le champ « %s » avec des lettres uniquement (espaces, traits d’union et apostrophes acceptés).",
	},
	CodeEmailTaken: {
		"en": "An account with this email address already exists. Please sign in or reset your password.",
		"pt": "Já existe uma conta com este e-mail. Entre ou redefina sua senha.",
		"es": "Ya existe una cuenta con este correo. Inicia sesión o restablece tu contraseña.",
		"de": "Es gibt bereits ein Konto mit dieser E-Mail-Adresse. Bitte melde dich an oder setze dein Passwort zurück.",
		"fr": "Un compte existe déjà avec cette adresse e-mail. Connectez-vous ou réinitialisez votre mot de passe.",
	},
	CodeInvalidRequest: {
		"en": "We could not create your account with these details. Please check them and try again.",
		"pt": "Não foi possível criar sua conta com esses dados. Confira e tente novamente.",
		"es": "No pudimos crear tu cuenta con estos datos. Revísalos e inténtalo de nuevo.",
		"de": "Mit diesen Angaben konnten wir kein Konto anlegen. Bitte prüfe sie und versuche es erneut.",
		"fr": "Nous n’avons pas pu créer votre compte avec ces informations. Vérifiez-les et réessayez.",
	},
}

// fieldLabels names the attributes a refusal may mention.
var fieldLabels = map[string]map[string]string{
	"email":        {"en": "email address", "pt": "e-mail", "es": "correo electrónico", "de": "E-Mail-Adresse", "fr": "adresse e-mail"},
	"given_name":   {"en": "first name", "pt": "nome", "es": "nombre", "de": "Vorname", "fr": "prénom"},
	"family_name":  {"en": "last name", "pt": "sobrenome", "es": "apellido", "de": "Nachname", "fr": "nom"},
	"middle_name":  {"en": "middle name", "pt": "nome do meio", "es": "segundo nombre", "de": "zweiter Vorname", "fr": "deuxième prénom"},
	"name":         {"en": "name", "pt": "nome completo", "es": "nombre completo", "de": "Name", "fr": "nom complet"},
	"nickname":     {"en": "nickname", "pt": "apelido", "es": "apodo", "de": "Spitzname", "fr": "surnom"},
	"phone_number": {"en": "phone number", "pt": "telefone", "es": "teléfono", "de": "Telefonnummer", "fr": "numéro de téléphone"},
}

// Message is the user-facing text of code in lang; field is the attribute
// it concerns, if any. Unknown attributes are named "details".
func Message(code Code, field string, lang language.Tag) string {
	base, _ := lang.Base()
	b := base.String()
	texts, ok := messages[code]
	if !ok {
		texts = messages[CodeInvalidRequest]
	}
	text, ok := texts[b]
	if !ok {
		b, text = "en", texts["en"]
	}
	if !strings.Contains(text, "%s") {
		return text
	}
	label := fieldLabels[field][b]
	if label == "" {
		label = map[string]string{"en": "details", "pt": "dados", "es": "datos", "de": "Angaben", "fr": "informations"}[b]
	}
	return fmt.Sprintf(text, label)
}
