package mol

import "math"

// chargeShift is RDKit's charge adjustment in valence arithmetic: the
// formal charge, negated for early atoms (hydrogen adds as H⁻) and for
// carbocations.
func chargeShift(z, charge int) int {
	c := charge
	if isEarlyAtom(z) {
		c = -c
	}
	if z == 6 && c > 0 {
		c = -c
	}
	return c
}

// bondContrib is a bond's valence contribution as RDKit counts it before
// kekulisation (aromatic 1.5).
func (b *Bond) contrib() float64 {
	if b.Type == Aromatic {
		return 1.5
	}
	return float64(b.kekule)
}

// explicitValence is RDKit's calcExplicitValence for atom a with the
// current bond types, written-aromatic flag arom.
func (m *Mol) explicitValence(a int, arom bool) (int, bool) {
	at := &m.Atoms[a]
	accum := float64(at.ExplicitH)
	for _, bi := range m.AtomBonds(a) {
		accum += m.Bonds[bi].contrib()
	}
	z := at.Element
	dv := defaultValence(z)
	chr := chargeShift(z, at.Charge)
	if dv >= 0 && accum > float64(dv+chr) && arom {
		pval := dv + chr
		for _, v := range valenceList(z) {
			if v < 0 {
				break
			}
			if float64(v+chr) > accum {
				break
			}
			pval = v + chr
		}
		if accum-float64(pval) <= 1.5 {
			accum = float64(pval)
		}
	}
	accum += 0.1
	res := int(math.Round(accum))
	if z > 0 {
		eff := res + at.Charge
		if outerElectrons(z) >= 4 {
			eff = res - at.Charge
		}
		vl := valenceList(z)
		if mx := vl[len(vl)-1]; mx > 0 && eff > mx {
			return res, false
		}
	}
	return res, true
}

// implicitHs is RDKit's calcImplicitValence for a non-bracket atom with
// explicit valence ev.
func implicitHs(z, charge, radicals, ev int, arom bool) (int, bool) {
	if z == 0 {
		return 0, true
	}
	dv := defaultValence(z)
	if dv < 0 {
		return 0, true
	}
	e := ev + radicals
	chg := chargeShift(z, charge)
	if arom {
		if e <= dv+chg {
			return dv + chg - e, true
		}
		for _, v := range valenceList(z) {
			if v > 0 && e == v+chg {
				return 0, true
			}
		}
		return 0, false
	}
	vl := valenceList(z)
	for _, v := range vl {
		if v < 0 {
			break
		}
		if e <= v+chg {
			return v + chg - e, true
		}
	}
	if vl[len(vl)-1] == -1 {
		return 0, true
	}
	return 0, false
}

// assignRadicals is RDKit's assignRadicals for bracket atoms (the only
// ones without implicit hydrogens), from Kekulé valences.
func (m *Mol) assignRadicals() {
	for a := range m.Atoms {
		at := &m.Atoms[a]
		if !at.Bracket || at.Element == 0 {
			continue
		}
		z := at.Element
		vl := valenceList(z)
		nOuter := outerElectrons(z)
		total := at.valence
		chg := at.Charge
		if !(len(vl) == 1 && vl[0] == -1) {
			base := 8
			if z <= 2 {
				base = 2
			}
			nr := base - nOuter - total + chg
			if nr < 0 {
				nr = 0
				if len(vl) > 1 {
					for _, v := range vl {
						if v >= 0 && v-total+chg >= 0 {
							nr = v - total + chg
							break
						}
					}
				}
			}
			if nr2 := nOuter - total - chg; nr2 >= 0 && nr2 < nr {
				nr = nr2
			}
			at.Radicals = nr
		} else {
			// Metals (any valence): one radical when the outer
			// electrons less the charge are odd, whatever the bonds.
			r := nOuter - chg
			if r < 0 {
				r = -r
			}
			at.Radicals = r % 2
		}
	}
}
