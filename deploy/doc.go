// Package deploy holds the cluster templates of the command-line tools
// (deploy/README.md): a Slurm array script, a Kubernetes Indexed Job with
// its merge Job and shared volume, and a container build file. Its tests
// validate the Kubernetes manifests against the Kubernetes API types; the
// package has no code of its own.
package deploy
