package main

import (
	"flag"
	"fmt"
	"math"
	"reflect"
	"strings"
)

// structFlags binds one flag to every int, uint64, float64, bool and string field
// of a configuration struct, named after its JSON tag (underscores become
// dashes, with a prefix), so a command's flags map 1:1 to the struct's
// fields and follow it as it grows. The struct's zero values mean its
// documented defaults, so a flag that is not given leaves its field alone.
type structFlags struct {
	fs     *flag.FlagSet
	prefix string
	target reflect.Value // the struct, addressable
	fields map[string]string
}

// bindStruct registers the flags of *ptr (a pointer to a struct).
func bindStruct(fs *flag.FlagSet, ptr any, prefix, what string) *structFlags {
	v := reflect.ValueOf(ptr).Elem()
	s := &structFlags{fs: fs, prefix: prefix, target: v, fields: map[string]string{}}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || tag == "-" || tag == "" {
			continue
		}
		name := prefix + strings.ReplaceAll(tag, "_", "-")
		if fs.Lookup(name) != nil { // taken by another flag of the command
			name = "ft-" + name
		}
		help := fmt.Sprintf("%s.%s; 0 or empty means its default (go doc pointjepa.%s)", what, f.Name, what)
		p := v.Field(i).Addr().Interface()
		switch f.Type.Kind() {
		case reflect.Int:
			fs.IntVar(p.(*int), name, 0, help)
		case reflect.Uint64:
			fs.Uint64Var(p.(*uint64), name, 0, help)
		case reflect.Float64:
			fs.Float64Var(p.(*float64), name, 0, help)
		case reflect.Bool:
			fs.BoolVar(p.(*bool), name, false, help)
		case reflect.String:
			fs.StringVar(p.(*string), name, "", help)
		default:
			continue
		}
		s.fields[name] = f.Name
	}
	return s
}

// check range-checks the given numeric flags: integers within ±limit and
// floats finite. The struct's own validation (run by the library) checks
// the finer ranges; this refuses absurd values before any work.
func (s *structFlags) check(limit int) error {
	var err error
	s.fs.Visit(func(f *flag.Flag) {
		field, ok := s.fields[f.Name]
		if !ok || err != nil {
			return
		}
		v := s.target.FieldByName(field)
		switch v.Kind() {
		case reflect.Int:
			if n := int(v.Int()); n < -limit || n > limit {
				err = fmt.Errorf("--%s %d: want at most %d in magnitude", f.Name, n, limit)
			}
		case reflect.Float64:
			if x := v.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
				err = fmt.Errorf("--%s %v: want a finite number", f.Name, x)
			}
		}
	})
	return err
}

// applyTo copies the fields whose flags were given onto *dst, a pointer to
// a struct of the bound type (typically a preset), leaving the others as
// they are in dst.
func (s *structFlags) applyTo(dst any) {
	d := reflect.ValueOf(dst).Elem()
	s.fs.Visit(func(f *flag.Flag) {
		if field, ok := s.fields[f.Name]; ok {
			d.FieldByName(field).Set(s.target.FieldByName(field))
		}
	})
}
