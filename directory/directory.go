package directory

import "slices"

// maxChain bounds Chain: no real organisation is this deep, and a bound
// keeps a corrupt store from making routing loop.
const maxChain = 64

// Directory is an in-memory, read-only view of people, for walking the
// supervisor chain. It is safe for concurrent use.
//
// Ordering: every list it returns follows the order of the people given to
// New — file order for the result of Parse, e-mail order for Store.People.
// Inactive people are kept: Supervisor, Chain and Reports return them
// (their cases stay theirs; callers that route skip them), while Compliance
// and FirstWithSupervisor consider active people only.
type Directory struct {
	people  []Person
	byEmail map[string]int
	byID    map[int64]int
	reports map[int][]int // index of a supervisor → indexes of their direct reports
}

// New builds a Directory. When two people share an e-mail or ID the first wins.
func New(people []Person) *Directory {
	d := &Directory{
		people:  make([]Person, 0, len(people)),
		byEmail: make(map[string]int, len(people)),
		byID:    make(map[int64]int, len(people)),
		reports: map[int][]int{},
	}
	for _, p := range people {
		p.Email = NormalizeEmail(p.Email)
		p.SupervisorEmail = NormalizeEmail(p.SupervisorEmail)
		if _, dup := d.byEmail[p.Email]; dup {
			continue
		}
		p.Roles = slices.Clone(p.Roles) // so that callers' slices cannot change the view
		i := len(d.people)
		d.people = append(d.people, p)
		d.byEmail[p.Email] = i
		if _, dup := d.byID[p.ID]; p.ID != 0 && !dup {
			d.byID[p.ID] = i
		}
	}
	for i, p := range d.people {
		if s, ok := d.supervisorIndex(p); ok && s != i {
			d.reports[s] = append(d.reports[s], i)
		}
	}
	return d
}

// Len is the number of people in the directory.
func (d *Directory) Len() int { return len(d.people) }

// People returns everyone, in directory order.
func (d *Directory) People() []Person { return d.list(nil) }

// ByEmail finds a person by e-mail, without regard to case.
func (d *Directory) ByEmail(email string) (Person, bool) {
	i, ok := d.byEmail[NormalizeEmail(email)]
	return d.at(i, ok)
}

// ByID finds a person by store ID.
func (d *Directory) ByID(id int64) (Person, bool) {
	i, ok := d.byID[id]
	return d.at(i, ok && id != 0)
}

// Supervisor returns p's supervisor: by SupervisorID when it is set and
// known, else by SupervisorEmail.
func (d *Directory) Supervisor(p Person) (Person, bool) {
	i, ok := d.supervisorIndex(p)
	return d.at(i, ok)
}

// Chain returns p's supervisor, their supervisor, and so on up to the top.
// It stops before anyone already in the chain (or p) would repeat, and
// after maxChain people.
func (d *Directory) Chain(p Person) []Person {
	seen := map[string]bool{NormalizeEmail(p.Email): true}
	var chain []Person
	for len(chain) < maxChain {
		s, ok := d.Supervisor(p)
		if !ok || seen[s.Email] {
			break
		}
		seen[s.Email] = true
		chain = append(chain, s)
		p = s
	}
	return chain
}

// Reports returns the people whose supervisor is p, in directory order,
// inactive ones included.
func (d *Directory) Reports(p Person) []Person {
	i, ok := d.index(p)
	if !ok {
		return nil
	}
	var out []Person
	for _, r := range d.reports[i] {
		out = append(out, d.copyOf(r))
	}
	return out
}

// Compliance returns the active people with the compliance role, in
// directory order.
func (d *Directory) Compliance() []Person {
	return d.list(func(p Person) bool { return p.Active && p.Has(RoleCompliance) })
}

// FirstWithSupervisor returns the first active person, in directory order,
// whose supervisor is in the directory and active: the natural person for
// `bot console` to start as, since their reports have somewhere to go.
func (d *Directory) FirstWithSupervisor() (Person, bool) {
	for i, p := range d.people {
		if s, ok := d.supervisorIndex(p); ok && s != i && p.Active && d.people[s].Active {
			return d.at(i, true)
		}
	}
	return Person{}, false
}

// index finds p in the directory by ID, then by e-mail.
func (d *Directory) index(p Person) (int, bool) {
	if i, ok := d.byID[p.ID]; ok && p.ID != 0 {
		return i, true
	}
	i, ok := d.byEmail[NormalizeEmail(p.Email)]
	return i, ok
}

func (d *Directory) supervisorIndex(p Person) (int, bool) {
	if i, ok := d.byID[p.SupervisorID]; ok && p.SupervisorID != 0 {
		return i, true
	}
	if p.SupervisorEmail == "" {
		return 0, false
	}
	i, ok := d.byEmail[NormalizeEmail(p.SupervisorEmail)]
	return i, ok
}

func (d *Directory) at(i int, ok bool) (Person, bool) {
	if !ok {
		return Person{}, false
	}
	return d.copyOf(i), true
}

// copyOf returns people[i] with its own Roles slice, so that a caller
// cannot change the shared view.
func (d *Directory) copyOf(i int) Person {
	p := d.people[i]
	p.Roles = slices.Clone(p.Roles)
	return p
}

func (d *Directory) list(keep func(Person) bool) []Person {
	var out []Person
	for i, p := range d.people {
		if keep == nil || keep(p) {
			out = append(out, d.copyOf(i))
		}
	}
	return out
}
