package profilestore

import "context"

// Update applies change to the profile with id and stores it with UpdatedAt
// set and Version incremented, unless change returns an error (returned
// as is, nothing written). The change runs on the profile as read: checking
// p.Version inside it is a compare-and-set. ErrNotFound, ErrConflict.
func (m *Memory) Update(ctx context.Context, id string, change func(*Profile) error) (Profile, error) {
	return m.update(ctx, id, change)
}

// Update implements the same contract as Memory.Update with a conditional Put.
func (d *Dynamo) Update(ctx context.Context, id string, change func(*Profile) error) (Profile, error) {
	return d.update(ctx, id, change)
}
