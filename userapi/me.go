package userapi

import (
	"net/http"

	"github.com/poolside-io/poolside/profilestore"
)

// getMe answers GET /me: the caller's profile, found by the token's sub.
func (a *API) getMe(w http.ResponseWriter, r *http.Request, p Principal) error {
	prof, err := a.Profiles.Get(r.Context(), p.Subject)
	if err != nil {
		return err
	}
	writeProfile(w, http.StatusOK, prof)
	return nil
}

// putMeData answers PUT /me/data: replace the caller's data.
func (a *API) putMeData(w http.ResponseWriter, r *http.Request, p Principal) error {
	return a.replaceData(w, r, p.Subject)
}

// patchMeData answers PATCH /me/data: merge into the caller's data (a null value deletes a key).
func (a *API) patchMeData(w http.ResponseWriter, r *http.Request, p Principal) error {
	return a.mergeData(w, r, p.Subject)
}

// preferencesPatch is the body of PATCH /me/preferences; absent fields stay.
type preferencesPatch struct {
	Lang      *string `json:"lang"`
	Currency  *string `json:"currency"`
	AvatarURL *string `json:"avatarUrl"`
}

// patchMePreferences answers PATCH /me/preferences.
func (a *API) patchMePreferences(w http.ResponseWriter, r *http.Request, p Principal) error {
	var in preferencesPatch
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	_, err := a.update(w, r, p.Subject, func(prof *profilestore.Profile) error {
		if in.Lang != nil {
			prof.Preferences.Lang = *in.Lang
		}
		if in.Currency != nil {
			prof.Preferences.Currency = *in.Currency
		}
		if in.AvatarURL != nil {
			prof.Preferences.AvatarURL = *in.AvatarURL
		}
		return nil
	})
	return err
}

func (a *API) replaceData(w http.ResponseWriter, r *http.Request, id string) error {
	data, err := readData(r)
	if err != nil {
		return err
	}
	_, err = a.update(w, r, id, func(p *profilestore.Profile) error {
		p.Data = data
		return nil
	})
	return err
}

func (a *API) mergeData(w http.ResponseWriter, r *http.Request, id string) error {
	data, err := readData(r)
	if err != nil {
		return err
	}
	_, err = a.update(w, r, id, func(p *profilestore.Profile) error {
		merged := make(map[string]any, len(p.Data)+len(data))
		for k, v := range p.Data {
			merged[k] = v
		}
		for k, v := range data {
			if v == nil {
				delete(merged, k)
				continue
			}
			merged[k] = v
		}
		if err := checkStoredSize(merged); err != nil {
			return err
		}
		p.Data = merged
		return nil
	})
	return err
}
