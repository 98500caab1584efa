package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// decodeStrict decodes a manifest into out with the Kubernetes API types,
// refusing unknown or duplicated fields and values of the wrong type (the
// schema check of "kubectl apply --validate=strict", client side), and
// checks apiVersion and kind.
func decodeStrict(data []byte, apiVersion, kind string, out any, meta func() (string, string)) error {
	if err := yaml.UnmarshalStrict(data, out); err != nil {
		return err
	}
	if v, k := meta(); v != apiVersion || k != kind {
		return fmt.Errorf("apiVersion %q kind %q, want %q %q", v, k, apiVersion, kind)
	}
	return nil
}

func decodeJob(data []byte) (*batchv1.Job, error) {
	var j batchv1.Job
	err := decodeStrict(data, "batch/v1", "Job", &j, func() (string, string) { return j.APIVersion, j.Kind })
	return &j, err
}

// checkPod checks what the API server would refuse or what would break
// the protocol: a Job restart policy, one container with an image and
// args, every volume mount naming a volume of the pod, every volume a
// claim of the shared PVC; it returns the container's args.
func checkPod(j *batchv1.Job, claim string) ([]string, error) {
	spec := j.Spec.Template.Spec
	if p := spec.RestartPolicy; p != corev1.RestartPolicyNever && p != corev1.RestartPolicyOnFailure {
		return nil, fmt.Errorf("job %s: restartPolicy %q: a Job needs Never or OnFailure", j.Name, p)
	}
	if len(spec.Containers) != 1 {
		return nil, fmt.Errorf("job %s: %d containers, want 1", j.Name, len(spec.Containers))
	}
	c := spec.Containers[0]
	if c.Image == "" || len(c.Args) == 0 {
		return nil, fmt.Errorf("job %s: container %q without an image or args", j.Name, c.Name)
	}
	vols := map[string]bool{}
	for _, v := range spec.Volumes {
		if v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != claim {
			return nil, fmt.Errorf("job %s: volume %q is not the shared claim %q", j.Name, v.Name, claim)
		}
		vols[v.Name] = true
	}
	if len(c.VolumeMounts) == 0 {
		return nil, fmt.Errorf("job %s: no volume mount: the run directory must be on the shared volume", j.Name)
	}
	for _, m := range c.VolumeMounts {
		if !vols[m.Name] {
			return nil, fmt.Errorf("job %s: volume mount %q names no volume of the pod", j.Name, m.Name)
		}
		if !strings.HasPrefix(m.MountPath, "/") {
			return nil, fmt.Errorf("job %s: mount path %q is not absolute", j.Name, m.MountPath)
		}
	}
	return c.Args, nil
}

func flagValue(args []string, name string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

// validateReproduce checks the Indexed Job: completionMode Indexed, the
// shard count equal to the completions, the index from
// JOB_COMPLETION_INDEX, a run directory on the shared volume. It returns
// the run directory.
func validateReproduce(data []byte, claim string) (string, error) {
	j, err := decodeJob(data)
	if err != nil {
		return "", err
	}
	s := j.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
		return "", fmt.Errorf("job %s: completionMode must be Indexed", j.Name)
	}
	if s.Completions == nil || *s.Completions < 1 {
		return "", fmt.Errorf("job %s: completions must be set", j.Name)
	}
	args, err := checkPod(j, claim)
	if err != nil {
		return "", err
	}
	if args[0] != "reproduce" {
		return "", fmt.Errorf("job %s: args start with %q, want reproduce", j.Name, args[0])
	}
	if want := fmt.Sprintf("$(JOB_COMPLETION_INDEX)/%d", *s.Completions); flagValue(args, "--shard") != want {
		return "", fmt.Errorf("job %s: --shard=%s, want --shard=%s (one shard per completion index)", j.Name, flagValue(args, "--shard"), want)
	}
	env := map[string]bool{}
	for _, e := range j.Spec.Template.Spec.Containers[0].Env {
		env[e.Name] = true
	}
	if !env["JOB_COMPLETION_INDEX"] {
		return "", fmt.Errorf("job %s: JOB_COMPLETION_INDEX is not in the container's env", j.Name)
	}
	run := flagValue(args, "--run")
	if !underMount(j, run) {
		return "", fmt.Errorf("job %s: --run=%q is not on the shared volume", j.Name, run)
	}
	return run, nil
}

func underMount(j *batchv1.Job, path string) bool {
	for _, m := range j.Spec.Template.Spec.Containers[0].VolumeMounts {
		if path != "" && strings.HasPrefix(path, strings.TrimSuffix(m.MountPath, "/")+"/") {
			return true
		}
	}
	return false
}

// validateMerge checks the merge Job: graphjepa merge of the run directory
// the Indexed Job writes, on the same volume.
func validateMerge(data []byte, claim, run string) error {
	j, err := decodeJob(data)
	if err != nil {
		return err
	}
	if j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batchv1.IndexedCompletion {
		return fmt.Errorf("job %s: the merge is one pod, not an Indexed Job", j.Name)
	}
	args, err := checkPod(j, claim)
	if err != nil {
		return err
	}
	if args[0] != "merge" || len(args) < 2 || args[len(args)-1] != run {
		return fmt.Errorf("job %s: args %q, want merge … %s", j.Name, args, run)
	}
	if !underMount(j, run) {
		return fmt.Errorf("job %s: %q is not on the shared volume", j.Name, run)
	}
	return nil
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("k8s", name))
	require.NoError(t, err)
	return b
}

func TestKubernetesManifests(t *testing.T) {
	var pvc corev1.PersistentVolumeClaim
	require.NoError(t, decodeStrict(read(t, "pvc.yaml"), "v1", "PersistentVolumeClaim", &pvc, func() (string, string) { return pvc.APIVersion, pvc.Kind }))
	assert.Contains(t, pvc.Spec.AccessModes, corev1.ReadWriteMany, "pods on several nodes write the run directory")
	claim := pvc.Name

	job := read(t, "reproduce-job.yaml")
	run, err := validateReproduce(job, claim)
	require.NoError(t, err)
	require.NoError(t, validateMerge(read(t, "merge-job.yaml"), claim, run))
	j, _ := decodeJob(job)
	assert.EqualValues(t, 50, *j.Spec.Completions, "the paper's 5 runs × 10 folds, one job per pod")
}

// TestKubernetesValidatorFailsOnBrokenManifests: each mutation of the
// shipped manifests must be refused.
func TestKubernetesValidatorFailsOnBrokenManifests(t *testing.T) {
	job := string(read(t, "reproduce-job.yaml"))
	merge := string(read(t, "merge-job.yaml"))
	const claim = "graphjepa-runs"
	for _, tc := range []struct {
		name, old, new, want string
		merge                bool
	}{
		{"misspelled field", "completionMode: Indexed", "completionMod: Indexed", `unknown field "completionMod"`, false},
		{"wrong type", "completions: 50", "completions: fifty", "cannot unmarshal", false},
		{"not indexed", "completionMode: Indexed", "completionMode: NonIndexed", "completionMode must be Indexed", false},
		{"shards ≠ completions", "--shard=$(JOB_COMPLETION_INDEX)/50", "--shard=$(JOB_COMPLETION_INDEX)/40", "want --shard=$(JOB_COMPLETION_INDEX)/50", false},
		{"no index env", "- name: JOB_COMPLETION_INDEX", "- name: JOB_INDEX", "JOB_COMPLETION_INDEX is not in the container's env", false},
		{"unknown volume", "- name: work\n              mountPath", "- name: scratch\n              mountPath", `volume mount "scratch" names no volume`, false},
		{"restart policy", "restartPolicy: Never", "restartPolicy: Always", "needs Never or OnFailure", false},
		{"wrong kind", "kind: Job", "kind: CronJob", `kind "CronJob"`, false},
		{"indented wrongly", "      restartPolicy: Never", "     restartPolicy: Never", "yaml", false},
		{"merge elsewhere", "- /work/runs/mutag", "- /work/runs/other", "want merge … /work/runs/mutag", true},
		{"merge other claim", "claimName: graphjepa-runs", "claimName: scratch", `not the shared claim "graphjepa-runs"`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := job
			if tc.merge {
				src = merge
			}
			require.Contains(t, src, tc.old, "the mutation applies")
			broken := []byte(strings.Replace(src, tc.old, tc.new, 1))
			var err error
			if tc.merge {
				err = validateMerge(broken, claim, "/work/runs/mutag")
			} else {
				_, err = validateReproduce(broken, claim)
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
