package directory

import "strings"

// resolveSupervisors checks supervisor e-mails against the whole file. A
// supervisor who is not in it is dropped. A cycle (a → b → … → a, where
// "→" reads "is supervised by") is broken by removing one link, so that
// routing, which walks up the chain, always reaches a top.
//
// The link removed is that of the cycle's member lowest in the file: reading
// top to bottom, theirs is the row that closed the loop. Every member's row is
// reported, with the cycle written from the broken link's far end so that
// its last arrow is the one removed: "b → a → c → b" means c was loaded
// without a supervisor. The rest of the chain is kept, so that only one
// person's routing changes.
func (p *parser) resolveSupervisors() {
	n := len(p.people)
	next := make([]int, n) // index of the supervisor, or -1
	for i, person := range p.people {
		next[i] = -1
		if person.SupervisorEmail == "" {
			continue
		}
		j, ok := p.byEmail[person.SupervisorEmail]
		if !ok {
			p.problem(p.lines[i], person.Email, SeverityError, "unknown supervisor %s; loaded without a supervisor", quote(person.SupervisorEmail))
			p.people[i].SupervisorEmail = ""
			continue
		}
		next[i] = j
	}

	// Each person has at most one supervisor, so walking up from every
	// person in turn, marking whom each walk has seen, finds every cycle
	// exactly once: a walk has met a cycle when it reaches its own mark.
	walk := make([]int, n) // 0 for unvisited, else 1 + the index the walk started from
	for start := range n {
		if walk[start] != 0 {
			continue
		}
		j := start
		for j >= 0 && walk[j] == 0 {
			walk[j] = start + 1
			j = next[j]
		}
		if j >= 0 && walk[j] == start+1 {
			p.breakCycle(j, next)
		}
	}
}

// breakCycle breaks the cycle through index at, reporting every member.
func (p *parser) breakCycle(at int, next []int) {
	members := []int{at}
	for k := next[at]; k != at; k = next[k] {
		members = append(members, k)
	}
	cut := members[0]
	for _, m := range members {
		if m > cut { // people are in file order, so the greatest index is lowest in the file
			cut = m
		}
	}

	chain := []string{}
	for k := next[cut]; ; k = next[k] {
		chain = append(chain, p.people[k].Email)
		if k == cut {
			break
		}
	}
	chain = append(chain, p.people[next[cut]].Email)
	cycle := strings.Join(chain, " → ")

	for _, m := range members {
		if m == cut {
			p.problem(p.lines[m], p.people[m].Email, SeverityError,
				"supervisor cycle %s; loaded without a supervisor to break it", cycle)
			continue
		}
		p.problem(p.lines[m], p.people[m].Email, SeverityWarning,
			"supervisor cycle %s; broken by loading %s (line %d) without a supervisor", cycle, p.people[cut].Email, p.lines[cut])
	}
	p.people[cut].SupervisorEmail = ""
	next[cut] = -1
}
