package mol

import (
	"fmt"
	"strconv"
)

// SyntaxError is a SMILES that cannot be read or a molecule that cannot be
// sanitised: Pos is the 0-based byte offset in the SMILES where the
// problem was found (-1 when it concerns the whole molecule) and Msg says
// what was expected or wrong.
type SyntaxError struct {
	SMILES string
	Pos    int
	Msg    string
}

func (e *SyntaxError) Error() string {
	if e.Pos < 0 {
		return fmt.Sprintf("mol: SMILES %q: %s", clip(e.SMILES), e.Msg)
	}
	return fmt.Sprintf("mol: SMILES %q: position %d: %s", clip(e.SMILES), e.Pos, e.Msg)
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// bondSym is a bond as written: 0 (implicit), '-', '=', '#', '$', ':',
// '/' or '\\'.
type rawBond struct {
	a, b int  // begin, end atom
	sym  byte // written symbol
	pos  int  // position of the second atom or closing digit
	ring int  // ring-closure number (closure bonds only)
}

// openRing is a ring-closure digit waiting for its partner.
type openRing struct {
	atom int
	sym  byte
	pos  int
	slot int // index into the atom's SMILES neighbour list, -1 if not chiral
}

// written keeps what the SMILES said about an atom that sanitisation
// changes or interprets.
type written struct {
	aromatic bool
	chiral   Chirality // ChiralCCW for '@', ChiralCW for '@@'
	pos      int       // position of the atom in the SMILES
	nbrs     []int     // SMILES neighbour order (chiral atoms only); -1 = H
}

type parser struct {
	s        string
	pos      int
	atoms    []Atom
	w        []written
	chain    []rawBond
	closures []rawBond
	rings    map[int]openRing
}

func (p *parser) errf(pos int, format string, args ...any) error {
	return &SyntaxError{SMILES: p.s, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// parse reads the SMILES string into atoms and raw bonds.
func (p *parser) parse() error {
	s := p.s
	if len(s) == 0 {
		return p.errf(-1, "empty SMILES")
	}
	prev := -1
	var pending byte
	pendingPos := 0
	var stack []int
	// last token: 0 start/dot, 'a' atom, 'r' ring closure, '(' , ')', 'b' bond
	last := byte(0)
	for p.pos < len(s) {
		c := s[p.pos]
		switch {
		case c == '[' || c == '*' || isOrganicStart(c):
			start := p.pos
			a, err := p.atom()
			if err != nil {
				return err
			}
			if prev >= 0 {
				p.addNbr(prev, a)
				p.addNbr(a, prev)
				if p.w[a].chiral != 0 && p.atoms[a].ExplicitH == 1 {
					p.w[a].nbrs = append(p.w[a].nbrs, -1)
				}
				p.chain = append(p.chain, rawBond{a: prev, b: a, sym: pending, pos: start})
			} else {
				if pending != 0 {
					return p.errf(pendingPos, "bond %q has no atom before it", pending)
				}
				if p.w[a].chiral != 0 && p.atoms[a].ExplicitH == 1 {
					p.w[a].nbrs = append(p.w[a].nbrs, -1)
				}
			}
			pending = 0
			prev = a
			last = 'a'
		case isBondSym(c):
			if prev < 0 {
				return p.errf(p.pos, "bond %q has no atom before it", c)
			}
			if pending != 0 {
				return p.errf(p.pos, "a second bond symbol %q after %q; expected an atom or ring-closure digit", c, pending)
			}
			pending, pendingPos = c, p.pos
			p.pos++
			if c == '\\' && p.pos < len(s) && s[p.pos] == '\\' {
				p.pos++ // RDKit reads an escaped "\\\\" as one '\\'
			}
			last = 'b'
		case c >= '0' && c <= '9' || c == '%':
			if prev < 0 || (last != 'a' && last != 'r' && last != 'b' && last != ')') {
				return p.errf(p.pos, "ring-closure digit %q must follow an atom", c)
			}
			if err := p.ringClosure(prev, pending); err != nil {
				return err
			}
			pending = 0
			last = 'r'
		case c == '(':
			if prev < 0 || (last != 'a' && last != 'r' && last != ')') {
				return p.errf(p.pos, "branch '(' must follow an atom")
			}
			if pending != 0 {
				return p.errf(pendingPos, "bond %q before '('; expected an atom", pending)
			}
			stack = append(stack, prev)
			p.pos++
			last = '('
		case c == ')':
			if len(stack) == 0 {
				return p.errf(p.pos, "')' without a matching '('")
			}
			if last == '(' {
				return p.errf(p.pos, "empty branch '()'")
			}
			if pending != 0 {
				return p.errf(pendingPos, "bond %q at the end of a branch; expected an atom", pending)
			}
			prev = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			p.pos++
			last = ')'
		case c == '.':
			if pending != 0 {
				return p.errf(pendingPos, "bond %q before '.'; expected an atom", pending)
			}
			if prev < 0 || last == '(' {
				return p.errf(p.pos, "'.' must follow an atom")
			}
			if len(stack) > 0 {
				return p.errf(p.pos, "'.' inside a branch")
			}
			prev = -1
			p.pos++
			last = 0
		default:
			return p.errf(p.pos, "unexpected character %q; expected an atom, bond, ring-closure digit, branch or '.'", c)
		}
	}
	if pending != 0 {
		return p.errf(pendingPos, "bond %q at the end; expected an atom", pending)
	}
	if last == 0 {
		return p.errf(len(s)-1, "'.' at the end; expected an atom")
	}
	if len(stack) > 0 {
		return p.errf(len(s), "unclosed branch; expected ')'")
	}
	for d, r := range p.rings {
		return p.errf(r.pos, "ring closure %d is never closed", d)
	}
	return nil
}

func isBondSym(c byte) bool {
	switch c {
	case '-', '=', '#', '$', ':', '/', '\\':
		return true
	}
	return false
}

func isOrganicStart(c byte) bool {
	switch c {
	case 'B', 'C', 'N', 'O', 'P', 'S', 'F', 'I', 'b', 'c', 'n', 'o', 'p', 's':
		return true
	}
	return false
}

// addNbr records b as the next SMILES neighbour of a chiral atom a.
func (p *parser) addNbr(a, b int) {
	if p.w[a].chiral != 0 {
		p.w[a].nbrs = append(p.w[a].nbrs, b)
	}
}

// ringClosure reads a digit or %nn (or %(n...)) at p.pos on atom a.
func (p *parser) ringClosure(a int, sym byte) error {
	s := p.s
	start := p.pos
	var d int
	if s[p.pos] == '%' {
		p.pos++
		switch {
		case p.pos < len(s) && s[p.pos] == '(':
			j := p.pos + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == p.pos+1 || j >= len(s) || s[j] != ')' || j-p.pos-1 > 5 {
				return p.errf(start, "expected a ring-closure number %%(n) with 1 to 5 digits")
			}
			d, _ = strconv.Atoi(s[p.pos+1 : j])
			p.pos = j + 1
		case p.pos+1 < len(s) && isDigit(s[p.pos]) && isDigit(s[p.pos+1]):
			d = int(s[p.pos]-'0')*10 + int(s[p.pos+1]-'0')
			p.pos += 2
		default:
			return p.errf(start, "expected two digits after '%%'")
		}
	} else {
		d = int(s[p.pos] - '0')
		p.pos++
	}
	if p.rings == nil {
		p.rings = make(map[int]openRing, 4)
	}
	r, open := p.rings[d]
	if !open {
		slot := -1
		if p.w[a].chiral != 0 {
			slot = len(p.w[a].nbrs)
			p.w[a].nbrs = append(p.w[a].nbrs, -2)
		}
		p.rings[d] = openRing{atom: a, sym: sym, pos: start, slot: slot}
		return nil
	}
	delete(p.rings, d)
	if r.atom == a {
		return p.errf(start, "ring closure %d joins an atom to itself", d)
	}
	for _, b := range p.closures {
		if (b.a == a && b.b == r.atom) || (b.a == r.atom && b.b == a) {
			return p.errf(start, "ring closure %d duplicates a bond", d)
		}
	}
	for _, b := range p.chain {
		if (b.a == a && b.b == r.atom) || (b.a == r.atom && b.b == a) {
			return p.errf(start, "ring closure %d duplicates a bond", d)
		}
	}
	// RDKit's ring-closure bond begins at the closing atom; a direction
	// written at the opening digit is relative to the opening atom.
	bs := sym
	if bs == 0 {
		bs = flipDir(r.sym)
	} else if r.sym != 0 && r.sym != sym && !(isDir(r.sym) && isDir(sym)) {
		if !(isDir(r.sym) && sym == '-') && !(isDir(sym) && r.sym == '-') {
			return p.errf(start, "ring closure %d has bond %q here but %q where it opened", d, sym, r.sym)
		}
		if isDir(r.sym) {
			bs = flipDir(r.sym)
		}
	}
	if r.slot >= 0 {
		p.w[r.atom].nbrs[r.slot] = a
	}
	p.addNbr(a, r.atom)
	p.closures = append(p.closures, rawBond{a: a, b: r.atom, sym: bs, pos: start, ring: d})
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isDir(c byte) bool { return c == '/' || c == '\\' }

func flipDir(c byte) byte {
	switch c {
	case '/':
		return '\\'
	case '\\':
		return '/'
	}
	return c
}

// atom reads an organic-subset or bracket atom at p.pos and appends it.
func (p *parser) atom() (int, error) {
	s := p.s
	start := p.pos
	var a Atom
	var w written
	w.pos = start
	c := s[p.pos]
	switch {
	case c == '*':
		p.pos++
	case c == '[':
		if err := p.bracket(&a, &w); err != nil {
			return 0, err
		}
	default:
		two := ""
		if p.pos+1 < len(s) {
			two = s[p.pos : p.pos+2]
		}
		switch {
		case two == "Cl":
			a.Element = 17
			p.pos += 2
		case two == "Br":
			a.Element = 35
			p.pos += 2
		default:
			switch c {
			case 'B', 'b':
				a.Element = 5
			case 'C', 'c':
				a.Element = 6
			case 'N', 'n':
				a.Element = 7
			case 'O', 'o':
				a.Element = 8
			case 'P', 'p':
				a.Element = 15
			case 'S', 's':
				a.Element = 16
			case 'F':
				a.Element = 9
			case 'I':
				a.Element = 53
			}
			w.aromatic = c >= 'a'
			p.pos++
		}
	}
	p.atoms = append(p.atoms, a)
	p.w = append(p.w, w)
	return len(p.atoms) - 1, nil
}

// aromaticSymbols are the lower-case element symbols allowed in brackets.
var aromaticSymbols = map[string]int{"b": 5, "c": 6, "n": 7, "o": 8, "p": 15, "s": 16, "se": 34, "as": 33, "te": 52, "si": 14}

// bracket reads [isotope? symbol chiral? hcount? charge? class?].
func (p *parser) bracket(a *Atom, w *written) error {
	s := p.s
	start := p.pos
	a.Bracket = true
	p.pos++
	// isotope
	j := p.pos
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j > p.pos {
		if j-p.pos > 4 {
			return p.errf(p.pos, "isotope has more than 4 digits")
		}
		a.Isotope, _ = strconv.Atoi(s[p.pos:j])
		p.pos = j
	}
	// symbol
	if p.pos >= len(s) {
		return p.errf(p.pos, "unterminated bracket atom; expected an element symbol")
	}
	c := s[p.pos]
	switch {
	case c == '*':
		p.pos++
	case c >= 'A' && c <= 'Z':
		sym := s[p.pos : p.pos+1]
		if p.pos+1 < len(s) && s[p.pos+1] >= 'a' && s[p.pos+1] <= 'z' {
			if z, ok := symbolToZ[s[p.pos:p.pos+2]]; ok && z > 0 {
				sym = s[p.pos : p.pos+2]
			}
		}
		z, ok := symbolToZ[sym]
		if !ok || z == 0 {
			return p.errf(p.pos, "unknown element %q in bracket atom", sym)
		}
		a.Element = z
		p.pos += len(sym)
	case c >= 'a' && c <= 'z':
		if p.pos+1 < len(s) {
			if z, ok := aromaticSymbols[s[p.pos:p.pos+2]]; ok {
				a.Element, w.aromatic = z, true
				p.pos += 2
				break
			}
		}
		z, ok := aromaticSymbols[s[p.pos:p.pos+1]]
		if !ok {
			return p.errf(p.pos, "unknown aromatic element %q; expected one of b c n o p s se as te", c)
		}
		a.Element, w.aromatic = z, true
		p.pos++
	default:
		return p.errf(p.pos, "expected an element symbol in bracket atom, got %q", c)
	}
	// chirality
	if p.pos < len(s) && s[p.pos] == '@' {
		p.pos++
		w.chiral = ChiralCCW
		switch {
		case p.pos < len(s) && s[p.pos] == '@':
			w.chiral = ChiralCW
			p.pos++
		case p.pos+1 < len(s) && isUpper(s[p.pos]) && isUpper(s[p.pos+1]):
			cls := s[p.pos : p.pos+2]
			p.pos += 2
			k := p.pos
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			if k == p.pos {
				return p.errf(p.pos, "expected a number after chirality class @%s", cls)
			}
			n, _ := strconv.Atoi(s[p.pos:k])
			p.pos = k
			switch cls {
			case "TH":
				if n == 1 {
					w.chiral = ChiralCCW
				} else if n == 2 {
					w.chiral = ChiralCW
				} else {
					return p.errf(p.pos, "@TH%d: expected @TH1 or @TH2", n)
				}
			case "AL", "SP", "TB", "OH":
				w.chiral = ChiralOther
			default:
				return p.errf(p.pos-2, "unknown chirality class @%s; expected TH, AL, SP, TB or OH", cls)
			}
		}
	}
	// hydrogens
	if p.pos < len(s) && s[p.pos] == 'H' {
		p.pos++
		a.ExplicitH = 1
		if p.pos < len(s) && isDigit(s[p.pos]) {
			a.ExplicitH = int(s[p.pos] - '0')
			p.pos++
		}
	}
	// charge
	if p.pos < len(s) && (s[p.pos] == '+' || s[p.pos] == '-') {
		sign := 1
		if s[p.pos] == '-' {
			sign = -1
		}
		ch := s[p.pos]
		p.pos++
		n := 1
		switch {
		case p.pos < len(s) && isDigit(s[p.pos]):
			k := p.pos
			for k < len(s) && isDigit(s[k]) && k-p.pos < 2 {
				k++
			}
			n, _ = strconv.Atoi(s[p.pos:k])
			p.pos = k
		default:
			for p.pos < len(s) && s[p.pos] == ch {
				n++
				p.pos++
			}
		}
		a.Charge = sign * n
	}
	// atom class
	if p.pos < len(s) && s[p.pos] == ':' {
		p.pos++
		k := p.pos
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == p.pos || k-p.pos > 9 {
			return p.errf(p.pos, "expected an atom class number after ':'")
		}
		a.Class, _ = strconv.Atoi(s[p.pos:k])
		p.pos = k
	}
	if p.pos >= len(s) {
		return p.errf(start, "unterminated bracket atom; expected ']'")
	}
	if s[p.pos] != ']' {
		return p.errf(p.pos, "unexpected %q in bracket atom; expected chirality, H count, charge, class or ']'", s[p.pos])
	}
	p.pos++
	return nil
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
