package jepa

import (
	"runtime"
	"runtime/debug"
)

// CodeVersion identifies the code that ran: the main module and its
// version, the VCS revision and time stamped into the binary by the go
// command (runtime/debug.ReadBuildInfo), whether the tree was modified, and
// the Go version. Fields the build did not record are empty (test binaries
// carry no VCS information).
type CodeVersion struct {
	Module    string `json:"module,omitempty"`
	Version   string `json:"version,omitempty"`
	Revision  string `json:"vcs_revision,omitempty"`
	Time      string `json:"vcs_time,omitempty"`
	Modified  bool   `json:"vcs_modified,omitempty"`
	GoVersion string `json:"go_version"`
}

// BuildVersion returns the version of the running binary.
func BuildVersion() CodeVersion {
	v := CodeVersion{GoVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.Module, v.Version = bi.Main.Path, bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}
